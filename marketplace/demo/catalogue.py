"""What the demo marketplace sells: per category, the trades in it (a roaster, a tea merchant, a café), each
with the endings of its shops' names, what its shops say of themselves and the products it sells, each product
of a kind that has its own picture (pictures.py draws one per kind); and the names of the demo's people.

Curated by hand so the demo reads like a marketplace (roasters sell coffee, tea merchants tea, bike shops bikes
and parts), combined deterministically by the seeding code.
"""

from __future__ import annotations

from dataclasses import dataclass

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Trade:
    nouns: tuple[str, ...]  # the second half of its shops' names: "Harbour" + "Roasters"
    openers: tuple[str, ...]  # the first sentence of a shop's description; "{name}" is the shop's name
    details: tuple[str, ...]  # a sentence about how it works
    products: tuple[tuple[str, str, float, float, str], ...]  # name, description, lowest and highest price (£), kind


@dataclass(frozen=True)
class CategoryCatalogue:
    trades: tuple[Trade, ...]
    colours: tuple[RGB, RGB]  # logo background and motif colour
    motif: str  # what the category's logos draw (see pictures.py)

    @property
    def products(self) -> tuple[tuple[str, str, float, float, str], ...]:
        return tuple(p for trade in self.trades for p in trade.products)

    @property
    def nouns(self) -> tuple[str, ...]:
        return tuple(n for trade in self.trades for n in trade.nouns)


@dataclass(frozen=True)
class Kind:
    """A kind of product and its picture: what the picture draws, its background and drawing colours."""

    motif: str
    background: RGB
    colour: RGB


# The first half of shop names: places, streets and people. Sixty of them, so the default demo (forty vendors
# over twelve categories) gives every vendor a first word of its own.
PREFIXES = (
    "Harbour", "Rosa's", "Millbrook", "Okafor's", "Fernhill", "Little Wren", "Kingsway", "Blue Door",
    "Saltmarsh", "Patel's", "Copperleaf", "Old Mill", "Larkspur", "Nakamura", "Bramble", "Hollins",
    "Quayside", "Morrow's", "Highfield", "Green Lantern", "Foxglove", "Dunmore", "Redbrick", "Ivy & Oak",
    "Northgate", "Kowalski", "Willow Lane", "The Corner", "Brightwater", "Achterberg", "Elm Street",
    "Fairweather", "Riverside", "Sundial", "Ashford", "MacLeod's", "Oakridge", "Tidewater", "Marigold",
    "Costa's", "Bellweather", "Hartley's", "Pennyroyal", "Fieldfare", "Castlegate", "Odeh", "Lantern Yard",
    "Kestrel", "Moss & Stone", "Greaves", "Windmill", "Bluebell", "St Clement's", "Halden", "Juniper",
    "Osei", "Thistledown", "Market Row", "Cobble Hill", "Nightingale",
)  # fmt: skip
TOWNS = (
    "Leeds", "Bristol", "York", "Bath", "Norwich", "Cardiff", "Glasgow", "Brighton", "Exeter", "Durham",
    "Chester", "Oxford", "Cambridge", "Belfast", "Inverness", "Plymouth", "Hull", "Derby", "Lincoln", "Carlisle",
)  # fmt: skip
FIRST_NAMES = (
    "Amara", "Ben", "Chloe", "Dev", "Eilidh", "Farah", "George", "Hannah", "Ibrahim", "Jess", "Kwame", "Lucy",
    "Mateusz", "Niamh", "Oliver", "Priya", "Rhys", "Sofia", "Tom", "Una", "Vikram", "Wen", "Yusuf", "Zoe",
    "Aisha", "Callum", "Daniela", "Ethan", "Freya", "Hamza", "Isla", "Jonah", "Kasia", "Leon", "Maya", "Nathan",
    "Olu", "Poppy", "Ravi", "Sam", "Tariq", "Alice", "Marek", "Grace", "Luca", "Imogen", "Arjun", "Ruth",
)  # fmt: skip
LAST_NAMES = (
    "Adeyemi", "Bennett", "Chaudhry", "Davies", "Evans", "Fraser", "Gallagher", "Hughes", "Iqbal", "Jones",
    "Kaur", "Lewis", "Mensah", "Nowak", "O'Brien", "Parker", "Quinn", "Robertson", "Shah", "Thompson", "Usman",
    "Vaughan", "Walsh", "Xu", "Young", "Zielinski", "Ahmed", "Baker", "Campbell", "Doyle", "Ellis", "Foster",
    "Green", "Hall", "Ivanova", "Jackson", "Khan", "Lloyd", "Murphy", "Nguyen", "Owusu", "Price", "Reid",
    "Singh", "Taylor", "Wright", "Morgan", "Clarke", "Rossi", "Murray", "Kowalczyk", "Patel", "Okoye",
)  # fmt: skip
STREETS = (
    "High Street", "Station Road", "Church Lane", "Victoria Road", "Mill Lane", "Park Avenue", "Queen Street",
    "The Crescent", "Orchard Close", "Albert Terrace", "Harbour View", "Meadow Way", "King's Road", "Chapel Row",
)  # fmt: skip
# The middle of a description: how the shop began. {founder} is a person's name, {town} a town, {year} a year.
ORIGINS = (
    "{founder} started it in {year} from a market stall in {town}.",
    "It began in {year}, when {founder} took over an old shop front in {town}.",
    "{founder} runs it with a team of five, from a workshop in {town}.",
    "Family-run since {year}, now by {founder}, in {town}.",
    "{founder} opened it in {year} after twenty years in the trade.",
    "It has been in the same {town} street since {year}; {founder} answers the messages.",
)
PROMISES = (
    "Partners hear about new stock first.",
    "Orders placed before noon leave the same day.",
    "Everything is packed in recycled paper, without plastic.",
    "Returns within 30 days, no questions asked.",
    "Delivery is free over £40.",
    "Ask for advice by message: a person answers within a day.",
)

