"""Who a partners-only promotion reaches, and the audience-size preview shown before publishing.

One definition of the audience serves both delivery (a set-based INSERT ... SELECT) and the live-count
preview, so what the vendor is told is what is delivered. The preview of "all partners" and of a
one-dimension segment reads the statistics tables instead (reachable = current partners, not muted).

Rule 4 (marketplace/kernel/privacy.py): a promotion reaches every partner in its audience, but what the vendor is told
of it counts only partners who count (PartnerMembership.objects.counted: no account it could have made for the
purpose), released with noise, suppressed under K and rounded; and a vendor asks at most PREVIEW_DAILY_LIMIT
fresh audience questions a day (over it, the last answer to the same question is shown again). Publishing
refuses an audience whose released count is under K (promotions/services/lifecycle.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.accounts.models import Interest, Region, User
from marketplace.kernel import privacy
from marketplace.kernel.privacy import count_text, min_group, release_count
from portfolios.models import PartnerMembership, SegmentDimension, VendorSegmentStat, VendorStats

from ..models import LapsedWindow, Promotion, PromotionDelivery, PromotionFeedback

CAP_WINDOW = timedelta(days=7)
TOO_FREQUENT_DAYS = 90


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
    def question(self) -> str:
        """The audience as a question, the same for every draft designed alike: the identity of its released
        figures and of its place in the vendor's daily previews."""
        region = self.segment_region.code if self.segment_region is not None else ""
        interest = self.segment_interest.slug if self.segment_interest is not None else ""
        if self.audience != Promotion.Audience.SEGMENT:
            region, interest, age_band = "", "", ""
        else:
            age_band = self.segment_age_band
        lapsed = self.lapsed_days if self.audience == Promotion.Audience.LAPSED else ""
        return f"{self.kind}|{self.audience}|{region}|{age_band}|{interest}|{lapsed}"

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


def audience_consumers(
    *, spec: AudienceSpec, now: datetime | None = None, counted_only: bool = False
) -> QuerySet[User]:
    """The consumers a partners-only promotion reaches now: current partners of the vendor who have not
    muted it, matching the segment on attributes they chose to share, and not over their weekly cap.
    A consumer who ended the partnership has no active membership and so is never in it.

    counted_only: only those who count in the figures the vendor reads (PartnerMembership.objects.counted),
    for every count of the audience a vendor is told; delivery reaches the whole audience."""
    now = now or timezone.now()
    membership = PartnerMembership.objects.reachable().filter(consumer=OuterRef("pk"), vendor_id=spec.vendor_id)
    if counted_only:
        membership = membership.counted(now)
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


def audience_too_small_message() -> str:
    """Why a partners-only promotion whose audience is under K is neither published nor started."""
    k = min_group()
    return _(
        "This promotion would reach fewer than %(k)s partners, so it cannot be published: a promotion for so few "
        "people would tell you who they are when one of them orders. Choose a wider audience (at least %(k)s "
        "partners who have not muted you and are under their weekly cap)."
    ) % {"k": k}


def lapsed_window_message() -> str:
    windows = [str(int(w)) for w in LapsedWindow.values]
    return _("Choose one of the fixed windows: %(windows)s or %(last)s days without an order.") % {
        "windows": _(", ").join(windows[:-1]),
        "last": windows[-1],
    }


@dataclass(frozen=True)
class AudiencePreview:
    """The audience size as the vendor may see it: released (marketplace/kernel/privacy.py) from the partners who
    count, so noisy and rounded down to a multiple of min_group (K), None when suppressed. Never the exact
    count, so previews of neighbouring audiences, of the same audience after adding accounts, or a minute
    apart, cannot be differenced into one partner. `limited`: the day's fresh previews were used up, so this is
    the last answer given to the same question (or nothing, when it was never asked)."""

    size: int | None
    min_group: int
    source: str  # "statistics", "live count", or "none" when the audience cannot be counted as designed
    computed_at: datetime | None
    public: bool = False
    refusal: str = ""  # set when the audience as designed is refused (a lapsed window that is not fixed)
    # Of this audience, how many told the vendor in the last TOO_FREQUENT_DAYS days that its promotions come too
    # often (feedback "not for me: too frequent"): released like the size, None under K.
    too_frequent: int | None = None
    limited: bool = False

    @property
    def suppressed(self) -> bool:
        return self.size is None and not self.public

    @property
    def publishable(self) -> bool:
        # Over the day's previews, publishing still decides for itself (promotion_publish releases the count).
        return self.public or self.size is not None or (self.limited and not self.refusal)

    @property
    def publish_refusal(self) -> str | None:
        if self.publishable:
            return None
        return self.refusal or audience_too_small_message()

    @property
    def too_frequent_text(self) -> str:
        return count_text(self.too_frequent)

    @property
    def limit_text(self) -> str:
        return privacy.preview_limit_text() if self.limited else ""

    @property
    def text(self) -> str:
        if self.public:
            return _("Public ads are shown to everyone browsing and searching, labelled as ads.")
        if self.refusal:
            return self.refusal
        if self.limited and self.computed_at is None:
            return _("No fresh preview left today")
        if self.size is None:
            return _("Fewer than %(k)s partners") % {"k": self.min_group}
        if self.min_group == 1 and self.size == 1:
            return _("1 partner")
        return _("%(count)s partners") % {"count": count_text(self.size)}


