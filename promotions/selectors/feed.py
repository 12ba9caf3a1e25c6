"""Reads of promotions: the partner feed and the public ads."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, QuerySet

from marketplace.accounts.models import User
from marketplace.kernel.page_cache import storefront_kept_first
from portfolios.models import PartnerMembership
from portfolios.selectors.memberships import VendorExclusion, vendor_ids_excluded_for

from ..models import Promotion


def _current_unmuted_partner(consumer: User) -> Exists:
    return Exists(PartnerMembership.objects.reachable().filter(consumer=consumer, vendor_id=OuterRef("vendor_id")))


def promotion_feed_for_consumer(*, consumer: User) -> QuerySet[Promotion]:
    """Running partners-only promotions delivered to this consumer, from vendors that are still their
    current, unmuted partners. Ending or muting a partnership removes them at once."""
    return (
        Promotion.objects.running()
        .filter(kind=Promotion.Kind.PARTNERS, deliveries__consumer=consumer)
        .filter(_current_unmuted_partner(consumer))
        .select_related("vendor")
        .order_by("-starts_at", "-id")
    )


def promotion_list_public_ads(
    *,
    consumer: User | AnonymousUser,
    category: str | None = None,
    exclusion: VendorExclusion | None = None,
) -> QuerySet[Promotion]:
    """Running public ads of approved vendors, shown in browse and search labelled as ads, except the ads of
    vendors this consumer ended (rule 2) or muted (rule 3). `exclusion` is the consumer's, when the page has
    already read it for its other lists (one query per request); otherwise it is read here."""
    if exclusion is None:
        exclusion = vendor_ids_excluded_for(consumer=consumer)
    qs = Promotion.objects.running().filter(kind=Promotion.Kind.PUBLIC).select_related("vendor", "vendor__category")
    if exclusion.ads_hidden:
        qs = qs.exclude(vendor_id__in=exclusion.ads_hidden)
    if category:
        qs = qs.filter(vendor__category__slug=category)
    return qs.order_by("-starts_at", "-id")


# The running public ads kept per category: enough for a page's few once a consumer's hidden vendors are out.
ADS_KEPT = 12


def promotion_list_public_ads_shown(
    *,
    consumer: User | AnonymousUser,
    count: int,
    exclusion: VendorExclusion,
    category: str | None = None,
) -> list[Promotion]:
    """The first `count` ads of promotion_list_public_ads for this consumer, for a page beside its results.
    The running public ads are the same for every visitor, so their first ADS_KEPT (per category) are kept in
    the cache under the storefront's version (a promotion, vendor or suspension change renews them at once;
    a promotion starting or ending on its own shows at most PAGE_CACHE_SECONDS late, as on anonymous pages);
    this consumer's ended and muted vendors are then left out here
    (marketplace.kernel.page_cache.storefront_kept_first). Read from the database when the kept list runs short
    for them."""
    return storefront_kept_first(
        f"ads:{category or ''}",
        count=count,
        keep=ADS_KEPT,
        every_visitor=lambda: promotion_list_public_ads(
            consumer=consumer, category=category, exclusion=VendorExclusion()
        ),
        for_visitor=lambda: promotion_list_public_ads(consumer=consumer, category=category, exclusion=exclusion),
        vendor_of=lambda ad: ad.vendor_id,
        hidden=exclusion.ads_hidden,
    )
