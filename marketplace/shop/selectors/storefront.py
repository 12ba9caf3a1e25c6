"""Reads of the storefront: the directory, vendor and product pages, search (partners first).

Public figures (partner counts, ratings, end reasons) come only from the statistics tables."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property, partial
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Prefetch, Q, QuerySet, Value

from marketplace.accounts.models import User
from marketplace.page_cache import StorefrontKeptHead, storefront_kept
from marketplace.pagination import StackedQuerySet
from marketplace.privacy import public_facts_from
from portfolios.models import VendorEndReasonStat
from portfolios.selectors import partner_vendor_ids
from portfolios.selectors.memberships import VendorExclusion
from vendors.models import Product, Vendor
from vendors.selectors import vendor_list_public

MAX_COMPARE = 4
# The directory's first rows kept per filter and sort: its first page and look-ahead row, and room for the few
# vendors a consumer ended.
DIRECTORY_KEPT = 32
# A product search with at most this many matches is kept whole, ranked, for every visitor (a selective search).
SEARCH_KEPT = 48


class VendorSort:
    RELEVANCE = ""
    PARTNERS = "partners"
    RATING = "rating"
    NEWEST = "newest"
    NAME = "name"
    CHOICES = [
        (PARTNERS, "Most partners"),
        (RATING, "Best rated"),
        (NEWEST, "Newest"),
        (NAME, "Name"),
    ]


def _search_parts(
    qs: QuerySet[Any], *, query: str, fields: dict[str, str], name_field: str
) -> tuple[QuerySet[Any], QuerySet[Any] | None]:
    """The rows matching `query`, annotated `rank`, and on PostgreSQL the fuzzy matches to show instead when
    there are none. PostgreSQL: full text on the stored, GIN-indexed `search` vector (kept by triggers,
    weighted as `fields` say: vendors migration 0003), then trigram matches on `name_field` through its
    trigram index; StackedQuerySet.or_else reads the second only when the first has no row. SQLite (the
    embedded mode): a plain icontains over `fields`, no fuzzy part. No query: `qs` unchanged."""
    query = query.strip()
    if not query:
        return qs, None
    if not settings.IS_POSTGRES:
        condition = Q()
        for path in fields:
            condition |= Q(**{f"{path}__icontains": query})
        return qs.filter(condition).annotate(rank=Value(0.0)), None
    search_query = SearchQuery(query, search_type="websearch", config="english")
    matches = qs.filter(search=search_query).annotate(rank=SearchRank(F("search"), search_query))
    # Word similarity (pg_trgm's %>, threshold 0.6): a typo in one word of a long name ("cofee" in "Roasted
    # coffee beans") is close. Plain similarity (%) was measured at 8k index candidates to recheck for a
    # two-word typo on 200k products (50 ms), word similarity at none (1 ms).
    fuzzy = qs.filter(**{f"{name_field}__trigram_word_similar": query})
    return matches, fuzzy.annotate(rank=TrigramWordSimilarity(query, name_field))


def _stacked(listing: QuerySet[Any] | StackedQuerySet) -> StackedQuerySet:
    if isinstance(listing, StackedQuerySet):
        return listing
    return StackedQuerySet(listing, order_by=list(listing.query.order_by))


def _without_ended(
    qs: QuerySet[Any], *, ended: frozenset[int], id_field: str, name_field: str, query: str
) -> QuerySet[Any]:
    """Rule 2: rows of vendors the consumer ended are left out, unless the consumer is looking for the vendor
    by name (the search text is part of its name), so an ended vendor is never suggested yet stays findable."""
    if not ended:
        return qs
    ended_rows = Q(**{f"{id_field}__in": ended})
    query = query.strip()
    if query:
        return qs.exclude(ended_rows & ~Q(**{f"{name_field}__icontains": query}))
    return qs.exclude(ended_rows)


def _named_by(query: str, name: str) -> bool | None:
    """_without_ended's name test (`name__icontains=query`) for a row already read: whether the search text is
    part of the vendor's name. None when only the database can say: for ASCII text Python's lower() compares as
    PostgreSQL's UPPER() does, for other text the two may differ."""
    query = query.strip()
    if not (query.isascii() and name.isascii()):
        return None
    return bool(query) and query.lower() in name.lower()


