"""A vendor's insights, read only from the statistics tables (never a scan of memberships).

Rule 4 of DESIGN.md: vendors see aggregates of what consumers chose to share, of partners who count (the
statistics job counts no account a vendor could have made for the purpose), and every figure is released by
marketplace/kernel/privacy.py: none about fewer than K consumers (None here, "fewer than K" on the page), the others
with deterministic noise and rounded down to a multiple of K, so neither two neighbouring days of the partner
series, nor two figures side by side (a reason and the total, a segment and its dimension), nor a re-read after
adding accounts lets a single partner be read. Shares, overlap and lift are computed from released figures only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.utils import timezone

from marketplace.accounts.models import AgeBand, Interest, Region
from marketplace.kernel.caching import kept
from marketplace.kernel.privacy import count_text, min_group, release_count, release_ratio, release_share, rounding_note
from vendors.models import Vendor

from ..models import (
    CategoryStats,
    EndReason,
    MarketplaceSegmentBaseline,
    SegmentDimension,
    VendorDailyStat,
    VendorEndReasonStat,
    VendorSegmentStat,
    VendorStats,
)


@dataclass
class SegmentRow:
    dimension: str
    value: str
    label: str
    partners: int  # released: noisy, rounded down to a multiple of K (rows under K are never stored or shown)
    share: float | None  # of the vendor's partners who share this dimension, from the released figures, whole %
    lift: float | None  # share among partners / share among all consumers who share it (released), to a tenth

    @property
    def partners_text(self) -> str:
        return count_text(self.partners)

    @property
    def lift_text(self) -> str:
        if self.lift is None:
            return "—"
        return f"{self.lift:.1f}×"


@dataclass
class Insights:
    """Every figure here is released (marketplace/kernel/privacy.py): None under K, noisy and rounded otherwise."""

    min_group: int
    computed_at: datetime | None
    current_partners: int | None
    partners_ever: int | None
    ended_90d: int | None
    reachable_partners: int | None
    grain: str = "day"  # of the trend: day, week or month (see _series)
    days: list[str] = field(default_factory=list)  # the first day of each period of the grain
    partners_series: list[int | None] = field(default_factory=list)
    adds_series: list[int | None] = field(default_factory=list)
    ends_series: list[int | None] = field(default_factory=list)
    end_reasons: list[dict[str, Any]] = field(default_factory=list)
    segments: dict[str, list[SegmentRow]] = field(default_factory=dict)
    overlap: float | None = None
    category_holders: int | None = None

    @property
    def current_partners_text(self) -> str:
        return count_text(self.current_partners)

    @property
    def partners_ever_text(self) -> str:
        return count_text(self.partners_ever)

    @property
    def ended_90d_text(self) -> str:
        return count_text(self.ended_90d)

    @property
    def grain_text(self) -> dict[str, str]:
        """How the page names the trend's grain: per day / per week / per month, over what window."""
        window = {"day": "the last 90 days", "week": "the last 26 weeks", "month": "the last 12 months"}
        return {"per": f"per {self.grain}", "window": window[self.grain], "period": self.grain}

    @property
    def trend_rows(self) -> list[dict[str, str]]:
        """The trend as table rows beside its charts, newest first: period, partners, added, ended."""
        rows = zip(self.days, self.partners_series, self.adds_series, self.ends_series, strict=True)
        return [
            {"period": day, "partners": count_text(p), "adds": count_text(a), "ends": count_text(e)}
            for day, p, a, e in reversed(list(rows))
        ]

    @property
    def rounding_note(self) -> str:
        return rounding_note()

    def chart_data(self) -> dict[str, Any]:
        """What the charts draw, for json_script (numbers also shown in tables). The doughnut's legend names
        only the reasons it draws a slice for: the ones with a shown count above zero."""
        drawn = [r for r in self.end_reasons if r["ended_90d"]]
        return {
            "rounded_to": self.min_group,
            "grain": self.grain,
            "days": self.days,
            "partners": self.partners_series,
            "adds": self.adds_series,
            "ends": self.ends_series,
            "reasons": {
                "labels": [r["label"] for r in drawn],
                "values": [r["ended_90d"] for r in drawn],
            },
            "segments": {
                dim: {"labels": [r.label for r in rows], "values": [r.partners for r in rows]}
                for dim, rows in self.segments.items()
            },
        }


def _labels() -> dict[str, dict[str, str]]:
    return {
        SegmentDimension.REGION: {region.code: region.shown_name for region in Region.objects.all()},
        SegmentDimension.AGE_BAND: dict(AgeBand.choices),
        SegmentDimension.INTEREST: {interest.slug: interest.shown_name for interest in Interest.objects.all()},
    }


# The trend's grains, finest first, each with its window: days cover 90 days, weeks half a year, months a year.
GRAINS = (("day", 90), ("week", 26), ("month", 12))


