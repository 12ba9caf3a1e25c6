"""What the storefront shows of categories, regions, vendors and products, as values: frozen dataclasses that
pages keep in the shared cache (marketplace.kernel.caching) instead of model rows. Each holds only what a page
shows every visitor (no owner, no e-mail address, no search vector) and the few methods templates and API
serializers call on a row (get_absolute_url, regions_served, unit_price_for, in_stock). A page's own touches
(the visitor's price, the partner marks) are set with `dataclasses.replace` on a copy.

Bump a `SHAPE` when a dataclass here changes: it is part of every key these values are kept under, so a deploy
never reads the values the old code kept."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.storage import default_storage
from django.urls import reverse

from marketplace.kernel.languages import Bilingual

SHAPE = 3


@dataclass(frozen=True)
class Thumbnail:
    """One stored thumbnail of a picture (vendors/services/thumbnails.py): what an <img> needs."""

    name: str
    width: int
    height: int

    @property
    def url(self) -> str:
        return default_storage.url(self.name)


@dataclass(frozen=True)
class StoredFile:
    """A stored picture by its name: what thumbnails (sorl) and API serializers read of an ImageField, with the
    thumbnails stored for it on its row (size, file name, width, height), when they are."""

    name: str
    thumbnails: tuple[tuple[str, str, int, int], ...] = ()

    def __str__(self) -> str:
        return self.name

    def __bool__(self) -> bool:
        return bool(self.name)

    @property
    def url(self) -> str:
        return default_storage.url(self.name)


# Which row field holds the stored thumbnails of which picture field.
THUMBNAIL_FIELDS = {"image": "thumbnails", "logo": "logo_thumbnails"}


def _stored(thumbnails: Any) -> tuple[tuple[str, str, int, int], ...]:
    """The stored thumbnails ({"240x180": [name, width, height]}) as a sorted tuple; malformed entries left out."""
    found = []
    for size, entry in sorted((thumbnails or {}).items()):
        if isinstance(entry, list | tuple) and len(entry) == 3:
            found.append((str(size), str(entry[0]), int(entry[1]), int(entry[2])))
    return tuple(found)


def stored_file(row: Any, field: str) -> StoredFile:
    """The picture `field` of a row as a StoredFile, with the thumbnails stored for it (when the row read them)."""
    picture = getattr(row, field)
    thumbnails_field = THUMBNAIL_FIELDS.get(field)
    stored = ()
    if thumbnails_field and thumbnails_field not in row.get_deferred_fields():
        stored = _stored(getattr(row, thumbnails_field, None))
    return StoredFile(picture.name or "", stored)


def thumbnails_of(picture: Any) -> tuple[tuple[str, str, int, int], ...]:
    """The stored thumbnails of a picture: a StoredFile's own, or those on the row of an ImageField's file
    (never a query: a list that deferred them has none)."""
    if isinstance(picture, StoredFile):
        return picture.thumbnails
    row, field = getattr(picture, "instance", None), getattr(getattr(picture, "field", None), "name", None)
    thumbnails_field = THUMBNAIL_FIELDS.get(field or "")
    if row is None or thumbnails_field is None or thumbnails_field in row.get_deferred_fields():
        return ()
    return _stored(getattr(row, thumbnails_field, None))


def thumbnail_of(picture: Any, size: str) -> Thumbnail | None:
    """The stored thumbnail of `picture` in `size` ("240x180"), or None (the template asks sorl-thumbnail)."""
    if not picture:
        return None
    for stored_size, name, width, height in thumbnails_of(picture):
        if stored_size == size:
            return Thumbnail(name=name, width=width, height=height)
    return None


@dataclass(frozen=True)
class RegionShown(Bilingual):
    code: str
    name: str
    name_zh_hant: str = ""

    def __str__(self) -> str:
        return self.shown_name


@dataclass(frozen=True)
class CategoryShown(Bilingual):
    pk: int
    name: str
    slug: str
    name_zh_hant: str = ""

    @property
    def id(self) -> int:
        return self.pk

    def __str__(self) -> str:
        return self.shown_name


@dataclass(frozen=True)
class VendorFigures:
    """The statistics rows a vendor card's public facts are read from (marketplace.kernel.privacy releases them)."""

    current_partners: int = 0
    ended_90d: int = 0
    rating_average: Decimal | None = None
    rating_count: int = 0


@dataclass(frozen=True)
class VendorShown(Bilingual):
    pk: int
    name: str
    slug: str
    description: str
    logo: StoredFile
    status: str
    status_display: str
    category: CategoryShown | None
    regions: tuple[RegionShown, ...]
    created_at: datetime.datetime
    approved_at: datetime.datetime | None
    product_count: int | None = None
    figures: VendorFigures | None = None
    ended_partnership_on: datetime.datetime | None = None  # set per visitor on a copy
    # Both languages are kept: the page picks the reader's (shown_name, shown_description).
    name_zh_hant: str = ""
    description_zh_hant: str = ""

    @property
    def id(self) -> int:
        return self.pk

    @property
    def category_id(self) -> int | None:
        return self.category.pk if self.category else None

    def get_absolute_url(self) -> str:
        return reverse("shop:vendor-detail", kwargs={"slug": self.slug})

    def regions_served(self) -> list[RegionShown]:
        return list(self.regions)

    def get_status_display(self) -> str:
        return self.status_display

    def __str__(self) -> str:
        return self.shown_name