def _too_frequent_exact(*, spec: AudienceSpec, now: datetime) -> int:
    said_too_often = PromotionFeedback.objects.filter(
        promotion__vendor_id=spec.vendor_id,
        reason=PromotionFeedback.Reason.TOO_FREQUENT,
        updated_at__gte=now - timedelta(days=TOO_FREQUENT_DAYS),
    ).values("consumer_id")
    return audience_consumers(spec=spec, now=now, counted_only=True).filter(pk__in=said_too_often).count()


def audience_too_frequent(*, spec: AudienceSpec, now: datetime | None = None) -> int | None:
    """How many consumers of this audience said, in the last TOO_FREQUENT_DAYS days, that a promotion of this
    vendor came too often: of the partners who count, released (marketplace/kernel/privacy.py). Driven from the
    vendor's own feedback rows (few), each checked against the one audience definition."""
    now = now or timezone.now()
    exact = _too_frequent_exact(spec=spec, now=now)
    return release_count(exact, vendor_id=spec.vendor_id, figure=f"too_frequent:{spec.question}")


def audience_count_released(*, spec: AudienceSpec, exact: int) -> int | None:
    """The live count of an audience's partners who count, as released to the vendor: the figure the live-count
    preview shows and publishing decides by (promotion_publish), so both say the same of the same data."""
    return release_count(exact, vendor_id=spec.vendor_id, figure=f"audience:{spec.question}")


def audience_preview(*, spec: AudienceSpec) -> AudiencePreview:
    """How many partners a promotion would reach, as the vendor may see it: of the partners who count, released
    (marketplace/kernel/privacy.py: None under K, noisy and rounded down to a multiple of K otherwise).

    "All partners" and one-dimension segments come from the statistics tables (no scan of memberships).
    Lapsed buyers and segments combining dimensions cannot be read from the statistics: they are one
    indexed count of the same audience delivery uses. A lapsed window other than the fixed ones (a draft
    saved before the windows were fixed) is not counted at all. With the size comes how many of the audience
    said the vendor's promotions come too often (audience_too_frequent), released the same way.

    Each (question, data) answered is one of the vendor's PREVIEW_DAILY_LIMIT fresh previews a day unless it was
    answered before (marketplace.kernel.privacy.preview_ask); over the limit the last answer to the same question comes
    back, marked `limited`, or none. Never raises for the limit.
    """
    k = min_group()
    if spec.kind == Promotion.Kind.PUBLIC:
        return AudiencePreview(size=None, min_group=k, source="statistics", computed_at=None, public=True)
    if spec.audience == Promotion.Audience.LAPSED and spec.lapsed_days not in LapsedWindow.values:
        return AudiencePreview(size=None, min_group=k, source="none", computed_at=None, refusal=lapsed_window_message())
    now = timezone.now()
    dimensions = spec.segment_dimensions
    too_frequent = _too_frequent_exact(spec=spec, now=now)
    if spec.audience == Promotion.Audience.ALL_PARTNERS:
        stats = VendorStats.objects.filter(vendor_id=spec.vendor_id).first()
        exact, figure = (stats.reachable_partners if stats else 0), "reachable"
        source, computed_at = "statistics", stats.computed_at if stats else None
    elif spec.audience == Promotion.Audience.SEGMENT and len(dimensions) == 1:
        dimension, value = dimensions[0]
        row = VendorSegmentStat.objects.filter(vendor_id=spec.vendor_id, dimension=dimension, value=value).first()
        exact, figure = (row.reachable if row else 0), f"segment_reachable:{dimension}:{value}"
        # A segment row's computed_at is when its figure last changed; how fresh it is: the vendor's last refresh.
        refreshed = VendorStats.objects.filter(vendor_id=spec.vendor_id).values_list("computed_at", flat=True).first()
        source, computed_at = "statistics", refreshed if row else None
    else:
        exact, figure = audience_consumers(spec=spec, now=now, counted_only=True).count(), None
        source, computed_at = "live count", now
    question = spec.question
    if not privacy.preview_ask(vendor_id=spec.vendor_id, question=question, state=f"{figure}:{exact}:{too_frequent}"):
        last = privacy.preview_last(vendor_id=spec.vendor_id, question=question)
        if not isinstance(last, dict):
            return AudiencePreview(size=None, min_group=k, source="none", computed_at=None, limited=True)
        return AudiencePreview(
            size=last.get("size"),
            min_group=k,
            source=str(last.get("source", "none")),
            computed_at=last.get("computed_at"),
            too_frequent=last.get("too_frequent"),
            limited=True,
        )
    size = (
        audience_count_released(spec=spec, exact=exact)
        if figure is None
        else release_count(exact, vendor_id=spec.vendor_id, figure=figure)
    )
    preview = AudiencePreview(
        size=size,
        min_group=k,
        source=source,
        computed_at=computed_at,
        too_frequent=release_count(too_frequent, vendor_id=spec.vendor_id, figure=f"too_frequent:{question}"),
    )
    # Kept as plain values (not the class), so an answer kept before a deploy reads back after it.
    answer = {"size": size, "too_frequent": preview.too_frequent, "source": source, "computed_at": computed_at}
    privacy.preview_remember(vendor_id=spec.vendor_id, question=question, answer=answer)
    return preview
