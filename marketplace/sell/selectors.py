"""How a promotion did: reach, redemptions, revenue, and redemption rate by shared segment (suppressed < K)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, Sum

from marketplace.accounts.models import AgeBand
from marketplace.shop.models import Redemption
from promotions.models import Promotion, PromotionDelivery
from vendors.models import Vendor


@dataclass
class SegmentResult:
    label: str
    reached: int
    redeemed: int

    @property
    def rate(self) -> float:
        return self.redeemed / self.reached if self.reached else 0.0


@dataclass
class PromotionResults:
    promotion: Promotion
    min_group: int
    reached: int | None
    redemptions: int
    discount_total: Decimal
    revenue: Decimal
    segments: dict[str, list[SegmentResult]] = field(default_factory=dict)

    @property
    def redemption_rate(self) -> float | None:
        return self.redemptions / self.reached if self.reached else None


def promotion_get_for_vendor(*, vendor: Vendor, pk: int) -> Promotion | None:
    return Promotion.objects.filter(vendor=vendor, pk=pk).first()


def promotion_results(*, promotion: Promotion) -> PromotionResults:
    """Results of one promotion. Figures about fewer than K consumers are suppressed (reach and segments)."""
    k = int(settings.MARKETPLACE["STATS_MIN_GROUP"])
    redemptions = Redemption.objects.filter(promotion=promotion).aggregate(
        n=Count("id"), discount=Sum("amount"), revenue=Sum("order__total")
    )
    deliveries = PromotionDelivery.objects.filter(promotion=promotion)
    reached = deliveries.count() if promotion.kind == Promotion.Kind.PARTNERS else None
    result = PromotionResults(
        promotion=promotion,
        min_group=k,
        reached=reached if reached is None or reached >= k else None,
        redemptions=redemptions["n"] or 0,
        discount_total=redemptions["discount"] or Decimal("0.00"),
        revenue=redemptions["revenue"] or Decimal("0.00"),
    )
    if promotion.kind != Promotion.Kind.PARTNERS:
        return result
    redeemed_by = Redemption.objects.filter(promotion=promotion).values("consumer_id")
    for dimension, value_path, label_path, shared in (
        (
            "Region",
            "consumer__profile__region__code",
            "consumer__profile__region__name",
            "consumer__profile__share_region",
        ),
        ("Age band", "consumer__profile__age_band", "consumer__profile__age_band", "consumer__profile__share_age_band"),
    ):
        rows = (
            deliveries.filter(**{shared: True})
            .exclude(**{f"{value_path}__isnull": True})
            .exclude(**{value_path: ""})
            .values(value_path, label_path)
            .annotate(reached=Count("id"), redeemed=Count("id", filter=Q(consumer_id__in=redeemed_by)))
            .filter(reached__gte=k)
            .order_by("-reached")
        )
        ages = dict(AgeBand.choices)
        result.segments[dimension] = [
            SegmentResult(
                label=ages.get(row[label_path], row[label_path]), reached=row["reached"], redeemed=row["redeemed"]
            )
            for row in rows
        ]
    return result
