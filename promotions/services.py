"""Writes and rules of promotions."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, OuterRef, Q

from marketplace.accounts.models import User
from portfolios.models import PartnerMembership

from .models import Promotion, PromotionDelivery

CENT = Decimal("0.01")


def promotion_discount_amount(*, promotion: Promotion, subtotal: Decimal) -> Decimal:
    """The discount a promotion gives on an order of this subtotal (never more than the subtotal)."""
    if promotion.min_order is not None and subtotal < promotion.min_order:
        return Decimal("0.00")
    if promotion.discount_type == Promotion.DiscountType.PERCENT:
        amount = (subtotal * promotion.discount_value / 100).quantize(CENT, rounding=ROUND_HALF_UP)
    else:
        amount = promotion.discount_value
    return min(amount, subtotal)


def promotion_best_for_order(
    *, consumer: User, vendor_id: int, subtotal: Decimal, code: str = ""
) -> tuple[Promotion | None, Decimal]:
    """The best running promotion this consumer is entitled to on an order from this vendor.

    Partners-only promotions count only when delivered to the consumer and the consumer is still a current,
    unmuted partner (an ended partnership is excluded). Promotions with a code need that code.
    """
    entitled_partner = (
        Q(kind=Promotion.Kind.PARTNERS)
        & Q(Exists(PromotionDelivery.objects.filter(promotion=OuterRef("pk"), consumer=consumer)))
        & Q(Exists(PartnerMembership.objects.active().filter(consumer=consumer, vendor_id=vendor_id, muted=False)))
    )
    code_ok = Q(code="") | Q(code__iexact=code.strip()) if code.strip() else Q(code="")
    candidates = (
        Promotion.objects.running()
        .filter(vendor_id=vendor_id)
        .filter(Q(kind=Promotion.Kind.PUBLIC) | entitled_partner)
        .filter(code_ok)
    )
    best: tuple[Promotion | None, Decimal] = (None, Decimal("0.00"))
    for promotion in candidates:
        amount = promotion_discount_amount(promotion=promotion, subtotal=subtotal)
        if amount > best[1]:
            best = (promotion, amount)
    return best
