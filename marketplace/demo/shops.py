"""Demo vendors and their catalogues: the named demo vendor, the generated vendors with owners, logos and
regions, and their products with pictures, worded from the curated lists in catalogue.py."""

from __future__ import annotations

import io
import random
from collections.abc import Callable, Iterator, Sequence
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageOps

from marketplace.accounts.demo import DEMO_VENDOR, GENERATED_VENDOR_OWNER
from marketplace.accounts.models import Region, User
from vendors.models import Category, Product, Vendor
from vendors.services.thumbnails import LOGO_SIZES, PRODUCT_SIZES

from . import pictures
from .bulk import BATCH, ProgressFactory, batched, insert_rows
from .catalogue import (
    CATALOGUE,
    CATEGORIES,
    ORIGINS,
    PREFIXES,
    PROMISES,
    TOWNS,
    CategoryCatalogue,
    person_name,
    trade_of,
)

if TYPE_CHECKING:
    from .seed import DemoResult

PICTURE_POOL = 12  # logos per category that vendors past LOGO_LIMIT share: constant cost at any scale
LOGO_LIMIT = 500  # vendors beyond this share their category's logos
# A vendor asked for more products than its trade's list names sells variants of them.
SIZES = ["", " (bundle of 2)", " (gift wrapped)", " (large)", " (seconds)"]
VENDOR_FIELDS = [
    "owner_id",
    "name",
    "slug",
    "category_id",
    "status",
    "description",
    "contact_email",
    "approved_at",
    "status_reason",
    "logo",
    "logo_thumbnails",
]
PRODUCT_FIELDS = [
    "vendor_id",
    "category_id",
    "name",
    "sku",
    "description",
    "price",
    "partner_price",
    "stock",
    "image",
    "thumbnails",
]


class PictureShelf:
    """The demo's stored pictures, each drawn and saved once and looked up once per run: 200k products share
    one picture per kind of product (about 120 files), so asking the storage for every product would cost more
    than the rows."""

    def __init__(self) -> None:
        self.known: set[str] = set()
        self.made: dict[tuple[str, tuple[str, ...]], dict[str, list[object]]] = {}

    def thumbnails(self, name: str, sizes: tuple[str, ...]) -> dict[str, list[object]]:
        """The thumbnails of a stored picture in `sizes` (cropped to the box from the centre, as the upload's
        task has sorl-thumbnail make them), drawn once per run with Pillow and stored beside the pictures, to
        store on every row that shows the picture."""
        if (name, sizes) not in self.made:
            made: dict[str, list[object]] = {}
            source = None
            for size in sizes:
                width, height = (int(side) for side in size.split("x"))
                stem, _dot, extension = name.rpartition("/")[2].rpartition(".")
                thumb = f"demo/thumbs/{size}/{stem}.{extension}"
                if thumb not in self.known and not default_storage.exists(thumb):
                    if source is None:
                        with default_storage.open(name) as stored:
                            source = Image.open(stored)
                            source.load()
                    fitted = ImageOps.fit(source, (width, height), Image.Resampling.BICUBIC)
                    buffer = io.BytesIO()
                    fitted.save(buffer, format="PNG" if extension == "png" else "JPEG", quality=85)
                    default_storage.save(thumb, ContentFile(buffer.getvalue()))
                self.known.add(thumb)
                made[size] = [thumb, width, height]
            self.made[name, sizes] = made
        return self.made[name, sizes]

    def stored(self, name: str, make: Callable[[], bytes]) -> str:
        if name not in self.known:
            if not default_storage.exists(name):
                default_storage.save(name, ContentFile(make()))
            self.known.add(name)
        return name

    def product_picture(self, kind: str) -> str:
        return self.stored(f"demo/products/kind-{slugify(kind)}.jpg", lambda: pictures.kind_picture(kind))

    def logo(self, catalogue: CategoryCatalogue, name: str, n: int) -> str:
        if n >= LOGO_LIMIT:
            variant = n % PICTURE_POOL
            return self.stored(
                f"demo/logos/pool-{slugify(catalogue.motif)}-{variant:02d}.png",
                lambda: pictures.vendor_logo(catalogue, catalogue.nouns[0], variant),
            )
        return self.stored(f"demo/logos/{slugify(name)}.png", lambda: pictures.vendor_logo(catalogue, name, n))


