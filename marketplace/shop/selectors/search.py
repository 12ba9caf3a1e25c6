"""Product search, partners first (rule 6): the consumer's partners' products ranked first, then the rest;
the first rows of every search kept for everyone, each visitor's partners put first per request."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet, Value
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.models import User
from marketplace.kernel.caching import kept
from marketplace.kernel.caching.heads import KeptHead
from marketplace.kernel.pagination import StackedQuerySet
from portfolios.selectors import partner_vendor_ids
from portfolios.selectors.memberships import VendorExclusion
from vendors.models import Product
from vendors.shown import SHAPE, ProductShown, product_shown

from .storefront import _search_parts, _without_ended

# The first rows of a search kept for everyone: a first page of 24, the next page's 24 and its look-ahead row.
SEARCH_KEPT = 48


class ProductSort:
    RELEVANCE = ""
    PRICE = "price"
    PRICE_DESC = "-price"
    NEWEST = "newest"
    RATING = "rating"
    CHOICES = [
        (RELEVANCE, _("Best match")),
        (PRICE, _("Price: low to high")),
        (PRICE_DESC, _("Price: high to low")),
        (NEWEST, _("Newest")),
        (RATING, _("Vendor rating")),
    ]


@dataclass(frozen=True)
class ProductFilters:
    """What a shopper narrows a search to: the price they pay (their partner price where they have one), only
    what is in stock, one category (its slug). Part of the kept rows' key, like the search text and sort."""

    min_price: Decimal | None = None
    max_price: Decimal | None = None
    in_stock: bool = False
    category: str = ""

    def apply(self, qs: QuerySet[Product]) -> QuerySet[Product]:
        if self.min_price is not None:
            qs = qs.filter(your_price__gte=self.min_price)
        if self.max_price is not None:
            qs = qs.filter(your_price__lte=self.max_price)
        if self.in_stock:
            qs = qs.filter(stock__gt=0)
        if self.category:
            qs = qs.filter(category__slug=self.category)
        return qs


def _sort_order(sort: str, *, query: str, partners: bool) -> list[Any]:
    """The order of one part of the list (the partners' products when `partners`, the rest otherwise): the
    partners pay their own prices (your_price); everyone else the list price, which its index serves."""
    if sort in (ProductSort.PRICE, ProductSort.PRICE_DESC):
        field = "your_price" if partners else "price"
        return [field, "id"] if sort == ProductSort.PRICE else [f"-{field}", "-id"]
    if sort == ProductSort.NEWEST:
        return ["-created_at", "-id"]
    if sort == ProductSort.RATING:
        return [F("vendor__sales_stats__rating_average").desc(nulls_last=True), "name", "id"]
    return ["-rank", "name", "id"] if query else ["name", "id"]


def _partner_flag(partners: set[int]) -> ExpressionWrapper | Value:
    """`vendor_id IN (the consumer's partners)`: a short list read once, not a subquery per product."""
    if not partners:
        return Value(False)
    return ExpressionWrapper(Q(vendor_id__in=partners), output_field=BooleanField())


def product_search_partners_first(
    *,
    consumer: User | AnonymousUser,
    query: str = "",
    only_partners: bool = False,
    exclusion: VendorExclusion | None = None,
    near_matches: bool = True,
    sort: str = ProductSort.RELEVANCE,
    filters: ProductFilters | None = None,
) -> QuerySet[Product] | StackedQuerySet:
    """Purchasable products, the consumer's current partners' first (annotated from_partner), then the rest,
    each group by relevance. `only_partners` keeps only partners' products. A search text that full text
    finds nowhere finds near matches of the names instead (trigram), unless `near_matches` is False. Products
    of vendors the consumer ended (their `exclusion`) appear only when the search names the vendor, annotated
    from_ended_partner.
    On PostgreSQL it is a StackedQuerySet, read by slices (a page): with a query the matches are ranked as
    narrow rows; without one the partners' products and then the others each walk the name index instead of
    sorting every product. No query counts the matches: pages fetch one row more (LookaheadPaginator)."""
    ended = exclusion.ended if exclusion is not None else frozenset()
    # Read with the exclusion when the page has it; one query otherwise (none for anonymous visitors).
    partners = set(exclusion.partners) if exclusion is not None else partner_vendor_ids(consumer=consumer)
    qs = (
        Product.objects.purchasable()
        .with_unit_price(partner_vendor_ids=partners)
        .select_related("vendor", "category")
        .annotate(
            from_partner=_partner_flag(partners),
            from_ended_partner=(
                ExpressionWrapper(Q(vendor_id__in=ended), output_field=BooleanField()) if ended else Value(False)
            ),
        )
    )
    qs = _without_ended(qs, ended=ended, id_field="vendor_id", name_field="vendor__name", query=query)
    if filters is not None:
        qs = filters.apply(qs)
    if only_partners:
        qs = qs.filter(vendor_id__in=partners)
    qs, fuzzy = _search_parts(
        qs, query=query, fields={"name": "A", "vendor__name": "B", "description": "C"}, name_field="name"
    )
    partners_first = ["-from_partner"] if partners and not only_partners else []
    if query.strip():
        order = [*partners_first, *_sort_order(sort, query=query, partners=bool(partners))]
        if fuzzy is not None and near_matches:  # Keys first: the matches ranked as narrow rows
            return StackedQuerySet(qs, order_by=order).or_else(StackedQuerySet(fuzzy, order_by=order))
        if fuzzy is not None and not only_partners:
            return StackedQuerySet(qs, order_by=order)
        return qs.order_by(*order)
    if partners_first:
        return StackedQuerySet(
            qs,
            first=Q(vendor_id__in=partners),
            order_by=_sort_order(sort, query="", partners=True),
            then=~Q(vendor_id__in=partners),
            then_order_by=_sort_order(sort, query="", partners=False),
        )
    return qs.order_by(*_sort_order(sort, query="", partners=only_partners))


