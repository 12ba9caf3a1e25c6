"""Reads of the storefront's pages: a vendor's page and facts, the comparison, a product's page; and what the
directory and search share (matching by full text and trigram, rule 2's exclusion of ended vendors).
The directory is in directory.py, product search (partners first) in search.py.

Public figures (partner counts, ratings, end reasons) come only from the statistics tables."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import F, Prefetch, Q, QuerySet

from marketplace.kernel.caching import kept
from marketplace.kernel.languages import han_grams_query, without_han
from marketplace.kernel.pagination import StackedQuerySet
from marketplace.kernel.privacy import public_facts_from
from portfolios.models import VendorEndReasonStat
from vendors.models import Product, Vendor
from vendors.selectors import vendor_list_public
from vendors.shown import SHAPE, ProductShown, VendorShown, product_shown, vendor_ref, vendor_shown

from ..models import ServiceRating

MAX_COMPARE = 4


def _search_parts(
    qs: QuerySet[Any], *, query: str, fields: dict[str, str], name_field: str
) -> tuple[QuerySet[Any], QuerySet[Any] | None]:
    """The rows matching `query`, annotated `rank`, and the fuzzy matches to show instead when there are
    none: full text on the stored, GIN-indexed `search` vector (kept by triggers,
    weighted as `fields` say: vendors migration 0003), then trigram matches on `name_field` through its
    trigram index; StackedQuerySet.or_else reads the second only when the first has no row. No query: `qs`
    unchanged."""
    query = query.strip()
    if not query:
        return qs, None
    search_query = _text_query(query)
    matches = qs.filter(search=search_query).annotate(rank=SearchRank(F("search"), search_query))
    # Word similarity (pg_trgm's %>, threshold 0.6): a typo in one word of a long name ("cofee" in "Roasted
    # coffee beans") is close. Plain similarity (%) was measured at 8k index candidates to recheck for a
    # two-word typo on 200k products (50 ms), word similarity at none (1 ms).
    fuzzy = qs.filter(**{f"{name_field}__trigram_word_similar": query})
    return matches, fuzzy.annotate(rank=TrigramWordSimilarity(query, name_field))


def _text_query(query: str) -> SearchQuery:
    """The full-text query of a search text: English words through websearch (quotes, OR, -word), and each run
    of Chinese characters as the phrase of its overlapping pairs, which the stored vectors hold (vendors
    migration 0008): "烏龍" finds "有機烏龍茶", "烏龍茶" finds it through '烏龍' <-> '龍茶'."""
    han = han_grams_query(query)
    english = SearchQuery(without_han(query) if han else query, search_type="websearch", config="english")
    if not han:
        return english
    chinese = SearchQuery(han, search_type="raw", config="simple")
    return chinese if not without_han(query) else english & chinese


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
        named = Q(**{f"{name_field}__icontains": query}) | Q(**{f"{name_field}_zh_hant__icontains": query})
        return qs.exclude(ended_rows & ~named)
    return qs.exclude(ended_rows)


def vendor_get_for_page(*, slug: str) -> Vendor | None:
    """One approved vendor with its statistics rows and its top end reasons prefetched."""
    return (
        vendor_list_public()
        .select_related("sales_stats")
        .prefetch_related(_top_reasons_prefetch())
        .filter(slug=slug)
        .first()
    )


# A vendor page shows at most this many products (the rest: the product search, which pages through them).
VENDOR_PAGE_PRODUCTS = 200
# ... and its newest reviews, at most this many.
VENDOR_PAGE_REVIEWS = 10


@dataclass(frozen=True)
class ReviewShown:
    """A buyer's review as the vendor's page shows it: no name, the day it was written."""

    pk: int
    score: int
    text: str
    created_at: datetime


def review_list_for_vendor_page(*, vendor_id: int, limit: int = VENDOR_PAGE_REVIEWS) -> tuple[ReviewShown, ...]:
    """The vendor's newest reviews shown to everyone (written with the rating, not hidden by a moderator),
    newest first, at most `limit`: one query on the partial index rating_review_shown_idx."""
    rows = (
        ServiceRating.objects.filter(vendor_id=vendor_id, public=True, hidden_at__isnull=True)
        .order_by("-created_at", "-id")
        .values_list("pk", "score", "comment", "created_at")[:limit]
    )
    return tuple(ReviewShown(pk=pk, score=score, text=text, created_at=created) for pk, score, text, created in rows)


@dataclass(frozen=True)
class VendorPage:
    """What a vendor's page shows every visitor alike: the vendor, its first active products (at most
    VENDOR_PAGE_PRODUCTS, by name; `more` when it has others), its public facts (already released), its
    newest reviews (at most VENDOR_PAGE_REVIEWS)."""

    vendor: VendorShown
    products: tuple[ProductShown, ...]
    facts: dict[str, Any]
    more: bool = False
    reviews: tuple[ReviewShown, ...] = ()


@kept(
    "vendor-page",
    shape=SHAPE + 2,
    scopes=lambda slug: ("reference",),
    rows=lambda page: (f"vendor:{page.vendor.pk}",),
    timed=("statistics",),
)
def vendor_page_shown(*, slug: str) -> VendorPage | None:
    """An approved vendor's page (vendor_get_for_page, its products, vendor_facts, its reviews), read once for every
    visitor and kept (marketplace.kernel.caching) until the vendor's scope moves: a signed-in visitor's page
    adds only their own partner prices and marks to it. None for a slug no approved vendor has."""
    vendor = vendor_get_for_page(slug=slug)
    if vendor is None:
        return None
    rows = list(product_list_for_vendor_page(vendor=vendor)[: VENDOR_PAGE_PRODUCTS + 1])
    ref = vendor_ref(vendor)
    return VendorPage(
        vendor=vendor_shown(vendor),
        products=tuple(product_shown(product, vendor=ref) for product in rows[:VENDOR_PAGE_PRODUCTS]),
        facts=vendor_facts(vendor=vendor),
        more=len(rows) > VENDOR_PAGE_PRODUCTS,
        reviews=review_list_for_vendor_page(vendor_id=vendor.pk),
    )


def vendor_get_page_kept(*, slug: str) -> VendorPage | None:
    """vendor_page_shown, kept."""
    return vendor_page_shown.get(slug=slug)


def _top_reasons_prefetch() -> Prefetch:
    return Prefetch(
        "end_reason_stats",
        queryset=VendorEndReasonStat.objects.filter(ended_90d__gt=0).order_by("reason"),
        to_attr="recent_end_reasons",
    )


def vendor_facts(*, vendor: Vendor) -> dict[str, Any]:
    """The public facts of a vendor fetched by vendor_get_for_page or vendor_list_compare (no extra query),
    already suppressed (rule 4: marketplace.kernel.privacy), so no page or API can show a figure under K."""
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


@kept(
    "product-page", shape=SHAPE, scopes=lambda pk: ("reference",), rows=lambda product: (f"vendor:{product.vendor.pk}",)
)
def product_page_shown(*, pk: int) -> ProductShown | None:
    """product_get_for_page, read once for every visitor and kept (marketplace.kernel.caching) until its
    vendor's scope moves (a price, stock or vendor change). The signed-in visitor's own price and marks are
    worked out from it on each request."""
    product = product_get_for_page(pk=pk)
    return product_shown(product) if product is not None else None


def product_get_page_kept(*, pk: int) -> ProductShown | None:
    """product_page_shown, kept."""
    return product_page_shown.get(pk=pk)
