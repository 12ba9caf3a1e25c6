"""What the demo marketplace sells: per category, vendor names, descriptions and products with real prices.

Curated by hand so the demo reads like a marketplace (coffee roasters sell coffee, bike shops sell bikes
and parts), combined deterministically by the seeding code.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CategoryCatalogue:
    nouns: tuple[str, ...]  # the second half of a vendor's name: "Harbour" + "Roasters"
    descriptions: tuple[str, ...]  # "{name}" is replaced by the vendor's name
    products: tuple[tuple[str, str, float, float], ...]  # name, description, lowest and highest price (£)
    colours: tuple[tuple[int, int, int], tuple[int, int, int]]  # picture background and motif colour
    motif: str  # what the generated pictures draw (see pictures.py)


PLACES = (
    "Harbour",
    "Millbrook",
    "Ashford",
    "Kingsway",
    "Fernhill",
    "Oakridge",
    "Brightwater",
    "Copperleaf",
    "Foxglove",
    "Saltmarsh",
    "Larkspur",
    "Redbrick",
    "Willow Lane",
    "Northgate",
    "Bramble",
    "Quayside",
    "Highfield",
    "Elm Street",
    "Riverside",
    "Old Mill",
)
TOWNS = (
    "Leeds",
    "Bristol",
    "York",
    "Bath",
    "Norwich",
    "Cardiff",
    "Glasgow",
    "Brighton",
    "Exeter",
    "Durham",
    "Chester",
    "Oxford",
    "Cambridge",
    "Belfast",
    "Inverness",
    "Plymouth",
    "Hull",
    "Derby",
    "Lincoln",
    "Carlisle",
)

CATALOGUE: dict[str, CategoryCatalogue] = {
    "Coffee & Tea": CategoryCatalogue(
        nouns=("Roasters", "Tea Co.", "Coffee House"),
        descriptions=(
            "{name} roasts single-origin coffee in small batches and posts it within two days of roasting.",
            "{name} blends loose-leaf teas and sells the brewing kit to go with them.",
        ),
        products=(
            ("Ethiopia Yirgacheffe beans, 250 g", "Washed, floral and bright; roasted light for filter.", 8, 11),
            ("Colombia Huila beans, 250 g", "Caramel and red apple; a medium roast for every brewer.", 7, 10),
            ("House espresso blend, 1 kg", "Chocolate and hazelnut; made for milk drinks.", 22, 30),
            ("Swiss-water decaf, 250 g", "Decaffeinated without solvents; a full, sweet cup.", 8, 10),
            ("Earl Grey loose leaf, 100 g", "Black tea with real bergamot oil.", 5, 8),
            ("Sencha green tea, 100 g", "Steamed Japanese green tea, grassy and sweet.", 6, 9),
            ("Chai spice blend, 100 g", "Assam with cardamom, cinnamon, ginger and clove.", 6, 8),
            ("Cold brew pouches, pack of 6", "Steep overnight in the fridge; no equipment needed.", 9, 12),
            ("Ceramic pour-over dripper", "Hand-glazed; fits standard size 02 filters.", 18, 28),
            ("Hand burr grinder", "Steel burrs, 40 settings from espresso to cafetière.", 35, 60),
        ),
        colours=((92, 64, 51), (237, 201, 155)),
        motif="cup",
    ),
    "Bakery": CategoryCatalogue(
        nouns=("Bakehouse", "Bakery", "Ovens"),
        descriptions=(
            "{name} bakes naturally leavened bread every morning and delivers before nine.",
            "{name} is a neighbourhood bakery: slow-proved loaves, pastries and cakes to order.",
        ),
        products=(
            ("White sourdough loaf", "48-hour ferment, crackling crust.", 3.5, 5),
            ("Seeded rye loaf", "Dense, tangy and full of sunflower and pumpkin seeds.", 4, 5.5),
            ("Cinnamon buns, box of 4", "Cardamom dough rolled with cinnamon butter.", 8, 11),
            ("All-butter croissants, box of 4", "Laminated over three days.", 7, 10),
            ("Rosemary focaccia", "Olive oil, sea salt and rosemary; a tray to share.", 5, 7),
            ("Banana bread", "With walnuts and dark muscovado.", 6, 8),
            ("Brownie box of 6", "Dark chocolate, sea salt.", 12, 16),
            ("Baguette", "Baked three times a day.", 2, 3),
        ),
        colours=((214, 170, 110), (120, 72, 30)),
        motif="loaf",
    ),
    "Bicycles": CategoryCatalogue(
        nouns=("Cycles", "Bike Works", "Bicycle Co."),
        descriptions=(
            "{name} builds, sells and services bicycles, and keeps the spare parts to keep them riding.",
            "{name} is a workshop for commuters: city bikes, lights, locks and same-week repairs.",
        ),
        products=(
            ("City bike, 7-speed", "Steel frame, mudguards and rack; built and tuned in the workshop.", 420, 650),
            ("Gravel bike, 2x10", "Aluminium frame, carbon fork, 40 mm tyres.", 850, 1200),
            ("Inner tube 700x28-35c", "Presta valve.", 5, 8),
            ("USB LED light set", "Front 400 lumen, rear 50 lumen; rechargeable.", 25, 45),
            ("D-lock with cable", "Sold Secure Gold.", 35, 60),
            ("Commuter helmet", "MIPS liner, rear light built in.", 45, 90),
            ("Chain lube, 100 ml", "Wet-weather formula.", 6, 10),
            ("Puncture repair kit", "Patches, glue, levers and sandpaper.", 4, 7),
            ("Waterproof pannier, 20 L", "Roll-top, reflective trim.", 30, 55),
            ("Comfort saddle", "Gel padded with a relief channel.", 25, 45),
        ),
        colours=((40, 90, 120), (240, 180, 60)),
        motif="bike",
    ),
    "Books": CategoryCatalogue(
        nouns=("Books", "Bookshop", "Reading Room"),
        descriptions=(
            "{name} is an independent bookshop with staff picks, signed copies and special orders.",
            "{name} sells new and second-hand books and runs a monthly reading group.",
        ),
        products=(
            (
                "The Quiet Harbour, a novel",
                "A lighthouse keeper's daughter and the winter that changed her town.",
                9,
                14,
            ),
            ("Field guide to British birds", "Over 300 species, with maps and songs described.", 15, 22),
            ("Sourdough at home", "A baking book for beginners, from starter to loaf.", 16, 25),
            ("Cycling the coast", "Twenty routes around the British coastline.", 12, 18),
            ("Poems for the commute", "One short poem for every weekday of the year.", 8, 12),
            ("A short history of tea", "From Yunnan to the British breakfast table.", 10, 16),
            ("The Brave Little Fox, picture book", "For ages 3 to 6.", 7, 10),
            ("Dotted notebook, A5", "160 pages of 100 gsm paper.", 9, 14),
        ),
        colours=((130, 40, 50), (245, 235, 215)),
        motif="books",
    ),
    "Garden": CategoryCatalogue(
        nouns=("Garden Supply", "Seed Co.", "Greenhouse"),
        descriptions=(
            "{name} grows its own seedlings and sells peat-free compost, tools and seeds.",
            "{name} helps small gardens and balconies grow food: seeds, kits and advice.",
        ),
        products=(
            ("Heritage tomato seeds", "Five varieties, about 20 seeds each.", 3, 5),
            ("Kitchen herb starter kit", "Basil, parsley, chives and pots.", 12, 18),
            ("Peat-free compost, 40 L", "For seeds, pots and borders.", 8, 12),
            ("Bypass secateurs", "Carbon-steel blades, replaceable spring.", 18, 30),
            ("Watering can, 10 L", "Galvanised steel with a brass rose.", 25, 40),
            ("Hanging bird feeder", "Squirrel-resistant, holds 1 kg of seed.", 15, 25),
            ("Raised bed kit, 1.2 m", "Untreated larch; no tools needed.", 60, 110),
            ("Gardening gloves", "Nitrile palms, breathable backs.", 5, 9),
        ),
        colours=((70, 120, 60), (235, 225, 120)),
        motif="leaf",
    ),
    "Home & Kitchen": CategoryCatalogue(
        nouns=("Homewares", "Kitchen Co.", "Pantry"),
        descriptions=(
            "{name} sells kitchenware that lasts: cast iron, carbon steel, wood and linen.",
            "{name} is a homeware shop of well-made everyday things, chosen to be repaired, not replaced.",
        ),
        products=(
            ("Cast-iron skillet, 26 cm", "Pre-seasoned; oven and induction safe.", 30, 50),
            ("Linen tea towels, pair", "Stonewashed European linen.", 14, 22),
            ("Chef's knife, 20 cm", "German steel, full tang.", 45, 90),
            ("Stoneware mug", "Hand-thrown, 350 ml.", 12, 20),
            ("Oak chopping board", "End grain, oiled.", 35, 60),
            ("Glass storage jars, set of 3", "Airtight with bamboo lids.", 15, 25),
            ("Beeswax food wraps, 3 sizes", "Washable and reusable for a year.", 10, 16),
            ("Enamel pie dish", "White with a blue rim, 24 cm.", 12, 18),
        ),
        colours=((200, 205, 210), (60, 80, 110)),
        motif="pot",
    ),
    "Fashion": CategoryCatalogue(
        nouns=("Threads", "Outfitters", "Clothing Co."),
        descriptions=(
            "{name} makes clothes from organic cotton and merino, sewn in small runs.",
            "{name} sells durable everyday clothing and mends what it sells.",
        ),
        products=(
            ("Merino crew jumper", "Fine-knit, machine washable.", 70, 110),
            ("Organic cotton T-shirt", "Heavyweight jersey, boxy fit.", 18, 30),
            ("Selvedge denim jacket", "Japanese denim that fades with you.", 110, 160),
            ("Wool beanie", "British wool, one size.", 15, 25),
            ("Canvas tote bag", "Waxed cotton with leather handles.", 20, 35),
            ("Leather belt", "Vegetable-tanned, solid brass buckle.", 30, 50),
            ("Packable rain jacket", "Recycled nylon, taped seams.", 60, 95),
            ("Linen shirt", "Relaxed fit, mother-of-pearl buttons.", 45, 75),
        ),
        colours=((60, 60, 90), (230, 120, 110)),
        motif="shirt",
    ),
    "Electronics": CategoryCatalogue(
        nouns=("Electronics", "Gadgets", "Tech Repairs"),
        descriptions=(
            "{name} sells and repairs everyday electronics and recycles what it cannot fix.",
            "{name} stocks chargers, cables and audio that are built to last, with a two-year guarantee.",
        ),
        products=(
            ("USB-C charger, 65 W", "Charges a laptop and a phone at once.", 30, 45),
            ("Wireless earbuds", "Replaceable batteries, 8 hours of play.", 60, 120),
            ("Bluetooth speaker", "Splash-proof, 12 hours.", 40, 80),
            ("Power bank, 10 000 mAh", "USB-C in and out.", 20, 35),
            ("Smart plug", "Works without a cloud account.", 12, 20),
            ("Braided HDMI cable, 2 m", "4K at 60 Hz.", 8, 14),
            ("LED desk lamp", "Dimmable, warm to cool light.", 35, 60),
            ("Phone repair: new battery", "Fitted while you wait; parts and labour.", 45, 70),
        ),
        colours=((30, 35, 45), (90, 200, 220)),
        motif="device",
    ),
    "Sports": CategoryCatalogue(
        nouns=("Sports", "Outdoor", "Athletics"),
        descriptions=(
            "{name} equips runners, swimmers and weekend players, and knows its products.",
            "{name} sells kit for outdoor sport and organises a Saturday run.",
        ),
        products=(
            ("Yoga mat, 6 mm", "Natural rubber, non-slip.", 25, 45),
            ("Running socks, 3 pairs", "Cushioned heel and toe.", 12, 18),
            ("Dumbbell pair, 5 kg", "Cast iron with rubber coating.", 25, 40),
            ("Insulated water bottle, 750 ml", "Keeps cold for 24 hours.", 15, 25),
            ("Resistance bands, set of 5", "Light to extra heavy.", 12, 20),
            ("Football, size 5", "Hand-stitched.", 15, 30),
            ("Tennis balls, tin of 4", "All-court.", 5, 8),
            ("Swim goggles", "Anti-fog, UV protection.", 10, 20),
        ),
        colours=((20, 110, 90), (250, 250, 250)),
        motif="ball",
    ),
    "Toys & Games": CategoryCatalogue(
        nouns=("Toys", "Games", "Playroom"),
        descriptions=(
            "{name} sells wooden toys and board games chosen by parents, not algorithms.",
            "{name} is a toy shop with games to try in store and puzzles for every age.",
        ),
        products=(
            ("Wooden train set, 40 pieces", "Beech track, magnetic carriages.", 30, 50),
            ("Jigsaw puzzle, 1000 pieces", "A map of the British coast.", 15, 22),
            ("Family board game", "Two to five players, 45 minutes.", 25, 40),
            ("Building blocks, 100", "Painted with water-based colours.", 25, 40),
            ("Plush fox", "Recycled filling, 30 cm.", 15, 25),
            ("Card game for two", "Quick rounds, easy to learn.", 10, 15),
            ("Diamond kite", "Ripstop nylon, 50 m line.", 15, 25),
            ("Craft kit: paper lanterns", "Everything to make six lanterns.", 10, 16),
        ),
        colours=((250, 200, 60), (200, 60, 60)),
        motif="blocks",
    ),
    "Pets": CategoryCatalogue(
        nouns=("Pet Supplies", "Paws", "Pet Pantry"),
        descriptions=(
            "{name} stocks natural pet food, toys and beds, with free advice from a qualified nurse.",
            "{name} is a pet shop for dogs, cats and birds; food is delivered monthly to partners.",
        ),
        products=(
            ("Rope dog lead, 1.5 m", "Climbing rope with a brass clip.", 15, 25),
            ("Cat scratching post", "Sisal rope, 70 cm.", 25, 40),
            ("Grain-free dog food, 2 kg", "Salmon and sweet potato.", 14, 22),
            ("Catnip mice, 3", "Organic catnip, felt.", 5, 8),
            ("Dog bed, medium", "Washable cover, recycled filling.", 35, 60),
            ("Gentle pet shampoo", "Oatmeal, 250 ml.", 7, 11),
            ("Natural rubber chew toy", "For strong chewers.", 8, 14),
            ("Wild bird seed, 1 kg", "No wheat filler.", 4, 7),
        ),
        colours=((240, 220, 190), (150, 90, 50)),
        motif="paw",
    ),
    "Beauty": CategoryCatalogue(
        nouns=("Apothecary", "Soap Co.", "Beauty"),
        descriptions=(
            "{name} makes soap and skincare by hand from plant oils, without palm oil.",
            "{name} sells plastic-free toiletries and refills your bottles in store.",
        ),
        products=(
            ("Lavender soap bar", "Cold-process, olive and coconut oils.", 4, 7),
            ("Shea body butter, 200 ml", "Unscented.", 12, 18),
            ("Shampoo bar", "For normal hair; lasts 80 washes.", 7, 10),
            ("Beeswax lip balm", "Peppermint.", 3, 5),
            ("Rosehip face oil, 30 ml", "Cold-pressed.", 15, 25),
            ("Epsom bath salts, 500 g", "With eucalyptus.", 6, 10),
            ("Hand cream, 75 ml", "Calendula and oat.", 8, 12),
            ("Bamboo toothbrush", "Plant-based bristles.", 3, 5),
        ),
        colours=((235, 210, 220), (120, 60, 110)),
        motif="bottle",
    ),
}

CATEGORIES = list(CATALOGUE)

REVIEWS = {
    5: (
        "Arrived the next day, beautifully packed.",
        "Exactly as described; I will order again.",
        "Friendly, fast and careful. A real partner.",
        "They answered my question within the hour.",
    ),
    4: (
        "Good quality, delivery took a little longer.",
        "Very happy; the box was slightly damaged.",
        "Great product, fair price.",
    ),
    3: ("Fine, but nothing special.", "Took a week to arrive."),
    2: ("Late, and no reply to my message.", "Not as pictured."),
    1: ("Never arrived until I chased it twice.", "Poor service; I ended the partnership."),
}
