"""Demo trade's money: the historical orders the demo loads in bulk were paid through the fake provider, so
each checkout gets the fake provider's record of the payment, the Payment here, and each order its payout
(held: the demo vendors have not set up payouts). Bulk writes, one per table."""

from __future__ import annotations

from collections import defaultdict

from django.utils import timezone

from marketplace.kernel.money import currency
from marketplace.shop.models import FakeProviderObject, Order, OrderPayout, Payment
from marketplace.shop.payments.fake import CARD_SUCCEEDS, fake_payment_intent_paid
from marketplace.shop.payments.money import platform_fee_minor, platform_fee_percent, to_minor
from marketplace.shop.payments.services.payments import payment_key


def demo_payments_record(*, orders: list[Order]) -> int:
    """Record these saved orders as paid, one payment per checkout. Returns how many payments."""
    by_checkout: dict[int, list[Order]] = defaultdict(list)
    for order in orders:
        by_checkout[order.checkout_id].append(order)
    now, code, percent = timezone.now(), currency(), platform_fee_percent()
    intents, payments, payouts = [], [], []
    for checkout_id, placed in sorted(by_checkout.items()):
        amount = sum(to_minor(order.total) for order in placed)
        intent = fake_payment_intent_paid(
            idempotency_key=payment_key(checkout_id),
            amount_minor=amount,
            currency=code,
            metadata={"checkout_id": str(checkout_id), "transfer_group": f"checkout-{checkout_id}"},
        )
        intents.append(intent)
        payments.append(
            Payment(
                checkout_id=checkout_id,
                consumer_id=placed[0].consumer_id,
                provider="fake",
                provider_ref=intent.ref,
                charge_ref=intent.data["latest_charge"],
                client_secret=intent.data["client_secret"],
                amount_minor=amount,
                currency=code,
                status=Payment.Status.SUCCEEDED,
                card_last4=CARD_SUCCEEDS[-4:],
                attempts=1,
                expires_at=now,
                paid_at=now,
            )
        )
        for order in placed:
            gross = to_minor(order.total)
            payouts.append(
                OrderPayout(
                    order=order,
                    vendor_id=order.vendor_id,
                    gross_minor=gross,
                    fee_minor=platform_fee_minor(gross, percent),
                )
            )
    FakeProviderObject.objects.bulk_create(intents, ignore_conflicts=True)
    Payment.objects.bulk_create(payments, ignore_conflicts=True)
    OrderPayout.objects.bulk_create(payouts, ignore_conflicts=True)
    return len(payments)
