"""The demo marketplace: `seed_demo` (seed.py) writing people, shops, partnerships and orders (people.py,
shops.py, partnerships.py, orders.py) in bulk (bulk.py), from curated words (catalogue.py) and drawn pictures
(pictures.py). An installed app (for its `seed_demo` command), so this package imports no model: import
`marketplace.demo.seed`."""
