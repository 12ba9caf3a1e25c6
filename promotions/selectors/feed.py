"""Reads of promotions: the partner feed and the public ads."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, QuerySet

from marketplace.accounts.models import User
from marketplace.kernel.caching import kept
from marketplace.kernel.caching.heads import KeptHead
from portfolios.models import PartnerMembership
from portfolios.selectors.memberships import VendorExclusion, vendor_ids_excluded_for

from ..models import Promotion
from ..shown import SHAPE, PromotionShown, promotion_shown


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
) -> list[PromotionShown]:
    """The first `count` ads of promotion_list_public_ads for this consumer, for a page beside its results.
    The running public ads are the same for every visitor, so their first ADS_KEPT (per category) are kept
    (public_ads_head) and this consumer's ended and muted vendors are left out of them
    (marketplace.kernel.caching.heads.KeptHead); read from the database when the kept list runs short."""
    return KeptHead(
        everyone=lambda: public_ads_head.get(category=category or ""),
        keep=ADS_KEPT,
        for_visitor=lambda: promotion_list_public_ads(consumer=consumer, category=category, exclusion=exclusion),
        vendor_of=lambda ad: ad.vendor_id,
        hidden=exclusion.ads_hidden,
    )[:count]


@kept(
    "ads",
    shape=SHAPE,
    scopes=lambda category: ("ads", "reference"),
    rows=lambda ads: {f"vendor-card:{ad.vendor.pk}" for ad in ads},  # a suspended vendor's ads leave
)
def public_ads_head(*, category: str) -> tuple[PromotionShown, ...]:
    """The first ADS_KEPT running public ads (of a category), as every visitor sees them. A promotion that
    starts or ends on the clock bumps `ads` (promotions.services.lifecycle)."""
    ads = promotion_list_public_ads(consumer=AnonymousUser(), category=category or None, exclusion=VendorExclusion())
    return tuple(promotion_shown(ad) for ad in ads[:ADS_KEPT])
