"""Straightforward recounts from the source tables, to check the set-based statistics against."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from portfolios.models import (
    MembershipEvent,
    PartnerMembership,
    VendorDailyStat,
    VendorEndReasonStat,
    VendorSegmentStat,
    VendorStats,
)
from vendors.models import Vendor


def expected_vendor(vendor: Vendor) -> dict[str, object]:
    """The figures of the memberships that count (the queryset form of the rule, PartnerMembership.objects
    .counted(); the statistics job applies its SQL form, so agreeing here checks the two agree)."""
    memberships = list(PartnerMembership.objects.counted().filter(vendor=vendor).select_related("consumer__profile"))
    counted_ids = {m.pk for m in memberships}
    since = timezone.now() - timedelta(days=90)
    current = [m for m in memberships if m.ended_at is None]
    k = settings.MARKETPLACE["STATS_MIN_GROUP"]
    segments: Counter[tuple[str, str]] = Counter()
    reachable: Counter[tuple[str, str]] = Counter()
    for m in current:
        profile = m.consumer.profile
        keys = []
        if profile.share_region and profile.region_id:
            keys.append(("region", profile.region.code))
        if profile.share_age_band and profile.age_band:
            keys.append(("age_band", profile.age_band))
        if profile.share_interests:
            keys += [("interest", i.slug) for i in profile.interests.all()]
        for key in keys:
            segments[key] += 1
            reachable[key] += 0 if m.muted else 1
        for dimension in {key[0] for key in keys}:
            segments[(dimension, "*")] += 1
            reachable[(dimension, "*")] += 0 if m.muted else 1
    reasons: dict[str, tuple[int, int]] = {}
    for m in memberships:
        if m.ended_at is not None:
            recent, total = reasons.get(m.end_reason, (0, 0))
            reasons[m.end_reason] = (recent + (m.ended_at >= since), total + 1)
    # Per day: adds, ends (the consumer's verdict) and closings of every membership, then of those that count.
    daily: dict[object, list[int]] = {}
    for e in MembershipEvent.objects.filter(vendor=vendor):
        row = daily.setdefault(e.created_at.date(), [0, 0, 0, 0, 0, 0])
        column = {"started": 0, "reinstated": 0, "ended": 1}.get(e.kind, 2)
        row[column] += 1
        if e.membership_id in counted_ids:
            row[3 + column] += 1
    return {
        "totals": (
            len(current),
            sum(1 for m in current if not m.muted),
            len({m.consumer_id for m in memberships}),
            sum(1 for m in memberships if m.ended_at and m.ended_at >= since),
        ),
        "reasons": reasons,
        "segments": {key: (n, reachable[key]) for key, n in segments.items() if n >= k},
        "daily": {day: (a, e, a - e - c, ca, ce, ca - ce - cc) for day, (a, e, c, ca, ce, cc) in daily.items()},
    }


def stored_vendor(vendor: Vendor) -> dict[str, object]:
    stats = VendorStats.objects.get(vendor=vendor)
    return {
        "totals": (stats.current_partners, stats.reachable_partners, stats.partners_ever, stats.ended_90d),
        "reasons": {r.reason: (r.ended_90d, r.ended_total) for r in VendorEndReasonStat.objects.filter(vendor=vendor)},
        "segments": {
            (s.dimension, s.value): (s.partners, s.reachable) for s in VendorSegmentStat.objects.filter(vendor=vendor)
        },
        "daily": {
            d.day: (d.adds, d.ends, d.net, d.counted_adds, d.counted_ends, d.counted_net)
            for d in VendorDailyStat.objects.filter(vendor=vendor)
        },
    }