def vendor_list_directory(
    *,
    search: str = "",
    category: str | None = None,
    region: str | None = None,
    sort: str = "",
    exclusion: VendorExclusion | None = None,
) -> QuerySet[Vendor] | StackedQuerySet:
    """Approved vendors for the directory and the API: searched, filtered by category and region served,
    sorted by partner count, rating, newest or name (by relevance when searching and no sort is chosen).
    Vendors the consumer ended (their `exclusion`) appear only when the search names them. On PostgreSQL the
    partner, rating and relevance orders are StackedQuerySets, read by slices (see _by_partner_count); no
    query counts the directory. Each vendor's regions are read with it (Vendor.regions_served)."""
    qs = vendor_list_public(category=category or None).select_related("sales_stats")
    if settings.IS_POSTGRES:  # the regions in the page's own query, not a prefetch query per page
        qs = qs.prefetch_related(None).with_regions_served()
    if exclusion is not None:
        qs = _without_ended(qs, ended=exclusion.ended, id_field="pk", name_field="name", query=search)
    if region:
        qs = qs.filter(Exists(Vendor.regions.through.objects.filter(vendor_id=OuterRef("pk"), region__code=region)))
    matches, fuzzy = _search_parts(
        qs, query=search, fields={"name": "A", "category__name": "B", "description": "C"}, name_field="name"
    )
    searching = bool(search.strip())
    listing = _vendor_order(matches, sort=sort, searching=searching)
    if fuzzy is None:
        return listing
    return _stacked(listing).or_else(_stacked(_vendor_order(fuzzy, sort=sort, searching=searching)))


def vendor_list_directory_kept(
    *,
    category: str | None = None,
    region: str | None = None,
    sort: str = "",
    exclusion: VendorExclusion,
    search: str = "",
) -> QuerySet[Vendor] | StackedQuerySet | StorefrontKeptHead[Vendor]:
    """vendor_list_directory for one visitor, for a page or the API to slice. Without search text the first
    DIRECTORY_KEPT vendors of each filter and sort are the same for every visitor but for the vendors they
    ended, so they are kept (marketplace.page_cache.StorefrontKeptHead) and a first page reads no vendor; with
    search text a vendor the visitor ended shows when the text names it, and the list is read for them."""
    listing = vendor_list_directory(search=search, category=category, region=region, sort=sort, exclusion=exclusion)
    if search.strip():
        return listing
    return StorefrontKeptHead(
        f"directory:{category or ''}:{region or ''}:{sort}",
        keep=DIRECTORY_KEPT,
        every_visitor=lambda: vendor_list_directory(category=category, region=region, sort=sort),
        for_visitor=listing,
        vendor_of=lambda vendor: vendor.pk,
        hidden=exclusion.ended,
    )


def vendor_list_featured(*, count: int, exclusion: VendorExclusion) -> list[Vendor]:
    """The home page's `count` vendors with the most partners, less those this consumer ended (rule 2): the
    first page of the directory by partners, from its kept head (vendor_list_directory_kept), so a signed-in
    home page reads no vendor; statistics order them at most PAGE_CACHE_SECONDS late."""
    return list(vendor_list_directory_kept(sort=VendorSort.PARTNERS, exclusion=exclusion)[:count])


def _vendor_order(qs: QuerySet[Vendor], *, sort: str, searching: bool) -> QuerySet[Vendor] | StackedQuerySet:
    if sort == VendorSort.PARTNERS:
        return _by_partner_count(qs)
    if sort == VendorSort.RATING:
        return _by_rating(qs)
    if sort == VendorSort.NEWEST:
        return qs.order_by(F("approved_at").desc(nulls_last=True), "-id")
    if searching and sort != VendorSort.NAME:
        if settings.IS_POSTGRES:  # keys first: the statistics tables are joined for the page shown only
            return StackedQuerySet(qs, order_by=["-rank", "name", "id"])
        return qs.order_by("-rank", "name", "id")
    return qs.order_by("name", "id")