def _buckets(grain: str, count: int, today: date) -> list[tuple[date, date]]:
    """`count` consecutive periods of the grain ending with the one that holds today, as (first, last) days."""
    if grain == "day":
        return [(today - timedelta(days=i), today - timedelta(days=i)) for i in reversed(range(count))]
    if grain == "week":
        monday = today - timedelta(days=today.weekday())
        return [
            (monday - timedelta(weeks=i), monday - timedelta(weeks=i) + timedelta(days=6))
            for i in reversed(range(count))
        ]
    buckets = []
    first = today.replace(day=1)
    for _ in range(count):
        following = (first + timedelta(days=32)).replace(day=1)
        buckets.append((first, following - timedelta(days=1)))
        first = (first - timedelta(days=1)).replace(day=1)
    return list(reversed(buckets))


def _series(
    vendor: Vendor, current: int, today: date
) -> tuple[str, list[str], list[int | None], list[int | None], list[int | None]]:
    """The trend at the finest grain that shows something: partners at the end of each period, adds and ends
    per period, all released. Returns (grain, labels, partners, adds, ends).

    A small vendor's days are nearly all under K, so its daily adds and ends would nearly all be suppressed:
    the grain widens to weeks, then months, until more than a quarter of the periods with any activity show
    a figure (months are kept whatever they show); the choice reads released figures only. Each partner total
    is released under the same name as the current partners, so a period with one add and the next with one
    end (21, 22, 21) cannot be told from quiet ones, and equal totals read alike.
    """

    def released(n: int, figure: str) -> int | None:
        return release_count(n, vendor_id=vendor.pk, figure=figure)

    oldest = _buckets("month", GRAINS[-1][1], today)[0][0]
    rows = {r.day: r for r in VendorDailyStat.objects.filter(vendor=vendor, day__gte=oldest, day__lte=today)}
    for grain, count in GRAINS:
        buckets = _buckets(grain, count, today)
        adds_raw, ends_raw, nets = [], [], []
        for first, last in buckets:
            days_in = [rows[d] for d in rows if first <= d <= last]
            adds_raw.append(sum(r.counted_adds for r in days_in))
            ends_raw.append(sum(r.counted_ends for r in days_in))
            nets.append(sum(r.counted_net for r in days_in))
        adds = [released(n, f"adds:{grain}") for n in adds_raw]
        ends = [released(n, f"ends:{grain}") for n in ends_raw]
        active = [i for i in range(len(buckets)) if adds_raw[i] or ends_raw[i]]
        shown = [i for i in active if adds[i] is not None or ends[i] is not None]
        if not active or len(shown) * 4 > len(active) or grain == GRAINS[-1][0]:
            break
    # Partners at the end of each period, walking back from today's count through each period's net change.
    partners: list[int] = []
    running = current
    for net in reversed(nets):
        partners.append(running)
        running -= net
    partners.reverse()
    labels = [first.isoformat() for first, _ in buckets]
    return grain, labels, [released(p, "partners") for p in partners], adds, ends


def _end_reasons(vendor: Vendor) -> list[dict[str, Any]]:
    """Every reason a consumer can give, each with its released counts, in a fixed order among equal figures:
    a row only for the reasons that occurred, or an order by exact counts, would tell that one happened."""
    stored = {r.reason: r for r in VendorEndReasonStat.objects.filter(vendor=vendor)}
    rows = []
    for order, (reason, label) in enumerate(EndReason.choices):
        stat = stored.get(reason)
        ended_90d = release_count(stat.ended_90d if stat else 0, vendor_id=vendor.pk, figure=f"ended_90d:{label}")
        ended_total = release_count(stat.ended_total if stat else 0, vendor_id=vendor.pk, figure=f"ended:{label}")
        rows.append(
            {
                "reason": reason,
                "label": label,
                "ended_90d": ended_90d,
                "ended_90d_text": count_text(ended_90d),
                "ended_total": ended_total,
                "ended_total_text": count_text(ended_total),
                "_order": order,
            }
        )
    rows.sort(key=lambda r: (-(r["ended_total"] or 0), -(r["ended_90d"] or 0), r["_order"]))
    for row in rows:
        del row["_order"]
    return rows


