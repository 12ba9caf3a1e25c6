"""The demo marketplace: `seed_demo` (seed.py) writing people, shops, partnerships and orders (people.py,
shops.py, partnerships.py, orders.py) in bulk (bulk.py), from curated words (catalogue.py) and drawn pictures
(pictures.py)."""

from .seed import DemoResult, DemoScale, seed_demo

__all__ = ["DemoResult", "DemoScale", "seed_demo"]