def _by_partner_count(qs: QuerySet[Vendor]) -> QuerySet[Vendor] | StackedQuerySet:
    """Most partners first. On PostgreSQL the vendors with a statistics row walk its current_partners index
    (stats_current_partners_idx), stacked before those the statistics job has not reached yet (no row: the
    NULLS LAST of the plain order), so no request sorts every approved vendor; read it by slices."""
    if not settings.IS_POSTGRES:
        return qs.order_by(F("stats__current_partners").desc(nulls_last=True), "name", "id")
    return StackedQuerySet(
        qs,
        first=Q(stats__isnull=False),
        order_by=[F("stats__current_partners").desc(), "name", "id"],
        then=Q(stats__isnull=True),
        then_order_by=["name", "id"],
    )


def _by_rating(qs: QuerySet[Vendor]) -> QuerySet[Vendor] | StackedQuerySet:
    """Best rated first, the unrated last. On PostgreSQL the rated vendors are ordered by their key alone and
    stacked before the rest, so the sort is over narrow rows and the unrated part is read only when reached."""
    order = [F("sales_stats__rating_average").desc(), F("sales_stats__rating_count").desc(), "name", "id"]
    if not settings.IS_POSTGRES:
        return qs.order_by(
            F("sales_stats__rating_average").desc(nulls_last=True),
            F("sales_stats__rating_count").desc(nulls_last=True),
            "name",
            "id",
        )
    return StackedQuerySet(
        qs,
        first=Q(sales_stats__rating_average__isnull=False),
        order_by=order,
        then=Q(sales_stats__rating_average__isnull=True),
        then_order_by=[F("sales_stats__rating_count").desc(nulls_last=True), "name", "id"],
    )


def vendor_get_for_page(*, slug: str) -> Vendor | None:
    """One approved vendor with its statistics rows and its top end reasons prefetched."""
    return (
        vendor_list_public()
        .select_related("sales_stats")
        .prefetch_related(_top_reasons_prefetch())
        .filter(slug=slug)
        .first()
    )


@dataclass(frozen=True)
class VendorPage:
    """What a vendor's page shows every visitor alike: the vendor, its active products, its public facts."""

    vendor: Vendor
    products: list[Product]
    facts: dict[str, Any]


def vendor_get_page_kept(*, slug: str) -> VendorPage | None:
    """An approved vendor's page (vendor_get_for_page, its products, vendor_facts), read once for every
    visitor and kept under the storefront's version (marketplace.page_cache.storefront_kept): a signed-in
    visitor's page adds only their own partner prices and marks to it. None for a slug no approved vendor has."""

    def read() -> VendorPage | None:
        vendor = vendor_get_for_page(slug=slug)
        if vendor is None:
            return None
        products = list(product_list_for_vendor_page(vendor=vendor))
        return VendorPage(vendor=vendor, products=products, facts=vendor_facts(vendor=vendor))

    return storefront_kept(f"vendor-page:{slug}", read)


def _top_reasons_prefetch() -> Prefetch:
    return Prefetch(
        "end_reason_stats",
        queryset=VendorEndReasonStat.objects.filter(ended_90d__gt=0).order_by("reason"),
        to_attr="recent_end_reasons",
    )