def categories_ensure() -> list[Category]:
    for name in CATEGORIES:
        Category.objects.get_or_create(slug=slugify(name), defaults={"name": name})
    return list(Category.objects.filter(slug__in=[slugify(n) for n in CATEGORIES]).order_by("id"))


def vendor_name(n: int, catalogue: CategoryCatalogue) -> str:
    """Unique and readable: vendor n is the k-th of its category (n = k * categories + category), in the k-th
    trade of it by turns ("Rosa's Roasters", "Patel's Tea Merchants"), its first word from PREFIXES shifted per
    category so the first sixty vendors each have their own; past those "… of Leeds", a number only past
    every town. Within a category (k mod prefixes, k div prefixes) differ, and categories' nouns differ."""
    category, k = n % len(CATEGORIES), n // len(CATEGORIES)
    trade = catalogue.trades[k % len(catalogue.trades)]
    noun = trade.nouns[(k // len(catalogue.trades)) % len(trade.nouns)]
    base = f"{PREFIXES[(k + 5 * category) % len(PREFIXES)]} {noun}"
    round_ = k // len(PREFIXES)
    if round_ == 0:
        return base
    if round_ <= len(TOWNS):
        return f"{base} of {TOWNS[round_ - 1]}"
    return f"{base} {round_}"


def vendor_description(rng: random.Random, catalogue: CategoryCatalogue, name: str, founder: str) -> str:
    """What the vendor says of itself: its trade's opening line, how it began, how it works and a promise."""
    trade = trade_of(catalogue, name)
    origin = rng.choice(ORIGINS).format(founder=founder, town=rng.choice(TOWNS), year=rng.randint(1979, 2022))
    return " ".join(
        [rng.choice(trade.openers).format(name=name), origin, rng.choice(trade.details), rng.choice(PROMISES)]
    )


def vendors_create(
    rng: random.Random,
    start: int,
    stop: int,
    password_hash: str,
    categories: list[Category],
    shelf: PictureShelf,
    progress: ProgressFactory,
    result: DemoResult,
) -> list[Vendor]:
    """Generated vendors n = start..stop-1, each with its own owner account, a logo and the regions it serves."""
    regions = list(Region.objects.order_by("id"))
    now = timezone.now()
    bar = progress(total=stop - start, desc="vendors", unit="row")
    created: list[Vendor] = []
    for batch in batched(range(start, stop), BATCH):
        emails = [GENERATED_VENDOR_OWNER.format(n=n) for n in batch]
        insert_rows(
            User,
            ["email", "display_name", "password"],
            [(e, person_name(n, salt=1), password_hash) for n, e in zip(batch, emails, strict=True)],
        )
        owners = dict(User.objects.filter(email__in=emails).values_list("email", "id"))
        rows = []
        for n, email in zip(batch, emails, strict=True):
            category = categories[n % len(categories)]
            catalogue = CATALOGUE[category.name]
            name = vendor_name(n, catalogue)
            # Roughly 1 in 25 generated vendors waits for approval and 1 in 50 is suspended, so moderation has work.
            status = Vendor.Status.APPROVED
            if n % 25 == 7:
                status = Vendor.Status.PENDING
            elif n % 50 == 13:
                status = Vendor.Status.SUSPENDED
            joined = now - timedelta(days=rng.randint(100, 900))
            rows.append(
                (
                    owners[email],
                    name,
                    slugify(name),
                    category.pk,
                    status,
                    vendor_description(rng, catalogue, name, person_name(n, salt=1)),
                    email,
                    joined if status != Vendor.Status.PENDING else None,
                    "Repeated complaints about late deliveries." if status == Vendor.Status.SUSPENDED else "",
                    logo := shelf.logo(catalogue, name, n),
                    shelf.thumbnails(logo, LOGO_SIZES),
                )
            )
        insert_rows(Vendor, VENDOR_FIELDS, rows)
        by_slug = {
            v.slug: v
            for v in Vendor.objects.filter(slug__in=[r[2] for r in rows]).only("id", "name", "slug", "category_id")
        }
        vendors = [by_slug[r[2]] for r in rows]
        insert_rows(
            Vendor.regions.through,
            ["vendor_id", "region_id"],
            [(v.pk, r.pk) for v in vendors for r in rng.sample(regions, rng.randint(1, 4))],
        )
        created.extend(vendors)
        result.vendors_created += len(vendors)
        bar.update(len(batch))
    bar.close()
    return created


def price_pick(rng: random.Random, low: float, high: float) -> Decimal:
    """A shop price between low and high: whole pounds below £20 end in .50 or .00, above in .99 or .00."""
    pence = rng.randint(int(low * 100), int(high * 100))
    if high < 20:
        pence = pence // 50 * 50
    else:
        pence = pence // 100 * 100 + rng.choice([0, 99])
    return (Decimal(max(pence, 100)) / 100).quantize(Decimal("0.01"))


def products_create(
    rng: random.Random,
    vendors: Sequence[Vendor],
    per_vendor: int,
    shelf: PictureShelf,
    progress: ProgressFactory,
    result: DemoResult,
    *,
    desc: str = "products",
) -> None:
    """Products from the list of the vendor's trade (a roaster sells coffee, a tea merchant tea), each with the
    picture of its kind (a belt looks like a belt)."""
    categories = {c.pk: c.name for c in Category.objects.all()}
    bar = progress(total=len(vendors) * per_vendor, desc=desc, unit="row")
    partner_share = Decimal("0.9")
    cent = Decimal("0.01")

    # Every kind's picture and its thumbnails first, before the COPY below streams the rows.
    for trade in {id(t): t for t in (trade_of(CATALOGUE[categories[v.category_id]], v.name) for v in vendors)}.values():
        for *_rest, kind in trade.products:
            shelf.thumbnails(shelf.product_picture(kind), PRODUCT_SIZES)

    def rows() -> Iterator[tuple[object, ...]]:
        for vendor in vendors:
            products = trade_of(CATALOGUE[categories[vendor.category_id]], vendor.name).products
            choices = rng.sample(range(len(products)), len(products))
            for i in range(per_vendor):
                name, description, low, high, kind = products[choices[i % len(choices)]]
                suffix = SIZES[(i // len(choices)) % len(SIZES)] + ("" if i < len(choices) * len(SIZES) else f" {i}")
                price = price_pick(rng, low, high)
                partner = (price * partner_share).quantize(cent) if rng.random() < 0.3 else None
                stock = rng.choice([0, 3, 8, 12, 25, 40, 60, 100])
                image = shelf.product_picture(kind)
                sku = f"V{vendor.pk}-{i + 1:03d}"
                thumbnails = shelf.thumbnails(image, PRODUCT_SIZES)
                yield (
                    vendor.pk,
                    vendor.category_id,
                    f"{name}{suffix}",
                    sku,
                    description,
                    price,
                    partner,
                    stock,
                    image,
                    thumbnails,
                )

    result.products_created += insert_rows(Product, PRODUCT_FIELDS, rows(), bar=bar)
    bar.close()


def named_vendor_ensure(
    accounts: dict[str, User],
    categories: list[Category],
    rng: random.Random,
    shelf: PictureShelf,
    progress: ProgressFactory,
    result: DemoResult,
) -> Vendor:
    """Demo Coffee Roasters, owned by the demo vendor account, with ten products of a roaster's."""
    vendor = Vendor.objects.filter(owner=accounts[DEMO_VENDOR]).first()
    if vendor is None:
        vendor = Vendor.objects.create(
            owner=accounts[DEMO_VENDOR],
            name="Demo Coffee Roasters",
            slug="demo-coffee-roasters",
            category=categories[0],
            status=Vendor.Status.APPROVED,
            approved_at=timezone.now() - timedelta(days=400),
            description="Small-batch coffee roasted every Tuesday, delivered to our partners by bicycle.",
            contact_email=DEMO_VENDOR,
        )
        vendor.regions.set(Region.objects.filter(code__in=["london", "south-east"]))
        result.vendors_created += 1
        vendor.logo.name = shelf.logo(CATALOGUE[categories[0].name], vendor.name, 0)
        vendor.logo_thumbnails = shelf.thumbnails(vendor.logo.name, LOGO_SIZES)
        vendor.save(update_fields=["logo", "logo_thumbnails"])
        products_create(rng, [vendor], 10, shelf, progress, result, desc="demo vendor products")
    return vendor
