"""The vendor directory: searched, filtered and sorted vendors, its kept first rows, the featured vendors."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from marketplace.kernel.caching import kept
from marketplace.kernel.caching.heads import KeptHead
from marketplace.kernel.pagination import StackedQuerySet
from portfolios.selectors.memberships import VendorExclusion
from vendors.models import Vendor
from vendors.selectors import vendor_list_public
from vendors.shown import SHAPE, VendorShown, vendor_shown

from .storefront import _search_parts, _stacked, _without_ended

# The directory's first rows kept per filter and sort: its first page and look-ahead row, and room for the few
# vendors a consumer ended.
DIRECTORY_KEPT = 32


class VendorSort:
    RELEVANCE = ""
    PARTNERS = "partners"
    RATING = "rating"
    NEWEST = "newest"
    NAME = "name"
    CHOICES = [
        (PARTNERS, _("Most partners")),
        (RATING, _("Best rated")),
        (NEWEST, _("Newest")),
        (NAME, _("Name")),
    ]


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
    Vendors the consumer ended (their `exclusion`) appear only when the search names them. The partner,
    rating and relevance orders are StackedQuerySets, read by slices (see _by_partner_count); no query counts
    the directory. Each page's vendors' regions are read in one query (Vendor.regions_served)."""
    # Each page's vendors' regions in one prefetch of the page's rows (vendor_list_public): read in the list's own
    # query (with_regions_served) they were computed for every row an OFFSET skips too (page 10: 241 rows, 5 ms).
    qs = vendor_list_public(category=category or None).select_related("sales_stats")
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
) -> QuerySet[Vendor] | StackedQuerySet | KeptHead[VendorShown]:
    """vendor_list_directory for one visitor, for a page or the API to slice. Without search text the first
    DIRECTORY_KEPT vendors of each filter and sort are the same for every visitor but for the vendors they
    ended, so they are kept (directory_head; marketplace.kernel.caching.heads.KeptHead) and a first page reads
    no vendor; with search text a vendor the visitor ended shows when the text names it, and the list is read
    for them."""
    listing = vendor_list_directory(search=search, category=category, region=region, sort=sort, exclusion=exclusion)
    if search.strip():
        return listing
    return KeptHead(
        everyone=lambda: directory_head.get(category=category or "", region=region or "", sort=sort),
        keep=DIRECTORY_KEPT,
        for_visitor=listing,
        vendor_of=lambda vendor: vendor.pk,
        hidden=exclusion.ended,
    )


@kept(
    "directory-head",
    shape=SHAPE,
    scopes=lambda category, region, sort: ("directory", "reference"),
    rows=lambda vendors: {f"vendor-card:{vendor.pk}" for vendor in vendors},
    timed=("statistics",),
)
def directory_head(*, category: str, region: str, sort: str) -> tuple[VendorShown, ...]:
    """The directory's first DIRECTORY_KEPT vendors for this filter and sort, as every visitor sees them; the
    order by partners or rating follows the statistics at most the timeout late."""
    rows = vendor_list_directory(category=category or None, region=region or None, sort=sort)[:DIRECTORY_KEPT]
    return tuple(vendor_shown(vendor) for vendor in rows)


def vendor_list_featured(*, count: int, exclusion: VendorExclusion) -> list[VendorShown]:
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
        # Keys first: the statistics tables are joined for the page shown only.
        return StackedQuerySet(qs, order_by=["-rank", "name", "id"])
    return qs.order_by("name", "id")


def _by_partner_count(qs: QuerySet[Vendor]) -> QuerySet[Vendor] | StackedQuerySet:
    """Most partners first. The vendors with a statistics row walk its current_partners index
    (stats_current_partners_idx), stacked before those the statistics job has not reached yet (no row: the
    NULLS LAST of the plain order), so no request sorts every approved vendor; read it by slices."""
    return StackedQuerySet(
        qs,
        first=Q(stats__isnull=False),
        order_by=[F("stats__current_partners").desc(), "name", "id"],
        then=Q(stats__isnull=True),
        then_order_by=["name", "id"],
    )


def _by_rating(qs: QuerySet[Vendor]) -> QuerySet[Vendor] | StackedQuerySet:
    """Best rated first, the unrated last. The rated vendors are ordered by their key alone and
    stacked before the rest, so the sort is over narrow rows and the unrated part is read only when reached."""
    order = [F("sales_stats__rating_average").desc(), F("sales_stats__rating_count").desc(), "name", "id"]
    return StackedQuerySet(
        qs,
        first=Q(sales_stats__rating_average__isnull=False),
        order_by=order,
        then=Q(sales_stats__rating_average__isnull=True),
        then_order_by=[F("sales_stats__rating_count").desc(nulls_last=True), "name", "id"],
    )