def vendor_facts(*, vendor: Vendor) -> dict[str, Any]:
    """The public facts of a vendor fetched by vendor_get_for_page or vendor_list_compare (no extra query),
    already suppressed (rule 4: marketplace.privacy), so no page or API can show a figure under K."""
    stats = getattr(vendor, "stats", None) if _has_related(vendor, "stats") else None
    sales = getattr(vendor, "sales_stats", None) if _has_related(vendor, "sales_stats") else None
    # Every reason given (five at most): public_facts lists the top ones by their released counts.
    reasons = getattr(vendor, "recent_end_reasons", [])
    return public_facts_from(
        {
            "vendor_id": vendor.pk,
            "partner_count": stats.current_partners if stats else 0,
            "ended_recent": stats.ended_90d if stats else 0,
            "recent_days": settings.MARKETPLACE["PUBLIC_FACTS_DAYS"],
            "top_end_reasons": [(r.get_reason_display(), r.ended_90d) for r in reasons],
            "rating_average": sales.rating_average if sales else None,
            "rating_count": sales.rating_count if sales else 0,
            "computed_at": stats.computed_at if stats else None,
            "joined": vendor.approved_at or vendor.created_at,
        }
    )


def _has_related(obj: Any, name: str) -> bool:
    try:
        getattr(obj, name)
    except ObjectDoesNotExist:  # the statistics job has not written this vendor's row yet
        return False
    return True


def vendor_list_compare(*, slugs: list[str]) -> list[Vendor]:
    """Two to four approved vendors side by side, in the order asked, with their public facts' rows."""
    wanted = list(OrderedDict.fromkeys(s for s in slugs if s))[:MAX_COMPARE]
    vendors = {
        v.slug: v
        for v in vendor_list_public()
        .select_related("sales_stats")
        .prefetch_related(_top_reasons_prefetch())
        .filter(slug__in=wanted)
    }
    return [vendors[s] for s in wanted if s in vendors]


def product_list_for_vendor_page(*, vendor: Vendor) -> QuerySet[Product]:
    return vendor.products.filter(active=True).select_related("category").order_by("name", "id")


def product_get_for_page(*, pk: int) -> Product | None:
    """A purchasable product of an approved vendor (others answer 404)."""
    return Product.objects.purchasable().select_related("vendor", "category").filter(pk=pk).first()


def product_get_page_kept(*, pk: int) -> Product | None:
    """product_get_for_page, read once for every visitor and kept under the storefront's version
    (marketplace.page_cache.storefront_kept: a price, stock or vendor change renews it). The signed-in
    visitor's own price and marks are worked out from it on each request."""
    return storefront_kept(f"product-page:{pk}", lambda: product_get_for_page(pk=pk))


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
    if only_partners:
        qs = qs.filter(vendor_id__in=partners)
    qs, fuzzy = _search_parts(
        qs, query=query, fields={"name": "A", "vendor__name": "B", "description": "C"}, name_field="name"
    )
    partners_first = ["-from_partner"] if partners and not only_partners else []
    if query.strip():
        order = [*partners_first, "-rank", "name", "id"]
        if fuzzy is not None and near_matches:  # PostgreSQL. Keys first: the matches ranked as narrow rows
            return StackedQuerySet(qs, order_by=order).or_else(StackedQuerySet(fuzzy, order_by=order))
        if fuzzy is not None and not only_partners:
            return StackedQuerySet(qs, order_by=order)
        return qs.order_by(*order)
    if partners_first and settings.IS_POSTGRES:
        return StackedQuerySet(
            qs, first=Q(vendor_id__in=partners), then=~Q(vendor_id__in=partners), order_by=["name", "id"]
        )
    return qs.order_by(*partners_first, "name", "id")


def product_search_partners_first_kept(
    *,
    consumer: User | AnonymousUser,
    query: str = "",
    only_partners: bool = False,
    exclusion: VendorExclusion,
) -> QuerySet[Product] | StackedQuerySet | PartnersFirstHead:
    """product_search_partners_first for one visitor's page or API list, read from what is kept where it can be
    (PartnersFirstHead)."""
    return PartnersFirstHead(consumer=consumer, query=query, exclusion=exclusion, only_partners=only_partners)


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _product_search_head(query: str) -> tuple[list[Product], bool]:
    """The first SEARCH_KEPT + 1 rows of a product search as anyone sees it, and whether they are near matches
    (full text found nothing: product_search_partners_first's trigram part)."""
    everyone = partial(
        product_search_partners_first, consumer=AnonymousUser(), query=query, exclusion=VendorExclusion()
    )
    rows = list(everyone(near_matches=False)[: SEARCH_KEPT + 1])
    if rows or not query:
        return rows, False
    return list(everyone()[: SEARCH_KEPT + 1]), True


