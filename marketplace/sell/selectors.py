"""How a promotion did: reach, redemptions, revenue, and redemption rate by shared segment.

Rule 4 (marketplace/kernel/privacy.py): every cell about fewer than K consumers is suppressed, redemptions and the
money of fewer than K redeeming buyers included, and counts of reached partners are rounded down to a multiple
of K. The vendor sees each redeeming buyer on its own orders, so redemptions by segment would place a known
buyer in a group: they are shown only once the promotion has ended (no new redemption can then be watched
moving a cell), and for a group only when at least K redeemed in it and at least K redeemed outside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum

from marketplace.accounts.models import AgeBand
from marketplace.kernel.privacy import count_text, min_group, round_total, suppress
from marketplace.shop.models import Redemption
from promotions.models import Promotion, PromotionDelivery
from promotions.selectors.feedback import FeedbackSummary, by_shared_segment, promotion_feedback_summary


@dataclass
class SegmentResult:
    label: str
    reached: int  # rounded down to a multiple of K; groups reached under K are not listed
    redeemed: int | None  # None while running, and for groups it could place a buyer in
    rate: float | None = None  # redeemed / reached, from the exact figures, when redeemed is shown

    @property
    def reached_text(self) -> str:
        return count_text(self.reached)

    @property
    def redeemed_text(self) -> str:
        return "not shown" if self.redeemed is None else count_text(self.redeemed)


@dataclass
class PromotionResults:
    promotion: Promotion
    min_group: int
    reached: int | None  # rounded; None under K, and for public ads
    redemptions: int | None  # None when fewer than K buyers redeemed
    discount_total: Decimal | None  # None with redemptions
    revenue: Decimal | None  # None with redemptions
    redemption_rate: float | None = None
    segment_redemptions_shown: bool = False
    segments: dict[str, list[SegmentResult]] = field(default_factory=dict)
    # What partners said of it (partners-only promotions): counts and reasons, overall and by group, under K
    # suppressed (promotions.selectors.feedback).
    feedback: FeedbackSummary | None = None

    @property
    def reached_text(self) -> str:
        return count_text(self.reached)


def promotion_results(*, promotion: Promotion) -> PromotionResults:
    """Results of one promotion, each figure about fewer than K consumers suppressed (see the module)."""
    k = min_group()
    redemptions = Redemption.objects.filter(promotion=promotion).aggregate(
        n=Count("id"), buyers=Count("consumer", distinct=True), discount=Sum("amount"), revenue=Sum("order__total")
    )
    deliveries = PromotionDelivery.objects.filter(promotion=promotion)
    reached_exact = deliveries.count() if promotion.kind == Promotion.Kind.PARTNERS else None
    buyers = suppress(redemptions["buyers"] or 0)
    shown = buyers is not None
    result = PromotionResults(
        promotion=promotion,
        min_group=k,
        reached=round_total(reached_exact) if reached_exact is not None else None,
        redemptions=(redemptions["n"] or 0) if shown else None,
        discount_total=(redemptions["discount"] or Decimal("0.00")) if shown else None,
        revenue=(redemptions["revenue"] or Decimal("0.00")).quantize(Decimal("0.01")) if shown else None,
    )
    if shown and result.reached is not None and reached_exact:
        result.redemption_rate = (redemptions["buyers"] or 0) / reached_exact
    if promotion.kind != Promotion.Kind.PARTNERS:
        return result
    result.segment_redemptions_shown = promotion.state == Promotion.State.ENDED and shown
    total_buyers = redemptions["buyers"] or 0
    redeemed_by = Redemption.objects.filter(promotion=promotion).values("consumer_id")
    ages = dict(AgeBand.choices)
    for dimension, label_path, grouped in by_shared_segment(deliveries):
        rows = grouped.annotate(
            reached=Count("id"), redeemed=Count("id", filter=Q(consumer_id__in=redeemed_by))
        ).filter(reached__gte=k)
        segment_rows = []
        for row in rows:
            redeemed = None
            rate = None
            if (
                result.segment_redemptions_shown
                and suppress(row["redeemed"]) is not None
                and suppress(total_buyers - row["redeemed"]) is not None
            ):
                redeemed = round_total(row["redeemed"])
                rate = row["redeemed"] / row["reached"]
            segment_rows.append(
                SegmentResult(
                    label=ages.get(row[label_path], row[label_path]),
                    reached=round_total(row["reached"]) or k,
                    redeemed=redeemed,
                    rate=rate,
                )
            )
        segment_rows.sort(key=lambda r: (-r.reached, r.label))
        result.segments[dimension] = segment_rows
    result.feedback = promotion_feedback_summary(promotion=promotion)
    return result
