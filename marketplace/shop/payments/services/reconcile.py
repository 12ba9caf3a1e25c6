"""The reconciliation: the provider's records of the recent payments against the checkouts and orders here.

Beat runs it hourly. First it repairs what a lost webhook left behind (a payment the provider settled that is
still open here is applied, as its event would have); then every remaining difference (amounts, paid here but
not there or the reverse, refunds that disagree or failed, orders whose state does not follow their payment,
a payment the provider does not know) is flagged to the moderators on each vendor of that checkout, through
the vendors layer's flags (vendor_flags_sync: one open flag per vendor, cleared once the records agree).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from vendors.models import VendorFlag
from vendors.moderation.services import vendor_flags_sync

from ...models import Order, Payment, Refund
from ...models.payments import OPEN_PAYMENT_STATUSES
from ..base import PaymentStatus, ProviderError, ProviderPayment
from ..money import from_minor
from ..providers import provider_get
from .payments import _payment_apply

logger = logging.getLogger(__name__)

PAID_STATES = (Order.Status.PAID, Order.Status.SHIPPED, Order.Status.DELIVERED)
EXAMPLES_KEPT = 5


@dataclass
class ReconcileResult:
    payments_compared: int = 0
    repaired: int = 0
    differences: dict[int, list[str]] = field(default_factory=dict)  # checkout id -> what differs
    flagged_vendors: int = 0
    complete: bool = True


def _money(amount_minor: int, currency: str) -> str:
    return f"{from_minor(amount_minor, currency)} {currency.upper()}"


def _compare(payment: Payment, record: ProviderPayment | None) -> list[str]:
    problems = []
    orders = list(payment.checkout.orders.all())
    if payment.provider_ref and record is None:
        problems.append(f"payment {payment.provider_ref} is not known to the provider")
    if record is not None:
        if record.amount_minor != payment.amount_minor:
            problems.append(
                f"amount {_money(payment.amount_minor, payment.currency)} here, "
                f"{_money(record.amount_minor, record.currency or payment.currency)} at the provider"
            )
        if record.status == PaymentStatus.SUCCEEDED and payment.status != Payment.Status.SUCCEEDED:
            problems.append("paid at the provider, not here")
        if payment.status == Payment.Status.SUCCEEDED and record.status != PaymentStatus.SUCCEEDED:
            problems.append(f"paid here, {record.status.replace('_', ' ')} at the provider")
        if record.amount_refunded_minor != payment.amount_refunded_minor:
            problems.append(
                f"refunded {_money(payment.amount_refunded_minor, payment.currency)} here, "
                f"{_money(record.amount_refunded_minor, payment.currency)} at the provider"
            )
    elif payment.status == Payment.Status.SUCCEEDED and payment.amount_minor > 0:
        problems.append("marked paid with no payment at the provider")
    if payment.status == Payment.Status.SUCCEEDED and any(o.status == Order.Status.AWAITING_PAYMENT for o in orders):
        problems.append("paid, but orders still await payment")
    if payment.status != Payment.Status.SUCCEEDED and any(o.status in PAID_STATES for o in orders):
        problems.append("orders marked paid without a payment")
    if any(r.status == Refund.Status.FAILED for r in payment.refunds.all()):
        problems.append("a refund failed at the provider")
    return problems


def _local(provider: str, since) -> list[Payment]:  # type: ignore[no-untyped-def]
    return list(
        Payment.objects.filter(provider=provider, created_at__gte=since)
        .select_related("checkout")
        .prefetch_related(
            Prefetch("checkout__orders", queryset=Order.objects.only("id", "status", "vendor_id", "checkout_id")),
            "refunds",
        )
        .order_by("id")
    )


def payments_reconcile(*, days: int | None = None) -> ReconcileResult:
    """Compare the last `days` (MARKETPLACE["PAYMENT_RECONCILE_DAYS"]) of payments with each provider's records,
    repair what lost webhooks left open, and flag every difference to the moderators on the vendors
    concerned (and clear the flags of vendors whose records now agree). Idempotent; the flags are left as
    they are when a provider could not be read (nothing is cleared on partial knowledge)."""
    result = ReconcileResult()
    since = timezone.now() - timedelta(days=days or settings.MARKETPLACE["PAYMENT_RECONCILE_DAYS"])
    vendors_of: dict[int, set[int]] = {}
    providers = Payment.objects.filter(created_at__gte=since).exclude(provider="").values_list("provider", flat=True)
    for name in sorted(set(providers)):
        try:
            # A margin before the window: a payment created just before it at the provider is still found.
            records = {p.ref: p for p in provider_get(name).payments_list(created_since=since - timedelta(hours=1))}
        except ProviderError as exc:
            logger.warning("Reconciliation could not read %s's payments: %s", name, exc)
            result.complete = False
            continue
        for payment in _local(name, since):
            record = records.get(payment.provider_ref)
            settled = record is not None and record.status in (PaymentStatus.SUCCEEDED, PaymentStatus.CANCELED)
            if settled and payment.status in OPEN_PAYMENT_STATUSES:
                _payment_apply(payment_id=payment.pk, state=record)
                result.repaired += 1
        for payment in _local(name, since):
            result.payments_compared += 1
            problems = _compare(payment, records.get(payment.provider_ref))
            if problems:
                result.differences[payment.checkout_id] = problems
                vendors_of[payment.checkout_id] = {order.vendor_id for order in payment.checkout.orders.all()}
    if not result.complete:
        return result
    figures: dict[int, dict] = defaultdict(lambda: {"payment_differences": 0, "checkouts": [], "examples": []})  # type: ignore[type-arg]
    for checkout_id, problems in sorted(result.differences.items()):
        for vendor_id in vendors_of[checkout_id]:
            entry = figures[vendor_id]
            entry["payment_differences"] += 1
            if len(entry["checkouts"]) < EXAMPLES_KEPT:
                entry["checkouts"].append(checkout_id)
                entry["examples"].append(f"checkout {checkout_id}: {'; '.join(problems)}")
    vendor_flags_sync(kind=VendorFlag.Kind.PAYMENT_MISMATCH, figures_by_vendor=dict(figures))
    result.flagged_vendors = len(figures)
    return result
