"""How much a promotion takes off an order, and the best one for each of a checkout's orders."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, OuterRef, Q

from marketplace.accounts.models import User
from portfolios.models import PartnerMembership

from ..models import Promotion, PromotionDelivery

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
    *, consumer: User, vendor_id: int, subtotal: Decimal, code: str = "", used_up: Iterable[int] = ()
) -> tuple[Promotion | None, Decimal]:
    """The best running promotion this consumer is entitled to on an order from this vendor.

    Partners-only promotions count only when delivered to the consumer and the consumer is still a current,
    unmuted partner (an ended partnership is excluded). Promotions with a code need that code.
    """
    return promotion_best_for_orders(consumer=consumer, subtotals={vendor_id: subtotal}, code=code, used_up=used_up)[
        vendor_id
    ]


def promotion_best_for_orders(
    *, consumer: User, subtotals: Mapping[int, Decimal], code: str = "", used_up: Iterable[int] = ()
) -> dict[int, tuple[Promotion | None, Decimal]]:
    """promotion_best_for_order for several vendors' orders at once (vendor id -> subtotal), in one query:
    the one rule checkout applies and the checkout preview shows. Writes nothing. `used_up` are promotions
    this consumer may not redeem again (their use limits; redemptions are counted by the shop, above)."""
    best: dict[int, tuple[Promotion | None, Decimal]] = {v: (None, Decimal("0.00")) for v in subtotals}
    if not subtotals:
        return best
    entitled_partner = (
        Q(kind=Promotion.Kind.PARTNERS)
        & Q(Exists(PromotionDelivery.objects.filter(promotion=OuterRef("pk"), consumer=consumer)))
        & Q(Exists(PartnerMembership.objects.reachable().filter(consumer=consumer, vendor_id=OuterRef("vendor_id"))))
    )
    code_ok = Q(code="") | Q(code__iexact=code.strip()) if code.strip() else Q(code="")
    candidates = (
        Promotion.objects.running()
        .filter(vendor_id__in=list(subtotals))
        .filter(Q(kind=Promotion.Kind.PUBLIC) | entitled_partner)
        .filter(code_ok)
        .exclude(pk__in=list(used_up))
    )
    for promotion in candidates:
        amount = promotion_discount_amount(promotion=promotion, subtotal=subtotals[promotion.vendor_id])
        if amount > best[promotion.vendor_id][1]:
            best[promotion.vendor_id] = (promotion, amount)
    return best