CATALOGUE: dict[str, CategoryCatalogue] = {
    "Coffee & Tea": CategoryCatalogue(
        trades=(
            Trade(
                nouns=("Roasters", "Coffee Roastery"),
                openers=(
                    "{name} roasts single-origin coffee in small batches and posts it within two days of roasting.",
                    "{name} buys green coffee directly from growers and roasts it on a 15 kg drum every Tuesday.",
                ),
                details=(
                    "Each bag says the farm, the altitude and the day it was roasted.",
                    "Beans come whole or ground for your brewer, in compostable bags.",
                ),
                products=(
                    (
                        "Ethiopia Yirgacheffe beans, 250 g",
                        "Washed, floral and bright; roasted light for filter.",
                        8,
                        11,
                        "coffee beans",
                    ),
                    (
                        "Colombia Huila beans, 250 g",
                        "Caramel and red apple; a medium roast for every brewer.",
                        7,
                        10,
                        "coffee beans",
                    ),
                    (
                        "House espresso blend, 1 kg",
                        "Chocolate and hazelnut; made for milk drinks.",
                        22,
                        30,
                        "coffee beans",
                    ),
                    (
                        "Swiss-water decaf, 250 g",
                        "Decaffeinated without solvents; a full, sweet cup.",
                        8,
                        10,
                        "coffee beans",
                    ),
                    (
                        "Cold brew pouches, pack of 6",
                        "Steep overnight in the fridge; no equipment needed.",
                        9,
                        12,
                        "cold brew",
                    ),
                    ("Ceramic pour-over dripper", "Hand-glazed; fits standard size 02 filters.", 18, 28, "dripper"),
                    ("Hand burr grinder", "Steel burrs, 40 settings from espresso to cafetière.", 35, 60, "grinder"),
                    ("Paper filters, 100", "Unbleached, size 02.", 4, 6, "filters"),
                ),
            ),
            Trade(
                nouns=("Tea Merchants", "Tea Co."),
                openers=(
                    "{name} blends loose-leaf teas and sells the brewing kit to go with them.",
                    "{name} imports whole-leaf tea from small gardens in Assam, Darjeeling, Yunnan and Shizuoka.",
                ),
                details=(
                    "Every tea can be tasted in the shop before you buy it.",
                    "Teas come in refillable tins; bring yours back for a discount.",
                ),
                products=(
                    ("Earl Grey loose leaf, 100 g", "Black tea with real bergamot oil.", 5, 8, "loose tea"),
                    ("Sencha green tea, 100 g", "Steamed Japanese green tea, grassy and sweet.", 6, 9, "loose tea"),
                    ("Chai spice blend, 100 g", "Assam with cardamom, cinnamon, ginger and clove.", 6, 8, "loose tea"),
                    ("Assam breakfast tea, 250 g", "Malty and strong; takes milk well.", 7, 10, "loose tea"),
                    ("Peppermint tisane, 50 g", "Whole leaves from Oregon.", 4, 6, "loose tea"),
                    ("Glass teapot with infuser", "Heat-resistant glass, 800 ml.", 18, 26, "teapot"),
                    ("Tea tin, 150 g", "Airtight, with a double lid.", 6, 9, "tea tin"),
                ),
            ),
            Trade(
                nouns=("Coffee House",),
                openers=("{name} is a neighbourhood café that sells the coffee and tea it serves.",),
                details=("Regulars' favourites are packed to order.",),
                products=(
                    ("House blend beans, 500 g", "The café's own espresso, sweet and round.", 12, 16, "coffee beans"),
                    ("Breakfast tea bags, 80", "Plastic-free bags of Assam and Kenyan tea.", 4, 6, "tea bags"),
                    ("Stoneware coffee cup", "Made for the café by a potter in Stoke, 250 ml.", 12, 18, "cup"),
                    ("Cafetière, 8 cups", "Borosilicate glass and steel.", 20, 30, "cafetiere"),
                    ("Hot chocolate flakes, 250 g", "70% dark chocolate, melted into hot milk.", 7, 9, "chocolate"),
                ),
            ),
        ),
        colours=((92, 64, 51), (237, 201, 155)),
        motif="cup",
    ),
    "Bakery": CategoryCatalogue(
        trades=(
            Trade(
                nouns=("Bakehouse", "Sourdough"),
                openers=(
                    "{name} bakes naturally leavened bread every morning and delivers before nine.",
                    "{name} mills its own flour from heritage wheat and bakes it into slow-proved loaves.",
                ),
                details=(
                    "Loaves ferment for 48 hours before they are baked.",
                    "Yesterday's bread goes to the food bank.",
                ),
                products=(
                    ("White sourdough loaf", "48-hour ferment, crackling crust.", 3.5, 5, "bread"),
                    ("Seeded rye loaf", "Dense, tangy and full of sunflower and pumpkin seeds.", 4, 5.5, "bread"),
                    ("Rosemary focaccia", "Olive oil, sea salt and rosemary; a tray to share.", 5, 7, "focaccia"),
                    ("Baguette", "Baked three times a day.", 2, 3, "baguette"),
                    ("Sourdough starter", "Our 12-year-old starter in a jar, with instructions.", 5, 8, "starter jar"),
                ),
            ),
            Trade(
                nouns=("Patisserie", "Cake Shop"),
                openers=(
                    "{name} is a patisserie: laminated pastries, tarts and cakes to order.",
                    "{name} bakes celebration cakes and weekend pastries in a small open kitchen.",
                ),
                details=("Cakes are made to order with two days' notice.", "Everything is baked with British butter."),
                products=(
                    ("All-butter croissants, box of 4", "Laminated over three days.", 7, 10, "pastry"),
                    ("Cinnamon buns, box of 4", "Cardamom dough rolled with cinnamon butter.", 8, 11, "pastry"),
                    ("Lemon tart, 20 cm", "Sharp lemon curd in sweet pastry.", 18, 24, "tart"),
                    ("Victoria sponge", "Raspberry jam and vanilla cream; serves eight.", 20, 28, "cake"),
                    ("Brownie box of 6", "Dark chocolate, sea salt.", 12, 16, "brownies"),
                    ("Banana bread", "With walnuts and dark muscovado.", 6, 8, "cake"),
                ),
            ),
        ),
        colours=((214, 170, 110), (120, 72, 30)),
        motif="loaf",
    ),
    "Bicycles": CategoryCatalogue(
        trades=(
            Trade(
                nouns=("Cycles", "Bicycle Co."),
                openers=(
                    "{name} builds, sells and services bicycles, and keeps the spare parts to keep them riding.",
                    "{name} sells city, gravel and cargo bikes, each built and tuned in its own workshop.",
                ),
                details=("Every bike comes with a free service after six weeks.", "Test rides any day but Sunday."),
                products=(
                    (
                        "City bike, 7-speed",
                        "Steel frame, mudguards and rack; built and tuned in the workshop.",
                        420,
                        650,
                        "bicycle",
                    ),
                    ("Gravel bike, 2x10", "Aluminium frame, carbon fork, 40 mm tyres.", 850, 1200, "bicycle"),
                    ("Commuter helmet", "MIPS liner, rear light built in.", 45, 90, "helmet"),
                    ("D-lock with cable", "Sold Secure Gold.", 35, 60, "lock"),
                    ("Waterproof pannier, 20 L", "Roll-top, reflective trim.", 30, 55, "pannier"),
                    ("USB LED light set", "Front 400 lumen, rear 50 lumen; rechargeable.", 25, 45, "bike light"),
                ),
            ),
            Trade(
                nouns=("Bike Works", "Cycle Repairs"),
                openers=(
                    "{name} is a repair workshop for commuters: same-week servicing, parts and advice.",
                    "{name} fixes bikes of every age and sells the parts to fix your own.",
                ),
                details=(
                    "Book a service online; most are done in a day.",
                    "Free puncture lessons on Saturday mornings.",
                ),
                products=(
                    ("Inner tube 700x28-35c", "Presta valve.", 5, 8, "inner tube"),
                    ("Puncture repair kit", "Patches, glue, levers and sandpaper.", 4, 7, "repair kit"),
                    ("Chain lube, 100 ml", "Wet-weather formula.", 6, 10, "lube"),
                    ("Comfort saddle", "Gel padded with a relief channel.", 25, 45, "saddle"),
                    ("Folding tyre 700x32c", "Puncture-resistant, reflective sidewall.", 25, 40, "tyre"),
                    ("Multi-tool, 15 functions", "Hex keys, chain tool and screwdrivers.", 15, 25, "tool"),
                ),
            ),
        ),
        colours=((40, 90, 120), (240, 180, 60)),
        motif="bike",
    ),
    "Books": CategoryCatalogue(
        trades=(
            Trade(
                nouns=("Books", "Bookshop"),
                openers=(
                    "{name} is an independent bookshop with staff picks, signed copies and special orders.",
                    "{name} sells new books and orders anything in print within two days.",
                ),
                details=("A monthly reading group meets in the shop.", "Staff write a card for every book they love."),
                products=(
                    (
                        "The Quiet Harbour, a novel",
                        "A lighthouse keeper's daughter and the winter that changed her town.",
                        9,
                        14,
                        "novel",
                    ),
                    (
                        "Field guide to British birds",
                        "Over 300 species, with maps and songs described.",
                        15,
                        22,
                        "field guide",
                    ),
                    ("Sourdough at home", "A baking book for beginners, from starter to loaf.", 16, 25, "cookbook"),
                    ("Cycling the coast", "Twenty routes around the British coastline.", 12, 18, "guidebook"),
                    ("Poems for the commute", "One short poem for every weekday of the year.", 8, 12, "poetry"),
                    ("The Brave Little Fox, picture book", "For ages 3 to 6.", 7, 10, "picture book"),
                ),
            ),
            Trade(
                nouns=("Reading Room", "Paper & Ink"),
                openers=(
                    "{name} sells second-hand books and stationery for people who still write by hand.",
                    "{name} is a book and paper shop: used books upstairs, notebooks and pens downstairs.",
                ),
                details=("Bring your old books in for credit.", "Notebooks are bound by hand in the back room."),
                products=(
                    (
                        "A short history of tea, used",
                        "From Yunnan to the British breakfast table; good condition.",
                        4,
                        8,
                        "novel",
                    ),
                    ("Dotted notebook, A5", "160 pages of 100 gsm paper.", 9, 14, "notebook"),
                    ("Fountain pen", "Steel nib, converter included.", 18, 35, "pen"),
                    ("Bottled ink, 50 ml", "Blue-black, water-resistant.", 8, 12, "ink"),
                    ("Linen bookmarks, set of 3", "Screen-printed with birds.", 5, 8, "bookmark"),
                ),
            ),
        ),
        colours=((130, 40, 50), (245, 235, 215)),
        motif="books",
    ),
    "Garden": CategoryCatalogue(
        trades=(
            Trade(
                nouns=("Nursery", "Greenhouse"),
                openers=(
                    "{name} grows its own seedlings and sells them with peat-free compost and advice.",
                    "{name} is a plant nursery for small gardens and balconies.",
                ),
                details=(
                    "Plants are grown without peat or neonicotinoids.",
                    "Seedlings are sent in paper pots you plant whole.",
                ),
                products=(
                    ("Kitchen herb starter kit", "Basil, parsley, chives and pots.", 12, 18, "herb kit"),
                    ("Peat-free compost, 40 L", "For seeds, pots and borders.", 8, 12, "compost"),
                    ("Lavender plant, 2 L pot", "Hidcote, loved by bees.", 7, 11, "potted plant"),
                    ("Terracotta pot, 25 cm", "Frost-proof, made in Italy.", 9, 16, "flower pot"),
                    ("Raised bed kit, 1.2 m", "Untreated larch; no tools needed.", 60, 110, "raised bed"),
                ),
            ),
            Trade(
                nouns=("Seed Co.", "Garden Supply"),
                openers=(
                    "{name} sells open-pollinated seeds and the tools to grow them.",
                    "{name} helps small gardens grow food: seeds, tools and a monthly planting letter.",
                ),
                details=(
                    "Seeds are saved from its own trial beds.",
                    "Tools are chosen to last and can be resharpened.",
                ),
                products=(
                    ("Heritage tomato seeds", "Five varieties, about 20 seeds each.", 3, 5, "seeds"),
                    ("Wildflower seed mix", "Native meadow flowers for 10 m².", 4, 7, "seeds"),
                    ("Bypass secateurs", "Carbon-steel blades, replaceable spring.", 18, 30, "secateurs"),
                    ("Watering can, 10 L", "Galvanised steel with a brass rose.", 25, 40, "watering can"),
                    ("Hanging bird feeder", "Squirrel-resistant, holds 1 kg of seed.", 15, 25, "bird feeder"),
                    ("Gardening gloves", "Nitrile palms, breathable backs.", 5, 9, "gloves"),
                ),
            ),
        ),
        colours=((70, 120, 60), (235, 225, 120)),
        motif="leaf",
    ),
    "Home & Kitchen": CategoryCatalogue(
        trades=(
            Trade(
                nouns=("Cookshop", "Kitchen Co."),
                openers=(
                    "{name} sells kitchenware that lasts: cast iron, carbon steel and good knives.",
                    "{name} is a cookshop run by a former chef, with knife sharpening while you wait.",
                ),
                details=(
                    "Knives bought here are sharpened free for life.",
                    "Pans are seasoned in the shop before they go.",
                ),
                products=(
                    ("Cast-iron skillet, 26 cm", "Pre-seasoned; oven and induction safe.", 30, 50, "skillet"),
                    ("Chef's knife, 20 cm", "German steel, full tang.", 45, 90, "knife"),
                    ("Oak chopping board", "End grain, oiled.", 35, 60, "chopping board"),
                    ("Enamel pie dish", "White with a blue rim, 24 cm.", 12, 18, "pie dish"),
                    ("Stockpot, 8 L", "Stainless steel with a thick base.", 40, 70, "stockpot"),
                ),
            ),
            Trade(
                nouns=("Homewares", "Home Store"),
                openers=(
                    "{name} is a homeware shop of well-made everyday things, chosen to be repaired, not replaced.",
                    "{name} sells linen, ceramics and glass from small makers around Britain.",
                ),
                details=(
                    "Most pieces are made within 100 miles of the shop.",
                    "Seconds are sold at half price every Friday.",
                ),
                products=(
                    ("Linen tea towels, pair", "Stonewashed European linen.", 14, 22, "tea towel"),
                    ("Stoneware mug", "Hand-thrown, 350 ml.", 12, 20, "mug"),
                    ("Glass storage jars, set of 3", "Airtight with bamboo lids.", 15, 25, "storage jar"),
                    ("Beeswax food wraps, 3 sizes", "Washable and reusable for a year.", 10, 16, "food wrap"),
                    ("Wool throw", "Welsh wool, 130 x 180 cm.", 60, 95, "throw"),
                    ("Soy wax candle", "Fig and cedar, 40 hours.", 14, 22, "candle"),
                ),
            ),
        ),
        colours=((200, 205, 210), (60, 80, 110)),
        motif="pot",
    ),
    "Fashion": CategoryCatalogue(
        trades=(
            Trade(
                nouns=("Clothing Co.", "Knitwear"),
                openers=(
                    "{name} makes clothes from organic cotton and merino, sewn in small runs.",
                    "{name} knits jumpers and hats from British wool on machines older than its founders.",
                ),
                details=(
                    "Every garment can be sent back for free repairs.",
                    "Runs are small: when a colour sells out, it is gone.",
                ),
                products=(
                    ("Merino crew jumper", "Fine-knit, machine washable.", 70, 110, "jumper"),
                    ("Organic cotton T-shirt", "Heavyweight jersey, boxy fit.", 18, 30, "t-shirt"),
                    ("Wool beanie", "British wool, one size.", 15, 25, "beanie"),
                    ("Linen shirt", "Relaxed fit, mother-of-pearl buttons.", 45, 75, "shirt"),
                    ("Wool socks, 2 pairs", "Reinforced heel and toe.", 12, 18, "socks"),
                ),
            ),
            Trade(
                nouns=("Outfitters", "Leather & Canvas"),
                openers=(
                    "{name} sells durable outerwear and leather goods, and mends what it sells.",
                    "{name} cuts and stitches bags and belts by hand, and stocks jackets made to last.",
                ),
                details=("Leather is vegetable-tanned in Somerset.", "Bring any bag back for re-stitching, free."),
                products=(
                    ("Selvedge denim jacket", "Japanese denim that fades with you.", 110, 160, "jacket"),
                    ("Packable rain jacket", "Recycled nylon, taped seams.", 60, 95, "jacket"),
                    ("Canvas tote bag", "Waxed cotton with leather handles.", 20, 35, "tote bag"),
                    ("Leather belt", "Vegetable-tanned, solid brass buckle.", 30, 50, "belt"),
                    ("Leather wallet", "Six cards and notes, hand-stitched.", 35, 55, "wallet"),
                ),
            ),
        ),
        colours=((60, 60, 90), (230, 120, 110)),
        motif="shirt",
    ),
    "Electronics": CategoryCatalogue(
        trades=(
            Trade(
                nouns=("Electronics", "Audio"),
                openers=(
                    "{name} stocks chargers, cables and audio that are built to last, with a two-year guarantee.",
                    "{name} sells headphones and speakers you can listen to in the shop before buying.",
                ),
                details=(
                    "Old electronics are taken back for recycling.",
                    "Every product has been tested by the staff.",
                ),
                products=(
                    ("USB-C charger, 65 W", "Charges a laptop and a phone at once.", 30, 45, "charger"),
                    ("Wireless earbuds", "Replaceable batteries, 8 hours of play.", 60, 120, "earbuds"),
                    ("Over-ear headphones", "Closed back, folding, with a cable for the plane.", 80, 150, "headphones"),
                    ("Bluetooth speaker", "Splash-proof, 12 hours.", 40, 80, "speaker"),
                    ("Braided HDMI cable, 2 m", "4K at 60 Hz.", 8, 14, "cable"),
                ),
            ),
            Trade(
                nouns=("Tech Repairs", "Phone Clinic"),
                openers=(
                    "{name} repairs phones, tablets and laptops, and recycles what it cannot fix.",
                    "{name} is a repair bench on the high street: screens and batteries fitted while you wait.",
                ),
                details=("Repairs carry a twelve-month guarantee.", "A quote is free and takes ten minutes."),
                products=(
                    ("Phone repair: new battery", "Fitted while you wait; parts and labour.", 45, 70, "phone"),
                    ("Phone repair: new screen", "Original-grade glass; fitted in an hour.", 70, 140, "phone"),
                    ("Power bank, 10 000 mAh", "USB-C in and out.", 20, 35, "power bank"),
                    ("Smart plug", "Works without a cloud account.", 12, 20, "smart plug"),
                    ("LED desk lamp", "Dimmable, warm to cool light.", 35, 60, "desk lamp"),
                ),
            ),
        ),
        colours=((30, 35, 45), (90, 200, 220)),
        motif="device",
    ),
    "Sports": CategoryCatalogue(
        trades=(
            Trade(
                nouns=("Running Co.", "Athletics"),
                openers=(
                    "{name} equips runners and swimmers, and knows its products from using them.",
                    "{name} is a running shop with a Saturday club that leaves from its door.",
                ),
                details=("Gait checks are free, with or without buying.", "Staff race in what they sell."),
                products=(
                    ("Running socks, 3 pairs", "Cushioned heel and toe.", 12, 18, "socks"),
                    ("Insulated water bottle, 750 ml", "Keeps cold for 24 hours.", 15, 25, "water bottle"),
                    ("Swim goggles", "Anti-fog, UV protection.", 10, 20, "goggles"),
                    ("Running cap", "Light, quick-drying, reflective.", 14, 22, "cap"),
                    ("Head torch, 300 lumen", "For winter evening runs; rechargeable.", 20, 35, "head torch"),
                ),
            ),
            Trade(
                nouns=("Sports", "Fitness"),
                openers=(
                    "{name} sells kit for team sports and home workouts.",
                    "{name} supplies the local clubs and anyone training at home.",
                ),
                details=(
                    "Club members get their partner price on everything.",
                    "Kit is restrung and repaired in the shop.",
                ),
                products=(
                    ("Yoga mat, 6 mm", "Natural rubber, non-slip.", 25, 45, "yoga mat"),
                    ("Dumbbell pair, 5 kg", "Cast iron with rubber coating.", 25, 40, "dumbbells"),
                    ("Resistance bands, set of 5", "Light to extra heavy.", 12, 20, "resistance bands"),
                    ("Football, size 5", "Hand-stitched.", 15, 30, "football"),
                    ("Tennis balls, tin of 4", "All-court.", 5, 8, "tennis balls"),
                    ("Skipping rope", "Ball-bearing handles, adjustable.", 8, 14, "skipping rope"),
                ),
            ),
        ),
        colours=((20, 110, 90), (250, 250, 250)),
        motif="ball",
    ),
    "Toys & Games": CategoryCatalogue(
        trades=(
            Trade(
                nouns=("Toys", "Toy Box"),
                openers=(
                    "{name} sells wooden toys chosen by parents, not algorithms.",
                    "{name} is a toy shop where every toy can be played with before it is bought.",
                ),
                details=("Toys are wrapped free for birthdays.", "Wooden toys are made in Britain and Germany."),
                products=(
                    ("Wooden train set, 40 pieces", "Beech track, magnetic carriages.", 30, 50, "train set"),
                    ("Building blocks, 100", "Painted with water-based colours.", 25, 40, "blocks"),
                    ("Plush fox", "Recycled filling, 30 cm.", 15, 25, "plush toy"),
                    ("Diamond kite", "Ripstop nylon, 50 m line.", 15, 25, "kite"),
                    ("Craft kit: paper lanterns", "Everything to make six lanterns.", 10, 16, "craft kit"),
                ),
            ),
            Trade(
                nouns=("Games", "Game Night"),
                openers=(
                    "{name} sells board games and puzzles, and hosts a games night on Thursdays.",
                    "{name} is a games shop with a library of games to try at its tables.",
                ),
                details=("Staff teach any game in the shop in ten minutes.", "Missing pieces are replaced free."),
                products=(
                    ("Jigsaw puzzle, 1000 pieces", "A map of the British coast.", 15, 22, "jigsaw"),
                    ("Family board game", "Two to five players, 45 minutes.", 25, 40, "board game"),
                    ("Card game for two", "Quick rounds, easy to learn.", 10, 15, "card game"),
                    ("Chess set, wooden", "Weighted pieces, folding board.", 30, 55, "chess set"),
                    ("Dice set, 7 pieces", "For role-playing games.", 6, 10, "dice"),
                ),
            ),
        ),
        colours=((250, 200, 60), (200, 60, 60)),
        motif="blocks",
    ),
    "Pets": CategoryCatalogue(
        trades=(
            Trade(
                nouns=("Pet Supplies", "Pet Pantry"),
                openers=(
                    "{name} stocks natural pet food, toys and beds, with free advice from a qualified nurse.",
                    "{name} is a pet shop for dogs, cats and birds; food is delivered monthly to partners.",
                ),
                details=("Food comes in paper sacks that go in the recycling.", "Samples of any food on request."),
                products=(
                    ("Grain-free dog food, 2 kg", "Salmon and sweet potato.", 14, 22, "pet food"),
                    ("Cat food, 12 pouches", "Chicken and fish in jelly.", 8, 12, "pet food"),
                    ("Wild bird seed, 1 kg", "No wheat filler.", 4, 7, "bird seed"),
                    ("Gentle pet shampoo", "Oatmeal, 250 ml.", 7, 11, "pet shampoo"),
                    ("Dog bed, medium", "Washable cover, recycled filling.", 35, 60, "pet bed"),
                ),
            ),
            Trade(
                nouns=("Paws", "Dog & Cat"),
                openers=(
                    "{name} makes leads and collars by hand and sells toys that survive strong chewers.",
                    "{name} is a shop for dogs and cats, and for the people walking them.",
                ),
                details=("Every lead is tested to 200 kg.", "Dogs are welcome in the shop."),
                products=(
                    ("Rope dog lead, 1.5 m", "Climbing rope with a brass clip.", 15, 25, "dog lead"),
                    ("Leather dog collar", "Adjustable, brass buckle.", 14, 24, "collar"),
                    ("Cat scratching post", "Sisal rope, 70 cm.", 25, 40, "scratching post"),
                    ("Catnip mice, 3", "Organic catnip, felt.", 5, 8, "cat toy"),
                    ("Natural rubber chew toy", "For strong chewers.", 8, 14, "chew toy"),
                ),
            ),
        ),
        colours=((240, 220, 190), (150, 90, 50)),
        motif="paw",
    ),
    "Beauty": CategoryCatalogue(
        trades=(
            Trade(
                nouns=("Apothecary", "Skincare"),
                openers=(
                    "{name} makes skincare by hand from plant oils, without palm oil.",
                    "{name} blends balms, oils and creams in small batches in its own workroom.",
                ),
                details=("Every batch is dated on the label.", "Ingredients are listed in plain words."),
                products=(
                    ("Shea body butter, 200 ml", "Unscented.", 12, 18, "body butter"),
                    ("Rosehip face oil, 30 ml", "Cold-pressed.", 15, 25, "face oil"),
                    ("Hand cream, 75 ml", "Calendula and oat.", 8, 12, "hand cream"),
                    ("Beeswax lip balm", "Peppermint.", 3, 5, "lip balm"),
                ),
            ),
            Trade(
                nouns=("Soap Co.", "Refill Shop"),
                openers=(
                    "{name} makes cold-process soap and sells plastic-free toiletries.",
                    "{name} refills your bottles with shampoo, soap and cleaners by weight.",
                ),
                details=("Bring your own bottles, or borrow ours.", "Soap is cured for six weeks before it is sold."),
                products=(
                    ("Lavender soap bar", "Cold-process, olive and coconut oils.", 4, 7, "soap"),
                    ("Oat and honey soap bar", "Gentle, for dry skin.", 4, 7, "soap"),
                    ("Shampoo bar", "For normal hair; lasts 80 washes.", 7, 10, "shampoo bar"),
                    ("Epsom bath salts, 500 g", "With eucalyptus.", 6, 10, "bath salts"),
                    ("Bamboo toothbrush", "Plant-based bristles.", 3, 5, "toothbrush"),
                ),
            ),
        ),
        colours=((235, 210, 220), (120, 60, 110)),
        motif="bottle",
    ),
}

