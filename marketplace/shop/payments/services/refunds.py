"""Refunds: one per cancelled paid order, recorded in the cancelling transaction and made at the provider
after commit (`order-<id>-refund`), the platform's fee and the vendor's share given back in proportion."""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from marketplace.kernel.enqueue import enqueue_safely

from ...models import Order, OrderPayout, Payment, Refund
from ..base import ProviderError
from ..money import proportion_minor, to_minor
from ..providers import provider_get

logger = logging.getLogger(__name__)


def refund_create(*, order: Order, payment: Payment, reason: str) -> Refund | None:
    """Record the refund of what is left of the order's total, inside the caller's transaction (the order
    locked by it), and make it at the provider after commit. The platform gives back its fee's share and the
    vendor the rest; a vendor share already transferred is reversed from the transfer. None when nothing is
    left to refund or nothing was paid."""
    if payment.status != Payment.Status.SUCCEEDED:
        return None
    total = to_minor(order.total, payment.currency)
    asked = sum(
        Refund.objects.filter(order=order).exclude(status=Refund.Status.FAILED).values_list("amount_minor", flat=True)
    )
    amount = total - asked
    if amount <= 0:
        return None
    payout = OrderPayout.objects.select_for_update().filter(order=order).first()
    fee_back = reversal = 0
    if payout is not None:
        fee_back = min(proportion_minor(payout.fee_minor, amount, payout.gross_minor), payout.fee_minor)
        if payout.status == OrderPayout.Status.TRANSFERRED:
            reversal = amount - fee_back
        payout.refunded_minor = min(payout.gross_minor, payout.refunded_minor + amount)
        payout.fee_refunded_minor = min(payout.fee_minor, payout.fee_refunded_minor + fee_back)
        if payout.status == OrderPayout.Status.HELD and payout.refunded_minor >= payout.gross_minor:
            payout.status = OrderPayout.Status.REFUNDED
        payout.save(update_fields=["refunded_minor", "fee_refunded_minor", "status"])
    number = Refund.objects.filter(order=order).count() + 1
    refund = Refund.objects.create(
        payment=payment,
        order=order,
        amount_minor=amount,
        fee_minor=fee_back,
        reversal_minor=reversal,
        reason=reason,
        idempotency_key=f"order-{order.pk}-refund" + (f"-{number}" if number > 1 else ""),
    )
    from ..tasks import refund_execute_task

    transaction.on_commit(lambda: enqueue_safely(refund_execute_task, refund.pk))
    return refund


def refund_execute(*, refund_id: int) -> Refund | None:
    """Make a recorded refund at the provider (its key makes a retry the same refund), reverse the vendor's
    transferred share when there is one, and apply the provider's answer. Idempotent. Raises ProviderError
    when the provider cannot be reached (the refund stays pending; beat tries again)."""
    refund = Refund.objects.select_related("payment").filter(pk=refund_id).first()
    if refund is None or refund.status != Refund.Status.PENDING:
        return refund
    provider = provider_get(refund.payment.provider)
    if refund.provider_ref:
        result = provider.refund_get(refund_ref=refund.provider_ref)
    else:
        result = provider.refund(
            payment_ref=refund.payment.provider_ref,
            amount_minor=refund.amount_minor,
            idempotency_key=refund.idempotency_key,
            metadata={"order_id": str(refund.order_id), "checkout_id": str(refund.payment.checkout_id)},
        )
        Refund.objects.filter(pk=refund.pk, provider_ref="").update(provider_ref=result.ref)
    if refund.reversal_minor and not refund.reversal_ref:
        transfer_ref = (
            OrderPayout.objects.filter(order_id=refund.order_id).values_list("transfer_ref", flat=True).first()
        )
        if transfer_ref:
            reversal = provider.transfer_reverse(
                transfer_ref=transfer_ref,
                amount_minor=refund.reversal_minor,
                idempotency_key=f"{refund.idempotency_key}-reversal",
            )
            Refund.objects.filter(pk=refund.pk, reversal_ref="").update(reversal_ref=reversal.ref)
    return refund_apply(refund_id=refund.pk, status=result.status)


def refund_apply(*, refund_id: int, status: str) -> Refund:
    """Apply the provider's state of a refund: succeeded (the payment's refunded total counts it) or failed
    (kept for the reconciliation to flag). Idempotent, under the refund's row lock."""
    with transaction.atomic():
        refund = Refund.objects.select_for_update().get(pk=refund_id)
        if refund.status != Refund.Status.PENDING:
            return refund
        if status == "succeeded":
            refund.status, refund.refunded_at = Refund.Status.SUCCEEDED, timezone.now()
            Payment.objects.filter(pk=refund.payment_id).update(
                amount_refunded_minor=F("amount_refunded_minor") + refund.amount_minor, updated_at=timezone.now()
            )
        elif status in ("failed", "canceled"):
            refund.status = Refund.Status.FAILED
            logger.error("Refund %s of order %s failed at the provider.", refund.pk, refund.order_id)
        else:
            return refund
        refund.save(update_fields=["status", "refunded_at", "updated_at"])
    return refund


def refund_sync(*, refund_id: int) -> Refund | None:
    """Read a refund back from the provider (its webhook event) and apply it; one not yet made is made."""
    return refund_execute(refund_id=refund_id)


def refunds_execute_pending(*, older_than_seconds: int = 60, limit: int = 200) -> int:
    """Make the refunds still pending a while after they were recorded (a lost task, a provider outage).
    Returns how many are settled now."""
    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    ids = list(
        Refund.objects.filter(status=Refund.Status.PENDING, created_at__lt=cutoff)
        .order_by("id")
        .values_list("pk", flat=True)[:limit]
    )
    settled = 0
    for refund_id in ids:
        try:
            refund = refund_execute(refund_id=refund_id)
        except ProviderError as exc:
            logger.warning("Refund %s still pending: %s", refund_id, exc)
            continue
        settled += refund is not None and refund.status != Refund.Status.PENDING
    return settled
