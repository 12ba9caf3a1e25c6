"""A vendor's insights, read only from the statistics tables (never a scan of memberships).

Rule 4 of DESIGN.md: vendors see aggregates of what consumers chose to share, and any figure about fewer
than K consumers is suppressed (None here, "fewer than K" on the page).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q, Sum
from django.utils import timezone

from marketplace.accounts.models import AgeBand, Interest, Region
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

TREND_DAYS = 90


def _k() -> int:
    return int(settings.MARKETPLACE["STATS_MIN_GROUP"])


def _suppress(n: int | None) -> int | None:
    return n if n is not None and n >= _k() else None


@dataclass
class SegmentRow:
    dimension: str
    value: str
    label: str
    partners: int
    share: float | None  # of the vendor's partners who share this dimension
    lift: float | None  # share among partners / share among all consumers who share it

    @property
    def lift_text(self) -> str:
        if self.lift is None:
            return "—"
        return f"{self.lift:.1f}×"


@dataclass
class Insights:
    min_group: int
    computed_at: datetime | None
    current_partners: int
    partners_ever: int
    ended_90d: int | None
    reachable_partners: int | None
    days: list[str] = field(default_factory=list)
    partners_series: list[int | None] = field(default_factory=list)
    adds_series: list[int | None] = field(default_factory=list)
    ends_series: list[int | None] = field(default_factory=list)
    end_reasons: list[dict[str, Any]] = field(default_factory=list)
    segments: dict[str, list[SegmentRow]] = field(default_factory=dict)
    overlap: float | None = None
    category_holders: int | None = None

    def chart_data(self) -> dict[str, Any]:
        """What the charts draw, for json_script (numbers also shown in tables)."""
        return {
            "days": self.days,
            "partners": self.partners_series,
            "adds": self.adds_series,
            "ends": self.ends_series,
            "reasons": {
                "labels": [r["label"] for r in self.end_reasons],
                "values": [r["ended_90d"] for r in self.end_reasons],
            },
            "segments": {
                dim: {"labels": [r.label for r in rows], "values": [r.partners for r in rows]}
                for dim, rows in self.segments.items()
            },
        }


def _labels() -> dict[str, dict[str, str]]:
    return {
        SegmentDimension.REGION: dict(Region.objects.values_list("code", "name")),
        SegmentDimension.AGE_BAND: dict(AgeBand.choices),
        SegmentDimension.INTEREST: dict(Interest.objects.values_list("slug", "name")),
    }


def _series(
    vendor: Vendor, current: int, today: date
) -> tuple[list[str], list[int | None], list[int | None], list[int | None]]:
    start = today - timedelta(days=TREND_DAYS - 1)
    rows = {r.day: r for r in VendorDailyStat.objects.filter(vendor=vendor, day__gte=start, day__lte=today)}
    days = [start + timedelta(days=i) for i in range(TREND_DAYS)]
    # Partners at the end of each day, walking back from today's count through each day's net change.
    partners: list[int] = []
    running = current
    for day in reversed(days):
        partners.append(running)
        row = rows.get(day)
        running -= row.net if row else 0
    partners.reverse()
    adds = [_suppress(rows[d].adds) if d in rows else 0 for d in days]
    ends = [_suppress(rows[d].ends) if d in rows else 0 for d in days]
    return [d.isoformat() for d in days], [_suppress(p) if p else 0 for p in partners], adds, ends


def insights_get(*, vendor: Vendor) -> Insights:
    """Everything the insights page and API show for one vendor, each figure under K suppressed."""
    stats = VendorStats.objects.filter(vendor=vendor).first()
    current = stats.current_partners if stats else 0
    result = Insights(
        min_group=_k(),
        computed_at=stats.computed_at if stats else None,
        current_partners=current,
        partners_ever=stats.partners_ever if stats else 0,
        ended_90d=_suppress(stats.ended_90d if stats else 0),
        reachable_partners=_suppress(stats.reachable_partners if stats else 0),
    )
    result.days, result.partners_series, result.adds_series, result.ends_series = _series(
        vendor, current, timezone.localdate()
    )
    reason_labels = dict(EndReason.choices)
    result.end_reasons = [
        {
            "reason": r.reason,
            "label": reason_labels.get(r.reason, r.reason),
            "ended_90d": _suppress(r.ended_90d),
            "ended_total": _suppress(r.ended_total),
        }
        for r in VendorEndReasonStat.objects.filter(vendor=vendor).order_by("-ended_total", "reason")
    ]

    labels = _labels()
    rows = list(VendorSegmentStat.objects.filter(vendor=vendor))
    totals = {r.dimension: r.partners for r in rows if r.value == "*"}
    baselines = {(b.dimension, b.value): b.consumers for b in MarketplaceSegmentBaseline.objects.all()}
    for dimension in SegmentDimension.values:
        dimension_rows = []
        for r in sorted((r for r in rows if r.dimension == dimension and r.value != "*"), key=lambda r: -r.partners):
            total = totals.get(dimension)
            share = r.partners / total if total else None
            base_total = baselines.get((dimension, "*"))
            base = baselines.get((dimension, r.value))
            lift = share / (base / base_total) if share is not None and base and base_total else None
            dimension_rows.append(
                SegmentRow(
                    dimension=dimension,
                    value=r.value,
                    label=labels[dimension].get(r.value, r.value),
                    partners=r.partners,
                    share=share,
                    lift=lift,
                )
            )
        result.segments[dimension] = dimension_rows

    category = CategoryStats.objects.filter(category_id=vendor.category_id).first()
    if category and category.consumers_holding and _suppress(current) is not None:
        result.category_holders = category.consumers_holding
        result.overlap = min(1.0, current / category.consumers_holding)

    return result


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
