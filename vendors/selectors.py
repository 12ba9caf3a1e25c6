"""Reads of vendors and products; each selector owns its joins so a page's query count is constant."""

from __future__ import annotations

import csv
import io

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce

from marketplace.accounts.models import User
from marketplace.kernel.caching import kept

from .models import Category, Product, Vendor
from .shown import SHAPE, CategoryShown, category_shown


def vendor_list_public(*, category: str | None = None) -> QuerySet[Vendor]:
    """Approved vendors only, with what a listing shows. `product_count` (active products) is read from
    VendorCatalogueStats, which PostgreSQL triggers keep exact."""
    qs = Vendor.objects.approved().select_related("category", "stats").prefetch_related("regions")
    qs = qs.annotate(product_count=Coalesce("catalogue_stats__active_products", 0))
    if category:
        qs = qs.filter(category__slug=category)
    return qs


def category_list() -> QuerySet[Category]:
    return Category.objects.all()


@kept("categories", shape=SHAPE, scopes=lambda: ("reference",))
def category_list_shown() -> tuple[CategoryShown, ...]:
    """Every category, as the storefront lists them to every visitor (kept: a category saved or deleted
    renews it)."""
    return tuple(category_shown(c) for c in category_list())


def category_list_kept() -> tuple[CategoryShown, ...]:
    return category_list_shown.get()


# --- The vendor's own workspace ------------------------------------------------------------------------


def vendor_get_for_owner(*, owner: User) -> Vendor | None:
    """The vendor this user runs (one per owner), whatever its status; None if they never applied. Its regions
    are not read here: every page of the workspace resolves the vendor, and only its profile shows them."""
    if not owner.is_authenticated:
        return None
    return Vendor.objects.filter(owner=owner).select_related("category").order_by("id").first()


def product_list_for_owner(*, vendor: Vendor, active: bool | None = None, search: str = "") -> QuerySet[Product]:
    """Every product of this vendor (active or not), for its catalogue pages and API."""
    qs = Product.objects.filter(vendor=vendor).select_related("category", "vendor")
    if active is not None:
        qs = qs.filter(active=active)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(name_zh_hant__icontains=search) | Q(sku__icontains=search))
    return qs.order_by("name", "id")


def product_list_for_catalogue_page(*, vendor: Vendor, search: str = "") -> QuerySet[Product]:
    """product_list_for_owner for the catalogue page: only what its rows show (sell/_product_row.html), so 50
    rows carry no category, vendor, description or search vector."""
    fields = ("vendor_id", "name", "name_zh_hant", "sku", "image", "price", "partner_price", "stock", "active")
    return product_list_for_owner(vendor=vendor, search=search).select_related(None).only(*fields)


def product_get_for_owner(*, vendor: Vendor, pk: int) -> Product | None:
    """One of this vendor's products; None for another vendor's product, so callers answer 404."""
    return product_list_for_owner(vendor=vendor).filter(pk=pk).first()


def product_csv_export(*, vendor: Vendor) -> str:
    """The vendor's whole catalogue as CSV, in the columns catalogue_import_csv reads back. No text cell
    starts a spreadsheet formula (=, +, -, @, tab, CR): such a cell is written with a leading apostrophe."""
    from .services.catalogue_csv import CSV_COLUMNS, csv_cell_escape

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for p in product_list_for_owner(vendor=vendor).iterator(chunk_size=1000):
        writer.writerow(
            [
                csv_cell_escape(p.sku),
                csv_cell_escape(p.name),
                csv_cell_escape(p.description),
                p.price,
                "" if p.partner_price is None else p.partner_price,
                p.stock,
                csv_cell_escape(p.category.slug) if p.category else "",
                "yes" if p.active else "no",
                csv_cell_escape(p.name_zh_hant),
                csv_cell_escape(p.description_zh_hant),
            ]
        )
    return buffer.getvalue()