def product_search_partners_first_kept(
    *,
    consumer: User | AnonymousUser,
    query: str = "",
    only_partners: bool = False,
    exclusion: VendorExclusion,
    sort: str = ProductSort.RELEVANCE,
    filters: ProductFilters | None = None,
) -> KeptHead[ProductShown]:
    """product_search_partners_first for one visitor's page or API list, read by slices as paginators and DRF
    read a queryset. Apart from partners first, a search finds the same products in the same order for every
    visitor: its first SEARCH_KEPT + 1 rows are kept for everyone (product_search_head), and a slice within
    them is this visitor's current partners' products (product_search_partners_head, kept for the text and that
    set of partners), then the kept rows less their partners' (marketplace.kernel.caching.heads.KeptHead). When
    a kept row is of a vendor they ended and there is search text, the page is read from the database, where
    rule 2 lives (_without_ended: shown, marked, only when the text names the vendor)."""
    query = query.strip()
    exclusion = exclusion or VendorExclusion()
    partners = tuple(sorted(exclusion.partners))
    filters = filters or ProductFilters()
    how = {"sort": sort, "filters": filters}

    def for_visitor() -> QuerySet[Product] | StackedQuerySet:
        return product_search_partners_first(
            consumer=consumer, query=query, only_partners=only_partners, exclusion=exclusion, **how
        )

    def vendor_of(product: ProductShown) -> int:
        return product.vendor.pk

    if only_partners:
        return KeptHead(
            everyone=lambda: product_search_partners_head.get(query=query, partners=partners, near=True, **how),
            keep=SEARCH_KEPT + 1,
            for_visitor=for_visitor,
            vendor_of=vendor_of,
            model=Product,
        )

    def own() -> tuple[ProductShown, ...]:
        if not partners:
            return ()
        near = product_search_head.get(query=query, **how)[1]
        return product_search_partners_head.get(query=query, partners=partners, near=near, **how)

    return KeptHead(
        everyone=lambda: product_search_head.get(query=query, **how)[0],
        keep=SEARCH_KEPT + 1,
        for_visitor=for_visitor,
        vendor_of=vendor_of,
        hidden=exclusion.partners | exclusion.ended,
        own=own,
        ask=exclusion.ended if query else (),
        model=Product,
    )


def _head_rows(rows: tuple[ProductShown, ...]) -> set[str]:
    """What renews a kept head: a write to one of its products (a sale, a restock, a new price) or to one of
    their vendors' profiles (a suspension), not a write to another product of those vendors. A product that
    newly matches shows at most the timeout late."""
    return {f"product:{product.pk}" for product in rows} | {f"vendor-card:{product.vendor.pk}" for product in rows}


@kept(
    "search-head",
    shape=SHAPE,
    scopes=lambda query, sort, filters: ("reference",),
    rows=lambda head: _head_rows(head[0]),
    timed=("statistics",),
)
def product_search_head(
    *, query: str, sort: str = "", filters: ProductFilters | None = None
) -> tuple[tuple[ProductShown, ...], bool]:
    """The first SEARCH_KEPT + 1 rows of a product search as anyone sees it, and whether they are near matches
    (full text found nothing: product_search_partners_first's trigram part). Kept until a product or vendor of its rows
    changes; a product that newly matches shows at most the timeout late."""
    everyone = partial(
        product_search_partners_first,
        consumer=AnonymousUser(),
        query=query,
        exclusion=VendorExclusion(),
        sort=sort,
        filters=filters,
    )
    rows = list(everyone(near_matches=False)[: SEARCH_KEPT + 1])
    near = False
    if not rows and query:
        rows, near = list(everyone()[: SEARCH_KEPT + 1]), True
    return tuple(product_shown(product) for product in rows), near


@kept(
    "search-partners",
    shape=SHAPE,
    scopes=lambda query, partners, near, sort, filters: ("reference",),
    rows=_head_rows,
    timed=("statistics",),
)
def product_search_partners_head(
    *, query: str, partners: tuple[int, ...], near: bool, sort: str = "", filters: ProductFilters | None = None
) -> tuple[ProductShown, ...]:
    """The first SEARCH_KEPT + 1 products of these partners matching `query` (near matches too when `near`),
    with their partner prices: the partners-first part of a search, for everyone with these partners."""
    rows = product_search_partners_first(
        consumer=AnonymousUser(),
        query=query,
        only_partners=True,
        exclusion=VendorExclusion(partners=frozenset(partners)),
        near_matches=near,
        sort=sort,
        filters=filters,
    )[: SEARCH_KEPT + 1]
    return tuple(product_shown(product) for product in rows)