class PartnersFirstHead:
    """One visitor's product search (or the product list with no search text), partners first, read by
    slices as paginators and DRF read a queryset. Apart from partners first, a search finds the same products
    in the same order for every visitor: its first SEARCH_KEPT + 1 ranked rows are kept for everyone
    (marketplace.page_cache.storefront_kept), and a slice within them is this visitor's current partners'
    products, then the kept rows less their partners' and the vendors they ended, unless the text names them
    (rule 2, marked), each part in the order the database gives (rank, name, id), with their own prices.
    Their partners' products are one query over those partners' products, kept the same way for the search
    text and that set of partners (so a visitor's next page or reload reads neither). The slice is read for
    them from the database (`for_visitor`, built only then) when it reaches past the kept rows, when the name
    test needs the database (text that is not ASCII) and when every match is left out (the database then
    looks for near matches). With `only_partners` the list is their partners' products alone, its first
    SEARCH_KEPT + 1 rows kept the same way."""

    ordered = True
    model = Product

    def __init__(
        self,
        *,
        consumer: User | AnonymousUser,
        query: str,
        exclusion: VendorExclusion,
        only_partners: bool = False,
    ) -> None:
        self.consumer, self.query, self.exclusion = consumer, query.strip(), exclusion
        self.only_partners = only_partners

    @cached_property
    def for_visitor(self) -> QuerySet[Product] | StackedQuerySet:
        return product_search_partners_first(
            consumer=self.consumer, query=self.query, only_partners=self.only_partners, exclusion=self.exclusion
        )

    def __getitem__(self, index: slice) -> list[Product]:
        if not isinstance(index, slice) or index.step is not None or not 0 < (index.stop or 0) <= SEARCH_KEPT + 1:
            return self.for_visitor[index]
        start, stop = index.start or 0, index.stop
        query, exclusion = self.query, self.exclusion
        digest = _digest(query)
        partners = _digest(",".join(map(str, sorted(exclusion.partners))))
        if self.only_partners:  # the list's first SEARCH_KEPT + 1 rows hold any slice that ends within them
            rows = storefront_kept(
                f"product-results:{digest}:only-partners:{partners}",
                lambda: list(self.for_visitor[: SEARCH_KEPT + 1]),
            )
            return rows[start:stop]
        everyone, near = storefront_kept(f"product-results:{digest}", lambda: _product_search_head(query))
        complete = len(everyone) <= SEARCH_KEPT
        others: list[Product] = []
        for product in everyone:
            if product.vendor_id in exclusion.partners:  # their partners' products come first, read below
                continue
            if product.vendor_id in exclusion.ended:  # rule 2, as _without_ended applies it
                named = _named_by(query, product.vendor.name) if query else False
                if named is None:
                    return self.for_visitor[index]
                if not named:
                    continue
                product.from_ended_partner = True
            product.from_partner = False
            others.append(product)
        own: list[Product] = []
        if exclusion.partners:
            own = storefront_kept(
                f"product-results:{digest}:partners:{partners}",
                lambda: list(
                    product_search_partners_first(
                        consumer=self.consumer, query=query, only_partners=True, exclusion=exclusion, near_matches=near
                    )[: SEARCH_KEPT + 1]
                ),
            )
        if everyone and not own and not others:  # every match left out: the database looks for near matches
            return self.for_visitor[index]
        if len(own) + len(others) < stop and not complete:
            return self.for_visitor[index]
        return (own + others)[start:stop]
