"""How a promotion did: reach, redemptions, revenue, and redemption rate by shared segment.

Rule 4 (marketplace/kernel/privacy.py): every count of consumers is of partners who count (no account the vendor could
have made for the purpose) and released (None under K, noisy and rounded down to a multiple of K otherwise), and
every rate is computed from released counts and rounded to a whole percent, so no rate turns a buyer count the
vendor knows from its orders into an exact reach. Redemptions and the money of fewer than K redeeming buyers are
not shown. The vendor sees each redeeming buyer on its own orders, so redemptions by segment would place a known
buyer in a group: they are shown only once the promotion has ended (no new redemption can then be watched
moving a cell), and for a group only when at least K redeemed in it and at least K redeemed outside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils.translation import gettext

from marketplace.accounts.models import AgeBand
from marketplace.kernel.privacy import count_text, min_group, release_count, release_share, suppress
from marketplace.shop.models import Redemption
from portfolios.models import PartnerMembership
from promotions.models import Promotion, PromotionDelivery
from promotions.selectors.feedback import FeedbackSummary, by_shared_segment, promotion_feedback_summary


@dataclass
class SegmentResult:
    label: str
    reached: int  # released; groups whose reach is not shown are not listed
    redeemed: int | None  # released; None while running, and for groups it could place a buyer in
    rate: float | None = None  # redeemed / reached of the released figures, whole percent, when redeemed is shown

    @property
    def reached_text(self) -> str:
        return count_text(self.reached)

    @property
    def redeemed_text(self) -> str:
        return gettext("not shown") if self.redeemed is None else count_text(self.redeemed)


@dataclass
class PromotionResults:
    promotion: Promotion
    min_group: int
    reached: int | None  # released; None under K, and for public ads
    redemptions: int | None  # orders that redeemed it (the vendor's own); None when fewer than K buyers redeemed
    discount_total: Decimal | None  # None with redemptions
    revenue: Decimal | None  # None with redemptions
    redemption_rate: float | None = None  # released redeeming partners / released reach, whole percent
    segment_redemptions_shown: bool = False
    segments: dict[str, list[SegmentResult]] = field(default_factory=dict)
    # What partners said of it (partners-only promotions): counts and reasons, overall and by group, released
    # (promotions.selectors.feedback).
    feedback: FeedbackSummary | None = None

    @property
    def reached_text(self) -> str:
        return count_text(self.reached)


def promotion_results(*, promotion: Promotion) -> PromotionResults:
    """Results of one promotion, every count of consumers released and every rate computed from released counts
    (see the module)."""
    k = min_group()
    vendor_id = promotion.vendor_id

    def released(n: int | None, figure: str) -> int | None:
        return release_count(n, vendor_id=vendor_id, figure=f"promotion:{promotion.pk}:{figure}")

    counted = Exists(PartnerMembership.objects.counted().filter(consumer=OuterRef("consumer"), vendor_id=vendor_id))
    redemptions = Redemption.objects.filter(promotion=promotion).aggregate(
        n=Count("id"),
        buyers=Count("consumer", distinct=True),
        counted_buyers=Count("consumer", distinct=True, filter=Q(counted)),
        discount=Sum("amount"),
        revenue=Sum("order__total"),
    )
    deliveries = PromotionDelivery.objects.filter(promotion=promotion).filter(counted)
    reached_exact = deliveries.count() if promotion.kind == Promotion.Kind.PARTNERS else None
    shown = suppress(redemptions["buyers"] or 0) is not None
    result = PromotionResults(
        promotion=promotion,
        min_group=k,
        reached=released(reached_exact, "reach") if reached_exact is not None else None,
        redemptions=(redemptions["n"] or 0) if shown else None,
        discount_total=(redemptions["discount"] or Decimal("0.00")) if shown else None,
        revenue=(redemptions["revenue"] or Decimal("0.00")).quantize(Decimal("0.01")) if shown else None,
    )
    total_buyers = redemptions["counted_buyers"] or 0
    if shown and result.reached is not None:
        result.redemption_rate = release_share(released(total_buyers, "redeemers"), result.reached)
    if promotion.kind != Promotion.Kind.PARTNERS:
        return result
    result.segment_redemptions_shown = promotion.state == Promotion.State.ENDED and shown
    redeemed_by = Redemption.objects.filter(promotion=promotion).values("consumer_id")
    ages = dict(AgeBand.choices)
    for dimension, label_path, grouped in by_shared_segment(deliveries):
        rows = grouped.annotate(
            reached=Count("id"), redeemed=Count("id", filter=Q(consumer_id__in=redeemed_by))
        ).filter(reached__gte=k)
        segment_rows = []
        for row in rows:
            group = f"{dimension}:{row[label_path]}"
            reached = released(row["reached"], f"reach:{group}")
            if reached is None:
                continue
            redeemed = None
            rate = None
            if (
                result.segment_redemptions_shown
                and suppress(row["redeemed"]) is not None
                and suppress(total_buyers - row["redeemed"]) is not None
            ):
                redeemed = released(row["redeemed"], f"redeemers:{group}")
                rate = release_share(redeemed, reached)
            segment_rows.append(
                SegmentResult(
                    label=ages.get(row[label_path], row[label_path]), reached=reached, redeemed=redeemed, rate=rate
                )
            )
        segment_rows.sort(key=lambda r: (-r.reached, r.label))
        result.segments[dimension] = segment_rows
    result.feedback = promotion_feedback_summary(promotion=promotion)
    return result
