"""Who a partners-only promotion reaches, and the audience-size preview shown before publishing.

One definition of the audience serves both delivery (a set-based INSERT ... SELECT) and the live-count
preview, so what the vendor is told is what is delivered. The preview of "all partners" and of a
one-dimension segment reads the statistics tables instead (reachable = current partners, not muted).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from marketplace.accounts.models import Interest, Region, User
from portfolios.models import PartnerMembership, SegmentDimension, VendorSegmentStat, VendorStats

from ..models import Promotion, PromotionDelivery

CAP_WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class AudienceSpec:
    """The audience fields of a promotion, whether saved or still being designed."""

    vendor_id: int
    kind: str = Promotion.Kind.PARTNERS
    audience: str = Promotion.Audience.ALL_PARTNERS
    segment_region: Region | None = None
    segment_age_band: str = ""
    segment_interest: Interest | None = None
    lapsed_days: int | None = None

    @classmethod
    def of(cls, promotion: Promotion) -> AudienceSpec:
        return cls(
            vendor_id=promotion.vendor_id,
            kind=promotion.kind,
            audience=promotion.audience,
            segment_region=promotion.segment_region,
            segment_age_band=promotion.segment_age_band,
            segment_interest=promotion.segment_interest,
            lapsed_days=promotion.lapsed_days,
        )

    @property
    def segment_dimensions(self) -> list[tuple[str, str]]:
        """The (dimension, statistics value) pairs of a segment: region code, age band, interest slug."""
        pairs: list[tuple[str, str]] = []
        if self.segment_region is not None:
            pairs.append((SegmentDimension.REGION, self.segment_region.code))
        if self.segment_age_band:
            pairs.append((SegmentDimension.AGE_BAND, self.segment_age_band))
        if self.segment_interest is not None:
            pairs.append((SegmentDimension.INTEREST, self.segment_interest.slug))
        return pairs


def audience_consumers(*, spec: AudienceSpec, now: datetime | None = None) -> QuerySet[User]:
    """The consumers a partners-only promotion reaches now: current partners of the vendor who have not
    muted it, matching the segment on attributes they chose to share, and not over their weekly cap.
    A consumer who ended the partnership has no active membership and so is never in it."""
    now = now or timezone.now()
    membership = PartnerMembership.objects.active().filter(
        consumer=OuterRef("pk"), vendor_id=spec.vendor_id, muted=False
    )
    if spec.audience == Promotion.Audience.LAPSED and spec.lapsed_days:
        cutoff = now - timedelta(days=spec.lapsed_days)
        membership = membership.filter(
            Q(last_order_at__lt=cutoff) | Q(last_order_at__isnull=True, started_at__lt=cutoff)
        )
    recent_deliveries = (
        PromotionDelivery.objects.filter(consumer=OuterRef("pk"), delivered_at__gte=now - CAP_WINDOW)
        .order_by()
        .values("consumer")
        .annotate(n=Count("*"))
        .values("n")
    )
    default_cap = settings.MARKETPLACE["DEFAULT_WEEKLY_PROMOTION_CAP"]
    qs = (
        User.objects.filter(is_active=True)
        .filter(Exists(membership))
        .annotate(
            recent_deliveries=Coalesce(Subquery(recent_deliveries, output_field=IntegerField()), Value(0)),
            weekly_cap=Coalesce(F("profile__weekly_promotion_cap"), Value(default_cap)),
        )
        .filter(recent_deliveries__lt=F("weekly_cap"))
    )
    if spec.audience == Promotion.Audience.SEGMENT:
        if spec.segment_region is not None:
            qs = qs.filter(profile__share_region=True, profile__region=spec.segment_region)
        if spec.segment_age_band:
            qs = qs.filter(profile__share_age_band=True, profile__age_band=spec.segment_age_band)
        if spec.segment_interest is not None:
            qs = qs.filter(
                profile__share_interests=True,
                profile__interests=spec.segment_interest,
            )
    return qs


@dataclass(frozen=True)
class AudiencePreview:
    """The audience size as the vendor may see it: None when suppressed (fewer than min_group)."""

    size: int | None
    min_group: int
    source: str  # "statistics" or "live count"
    computed_at: datetime | None
    public: bool = False

    @property
    def suppressed(self) -> bool:
        return self.size is None and not self.public

    @property
    def text(self) -> str:
        if self.public:
            return "Public ads are shown to everyone browsing and searching, labelled as ads."
        if self.size is None:
            return f"Fewer than {self.min_group} partners"
        return f"{self.size} partner{'s' if self.size != 1 else ''}"


def _suppress(n: int | None, k: int) -> int | None:
    return n if n is not None and n >= k else None


def audience_preview(*, spec: AudienceSpec) -> AudiencePreview:
    """How many partners a promotion would reach, with the suppression rule (fewer than K is not shown).

    "All partners" and one-dimension segments come from the statistics tables (no scan of memberships).
    Lapsed buyers and segments combining dimensions cannot be read from the statistics: they are one
    indexed count of the same audience delivery uses.
    """
    k = settings.MARKETPLACE["STATS_MIN_GROUP"]
    if spec.kind == Promotion.Kind.PUBLIC:
        return AudiencePreview(size=None, min_group=k, source="statistics", computed_at=None, public=True)
    dimensions = spec.segment_dimensions
    if spec.audience == Promotion.Audience.ALL_PARTNERS:
        stats = VendorStats.objects.filter(vendor_id=spec.vendor_id).first()
        return AudiencePreview(
            size=_suppress(stats.reachable_partners if stats else 0, k),
            min_group=k,
            source="statistics",
            computed_at=stats.computed_at if stats else None,
        )
    if spec.audience == Promotion.Audience.SEGMENT and len(dimensions) == 1:
        dimension, value = dimensions[0]
        row = VendorSegmentStat.objects.filter(vendor_id=spec.vendor_id, dimension=dimension, value=value).first()
        return AudiencePreview(
            size=_suppress(row.reachable if row else None, k),
            min_group=k,
            source="statistics",
            computed_at=row.computed_at if row else None,
        )
    size = audience_consumers(spec=spec).count()
    return AudiencePreview(size=_suppress(size, k), min_group=k, source="live count", computed_at=timezone.now())
