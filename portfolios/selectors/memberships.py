"""Reads of portfolios and of the statistics tables. Pages never scan memberships for figures."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from marketplace.accounts.models import User
from vendors.models import Product, Vendor

from ..models import PartnerMembership, VendorEndReasonStat


def membership_list_active(*, consumer: User) -> QuerySet[PartnerMembership]:
    return (
        PartnerMembership.objects.active()
        .filter(consumer=consumer)
        .select_related("vendor", "vendor__category", "vendor__stats")
        .order_by("vendor__name")
    )


def partner_vendor_ids(*, consumer: User) -> set[int]:
    """Ids of the consumer's current partners (empty for anonymous users)."""
    if not consumer.is_authenticated:
        return set()
    return set(PartnerMembership.objects.active().filter(consumer=consumer).values_list("vendor_id", flat=True))


def vendor_public_facts(*, vendor: Vendor) -> dict[str, object]:
    """The transparent facts every vendor page shows, read from the statistics tables."""
    stats = getattr(vendor, "stats", None)
    reasons = list(
        VendorEndReasonStat.objects.filter(vendor=vendor, ended_90d__gt=0).order_by("-ended_90d", "reason")[:3]
    )
    return {
        "partner_count": stats.current_partners if stats else 0,
        "ended_recent": stats.ended_90d if stats else 0,
        "recent_days": settings.MARKETPLACE["PUBLIC_FACTS_DAYS"],
        "top_end_reasons": [(r.get_reason_display(), r.ended_90d) for r in reasons],
        "computed_at": stats.computed_at if stats else None,
        "joined": vendor.approved_at or vendor.created_at,
    }


def membership_list_for_portfolio(*, consumer: User) -> QuerySet[PartnerMembership]:
    """The consumer's current partners, suspended ones included (marked), with their public figures."""
    return (
        PartnerMembership.objects.active()
        .filter(consumer=consumer)
        .select_related("vendor", "vendor__category", "vendor__stats")
        .order_by("vendor__name", "id")
    )


def membership_list_history(*, consumer: User) -> QuerySet[PartnerMembership]:
    """The consumer's ended partnerships, newest first, each marked `can_reinstate` (no active one now)."""
    active = PartnerMembership.objects.active().filter(consumer=consumer, vendor_id=OuterRef("vendor_id"))
    return (
        PartnerMembership.objects.ended()
        .filter(consumer=consumer)
        .select_related("vendor")
        .annotate(has_active=Exists(active))
        .order_by("-ended_at", "-id")
    )


def product_list_new_from_partners(*, consumer: User, days: int = 30, limit: int = 12) -> QuerySet[Product]:
    """Products that the consumer's current, approved partners added in the last `days` days."""
    since = timezone.now() - timedelta(days=days)
    partner_ids = PartnerMembership.objects.active().filter(consumer=consumer).values("vendor_id")
    return (
        Product.objects.purchasable()
        .filter(vendor_id__in=partner_ids, created_at__gte=since)
        .select_related("vendor")
        .order_by("-created_at", "-id")[:limit]
    )