def insights_get(*, vendor: Vendor) -> Insights:
    """Everything the insights page and API show for one vendor, every figure released by marketplace/kernel/privacy.py
    (None under K; noisy and rounded down to a multiple of K otherwise), under the same figure names as the
    vendor page's public facts, so both read alike."""
    stats = VendorStats.objects.filter(vendor=vendor).first()
    current = stats.current_partners if stats else 0

    def released(n: int | None, figure: str, vendor_id: int | None = vendor.pk) -> int | None:
        return release_count(n, vendor_id=vendor_id, figure=figure)

    result = Insights(
        min_group=min_group(),
        computed_at=stats.computed_at if stats else None,
        current_partners=released(current, "partners"),
        partners_ever=released(stats.partners_ever if stats else 0, "partners_ever"),
        ended_90d=released(stats.ended_90d if stats else 0, "ended_90d"),
        reachable_partners=released(stats.reachable_partners if stats else 0, "reachable"),
    )
    result.grain, result.days, result.partners_series, result.adds_series, result.ends_series = _series(
        vendor, current, timezone.localdate()
    )
    result.end_reasons = _end_reasons(vendor)

    labels = _labels()
    rows = list(VendorSegmentStat.objects.filter(vendor=vendor))
    totals = {r.dimension: released(r.partners, f"segment:{r.dimension}:*") for r in rows if r.value == "*"}
    # The marketplace's own figures are released too (no vendor: the same for every vendor), so lift carries
    # no exact baseline.
    baselines = {
        (b.dimension, b.value): released(b.consumers, f"baseline:{b.dimension}:{b.value}", None)
        for b in MarketplaceSegmentBaseline.objects.all()
    }
    for dimension in SegmentDimension.values:
        dimension_rows = []
        for r in rows:
            if r.dimension != dimension or r.value == "*":
                continue
            partners = released(r.partners, f"segment:{r.dimension}:{r.value}")
            if partners is None:
                continue
            share = release_share(partners, totals.get(dimension))
            base, base_total = baselines.get((dimension, r.value)), baselines.get((dimension, "*"))
            lift = release_ratio(share * base_total / base) if share is not None and base and base_total else None
            label = labels[dimension].get(r.value, r.value)
            dimension_rows.append(
                SegmentRow(dimension=dimension, value=r.value, label=label, partners=partners, share=share, lift=lift)
            )
        # By the released figure, then by name: an order by exact counts would rank groups the figures tie.
        dimension_rows.sort(key=lambda row: (-row.partners, row.label))
        result.segments[dimension] = dimension_rows

    category = CategoryStats.objects.filter(category_id=vendor.category_id).first()
    holders = released(category.consumers_holding if category else 0, f"holders:{vendor.category_id}", None)
    if holders and result.current_partners is not None:
        result.category_holders = holders
        result.overlap = release_share(result.current_partners, holders)

    return result


def insights_get_kept(*, vendor: Vendor) -> Insights:
    """insights_get, kept (marketplace.kernel.caching: insights_kept) under what it is computed from, read in one query:
    when the vendor's figures were last refreshed (every refresh of a vendor writes VendorStats.computed_at,
    in the transaction that writes its other tables), when its category's holders and the marketplace
    baselines last changed, K and today (the trend's buckets). A statistics refresh shows on the next
    request; only region and interest names show at most PAGE_CACHE_SECONDS late."""

    def whole(qs: QuerySet[Any], aggregate: Any) -> Subquery:  # one aggregate over the whole table
        return Subquery(qs.annotate(whole=Value(1)).values("whole").annotate(v=aggregate).values("v"))

    written = (
        Vendor.objects.filter(pk=vendor.pk)
        .values_list(
            Subquery(VendorStats.objects.filter(vendor=OuterRef("pk")).values("computed_at")),
            Subquery(CategoryStats.objects.filter(category=OuterRef("category_id")).values("computed_at")),
            whole(MarketplaceSegmentBaseline.objects.all(), Max("computed_at")),
            whole(MarketplaceSegmentBaseline.objects.all(), Count("*")),  # a baseline gone changes no max
        )
        .first()
    )
    stamp = ":".join(value.isoformat() if isinstance(value, datetime) else str(value) for value in written or ())
    return insights_kept.get(vendor_id=vendor.pk, k=min_group(), today=timezone.localdate().isoformat(), stamp=stamp)


@kept(
    "insights",
    shape=1,
    scopes=lambda vendor_id, k, today, stamp: (f"vendor:{vendor_id}", "reference"),
    timed=("statistics",),
)
def insights_kept(*, vendor_id: int, k: int, today: str, stamp: str) -> Insights:
    """insights_get, kept under what it is computed from (insights_get_kept): the arguments name when the
    vendor's figures, its category's holders and the baselines were last written, K and today."""
    return insights_get(vendor=Vendor.objects.select_related("category").get(pk=vendor_id))


def vendor_endings_spikes(*, today: date, minimum: int, factor: float, baseline_days: int) -> dict[int, dict[str, Any]]:
    """Vendors whose ended partnerships in the 7 days up to `today` reach `minimum` and `factor` times their
    usual 7-day rate over the `baseline_days` before, with those figures. One aggregate query."""
    recent_start = today - timedelta(days=7)
    baseline_start = recent_start - timedelta(days=baseline_days)
    rows = (
        VendorDailyStat.objects.filter(day__gt=baseline_start, day__lte=today)
        .values("vendor_id")
        .annotate(
            recent=Sum("ends", filter=Q(day__gt=recent_start)),
            baseline=Sum("ends", filter=Q(day__lte=recent_start)),
        )
        .filter(recent__gte=minimum)
    )
    spikes: dict[int, dict[str, Any]] = {}
    for row in rows:
        usual = round((row["baseline"] or 0) * 7 / baseline_days, 1)
        # A vendor with almost no history still needs `factor` times one ending a week to count as a spike.
        if row["recent"] >= factor * max(usual, 1.0):
            spikes[row["vendor_id"]] = {
                "ended_last_7_days": row["recent"],
                "usual_per_7_days": usual,
                "baseline_days": baseline_days,
            }
    return spikes