CATEGORIES = list(CATALOGUE)

# What each kind's picture draws (pictures.py MOTIFS); its colours come from its name, except where a kind has
# colours everyone expects (coffee is brown, tea green). The picture also says the kind's name.
KIND_MOTIFS: dict[str, str] = {
    "coffee beans": "bag", "cold brew": "bag", "dripper": "cone", "grinder": "grinder", "filters": "cone",
    "loose tea": "jar", "teapot": "teapot", "tea tin": "jar", "tea bags": "box", "cup": "cup", "cafetiere": "jar",
    "chocolate": "bar", "bread": "loaf", "focaccia": "bar", "baguette": "baguette", "starter jar": "jar",
    "pastry": "pastry", "tart": "tart", "cake": "cake", "brownies": "box",
    "bicycle": "bike", "helmet": "helmet", "lock": "lock", "pannier": "bag", "bike light": "lamp",
    "inner tube": "ring", "repair kit": "box", "lube": "bottle", "saddle": "saddle", "tyre": "ring", "tool": "tool",
    "novel": "book", "field guide": "book", "cookbook": "book", "guidebook": "book", "poetry": "book",
    "picture book": "book", "notebook": "book", "pen": "pen", "ink": "jar", "bookmark": "bookmark",
    "herb kit": "leaf", "compost": "bag", "potted plant": "plant", "flower pot": "flowerpot", "raised bed": "box",
    "seeds": "packet", "secateurs": "tool", "watering can": "watering can", "bird feeder": "lantern",
    "gloves": "glove",
    "skillet": "skillet", "knife": "knife", "chopping board": "board", "pie dish": "tart", "stockpot": "pot",
    "tea towel": "towel", "mug": "cup", "storage jar": "jar", "food wrap": "towel", "throw": "towel",
    "candle": "candle",
    "jumper": "jumper", "t-shirt": "shirt", "beanie": "beanie", "shirt": "shirt", "socks": "sock", "jacket": "jumper",
    "tote bag": "tote", "belt": "belt", "wallet": "wallet",
    "charger": "plug", "earbuds": "earbuds", "headphones": "headphones", "speaker": "speaker", "cable": "cable",
    "phone": "phone", "power bank": "phone", "smart plug": "plug", "desk lamp": "lamp",
    "water bottle": "bottle", "goggles": "goggles", "cap": "beanie", "head torch": "lamp", "yoga mat": "mat",
    "dumbbells": "dumbbell", "resistance bands": "ring", "football": "ball", "tennis balls": "ball",
    "skipping rope": "cable",
    "train set": "train", "blocks": "blocks", "plush toy": "paw", "kite": "kite", "craft kit": "lantern",
    "jigsaw": "puzzle", "board game": "box", "card game": "cards", "chess set": "chess", "dice": "dice",
    "pet food": "bag", "bird seed": "packet", "pet shampoo": "bottle", "pet bed": "ring", "dog lead": "cable",
    "collar": "ring", "scratching post": "post", "cat toy": "paw", "chew toy": "bone",
    "body butter": "tub", "face oil": "bottle", "hand cream": "tube", "lip balm": "tub", "soap": "bar",
    "shampoo bar": "bar", "bath salts": "jar", "toothbrush": "toothbrush",
}  # fmt: skip
KIND_COLOURS: dict[str, tuple[RGB, RGB]] = {
    "coffee beans": ((236, 222, 205), (96, 62, 40)),
    "cold brew": ((225, 232, 236), (70, 50, 40)),
    "loose tea": ((221, 236, 214), (70, 120, 60)),
    "tea tin": ((214, 230, 222), (40, 95, 80)),
    "chocolate": ((240, 226, 214), (90, 50, 30)),
    "bread": ((245, 232, 210), (170, 110, 50)),
    "baguette": ((245, 232, 210), (190, 130, 60)),
    "tyre": ((228, 228, 224), (40, 40, 40)),
    "inner tube": ((228, 228, 224), (50, 50, 55)),
}

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


def person_name(n: int, salt: int = 0) -> str:
    """A person's name for the demo's n-th consumer (salt 0) or vendor owner (salt 1): first and last names
    combined so neighbours differ and the pairs repeat only after thousands."""
    first = FIRST_NAMES[(n + salt * 17) % len(FIRST_NAMES)]
    last = LAST_NAMES[(n // len(FIRST_NAMES) + n * 7 + salt * 5) % len(LAST_NAMES)]
    return f"{first} {last}"


def trade_of(catalogue: CategoryCatalogue, name: str) -> Trade:
    """The trade a shop of this category is in, read from its name's ending ("… Roasters"); the first otherwise."""
    for trade in catalogue.trades:
        if any(name.endswith(noun) or f" {noun} " in name for noun in trade.nouns):
            return trade
    return catalogue.trades[0]