@dataclass(frozen=True)
class VendorRef(Bilingual):
    """The vendor a product row names: enough for its link and its name (in both languages)."""

    pk: int
    name: str
    slug: str
    status: str = "approved"
    name_zh_hant: str = ""

    @property
    def id(self) -> int:
        return self.pk

    def get_absolute_url(self) -> str:
        return reverse("shop:vendor-detail", kwargs={"slug": self.slug})

    def __str__(self) -> str:
        return self.shown_name


@dataclass(frozen=True)
class ProductShown(Bilingual):
    pk: int
    name: str
    description: str
    price: Decimal
    partner_price: Decimal | None
    stock: int
    image: StoredFile
    vendor: VendorRef
    category: CategoryShown | None
    created_at: datetime.datetime
    # Per visitor, set on a copy (dataclasses.replace) by the page or list that shows it.
    your_price: Decimal | None = None
    from_partner: bool = False
    from_ended_partner: bool = False
    name_zh_hant: str = ""
    description_zh_hant: str = ""

    @property
    def id(self) -> int:
        return self.pk

    @property
    def vendor_id(self) -> int:
        return self.vendor.pk

    @property
    def category_id(self) -> int | None:
        return self.category.pk if self.category else None

    @property
    def in_stock(self) -> bool:
        return self.stock > 0

    def get_absolute_url(self) -> str:
        return reverse("shop:product-detail", kwargs={"pk": self.pk})

    def unit_price_for(self, *, is_partner: bool) -> Decimal:
        """Product.unit_price_for: the one price rule, on the kept value."""
        if is_partner and self.partner_price is not None:
            return self.partner_price
        return self.price

    def __str__(self) -> str:
        return self.shown_name


def _related(obj: Any, name: str) -> Any:
    """The related row `name` when the list already read it (select_related), else None: never a query."""
    from django.core.exceptions import ObjectDoesNotExist

    descriptor = getattr(type(obj), name, None)
    if descriptor is None or not descriptor.is_cached(obj):
        return None
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


def figures_of(vendor: Any) -> VendorFigures:
    """The statistics figures of a vendor, a VendorShown or a row with its statistics rows read by its list."""
    if isinstance(vendor, VendorShown):
        return vendor.figures or VendorFigures()
    from django.core.exceptions import ObjectDoesNotExist

    def row(name: str) -> Any:
        try:
            return getattr(vendor, name)
        except ObjectDoesNotExist:  # the statistics job has not written this vendor's row yet
            return None

    stats, sales = row("stats"), row("sales_stats")
    return VendorFigures(
        current_partners=stats.current_partners if stats else 0,
        ended_90d=stats.ended_90d if stats else 0,
        rating_average=sales.rating_average if sales else None,
        rating_count=sales.rating_count if sales else 0,
    )


def category_shown(category: Any) -> CategoryShown | None:
    if category is None:
        return None
    return CategoryShown(pk=category.pk, name=category.name, slug=category.slug, name_zh_hant=category.name_zh_hant)


def vendor_shown(vendor: Any, *, regions: bool = True) -> VendorShown:
    """A vendor row (with its category, regions and the statistics rows the list joined) as a value; without
    its regions when `regions` is False (a list that did not read them)."""
    stats, sales = _related(vendor, "stats"), _related(vendor, "sales_stats")
    figures = None
    if stats is not None or sales is not None:
        figures = VendorFigures(
            current_partners=stats.current_partners if stats else 0,
            ended_90d=stats.ended_90d if stats else 0,
            rating_average=sales.rating_average if sales else None,
            rating_count=sales.rating_count if sales else 0,
        )
    return VendorShown(
        pk=vendor.pk,
        name=vendor.name,
        slug=vendor.slug,
        description=vendor.description,
        logo=stored_file(vendor, "logo"),
        status=vendor.status,
        status_display=vendor.get_status_display(),
        category=category_shown(vendor.category) if vendor.category_id else None,
        regions=(
            tuple(RegionShown(code=r.code, name=r.name, name_zh_hant=r.name_zh_hant) for r in vendor.regions_served())
            if regions
            else ()
        ),
        created_at=vendor.created_at,
        approved_at=vendor.approved_at,
        product_count=getattr(vendor, "product_count", None),
        figures=figures,
        name_zh_hant=vendor.name_zh_hant,
        description_zh_hant=vendor.description_zh_hant,
    )


def vendor_ref(vendor: Any) -> VendorRef:
    return VendorRef(
        pk=vendor.pk, name=vendor.name, slug=vendor.slug, status=vendor.status, name_zh_hant=vendor.name_zh_hant
    )


def product_shown(product: Any, *, vendor: Any = None) -> ProductShown:
    """A product row (with its vendor and category read) as a value; the visitor's own marks carried over."""
    vendor = vendor if vendor is not None else product.vendor
    return ProductShown(
        pk=product.pk,
        name=product.name,
        description=product.description,
        price=product.price,
        partner_price=product.partner_price,
        stock=product.stock,
        image=stored_file(product, "image"),
        vendor=vendor if isinstance(vendor, VendorRef) else vendor_ref(vendor),
        category=category_shown(product.category) if product.category_id else None,
        created_at=product.created_at,
        your_price=getattr(product, "your_price", None),
        from_partner=bool(getattr(product, "from_partner", False)),
        from_ended_partner=bool(getattr(product, "from_ended_partner", False)),
        name_zh_hant=product.name_zh_hant,
        description_zh_hant=product.description_zh_hant,
    )
