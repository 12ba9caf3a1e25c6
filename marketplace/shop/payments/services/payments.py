"""The payment of a checkout: recorded with the orders, started and confirmed at the provider, moved on only
by what the provider says (its webhook events, or the state read back after a call), lapsed when it is not
paid in time.

State machine: a transition table (ALLOWED_FROM) applied under the payment's row lock, plus conditional
UPDATEs for the orders (`status = awaiting_payment` in the WHERE), so two deliveries of one event, a webhook
racing the buyer's own confirmation, or an old event arriving after a newer one can never move a payment or
its orders backwards: every path re-reads the provider's current state and applies that.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from marketplace.accounts.models import User
from marketplace.kernel.errors import ConflictError, NotFoundError
from marketplace.kernel.money import currency

from ...models import Checkout, Order, OrderPayout, Payment, Redemption
from ...models.payments import OPEN_PAYMENT_STATUSES
from ...services.account import orders_scrub_buyer
from ...services.order_mail import order_mail_placed
from ...services.stock import stock_return_for_orders
from ...signals import order_changed, order_payment_lapsed
from ..base import PaymentStatus, ProviderError, ProviderPayment
from ..money import platform_fee_minor, platform_fee_percent, to_minor
from ..providers import provider_get, provider_name
from .refunds import refund_create

logger = logging.getLogger(__name__)

S = Payment.Status
# Which local states each state may be entered from (the payment row is locked while it moves).
ALLOWED_FROM: dict[str, set[str]] = {
    S.PROCESSING: {S.CREATED, S.FAILED, S.REQUIRES_ACTION},
    S.REQUIRES_ACTION: {S.CREATED, S.FAILED, S.PROCESSING},
    S.FAILED: {S.CREATED, S.REQUIRES_ACTION, S.PROCESSING, S.FAILED},
    S.SUCCEEDED: {S.CREATED, S.REQUIRES_ACTION, S.PROCESSING, S.FAILED, S.EXPIRED},
    S.EXPIRED: {S.CREATED, S.REQUIRES_ACTION, S.PROCESSING, S.FAILED},
}
# A consumer may send a card while the payment is in one of these.
CONFIRMABLE = (S.CREATED, S.FAILED, S.REQUIRES_ACTION)
UNREACHABLE = gettext_lazy("We could not reach the payment provider. Try again in a moment.")
NOT_THROUGH = gettext_lazy("The payment did not go through. Try again or use another card.")


def payment_key(checkout_id: int) -> str:
    """The idempotency key of a checkout's payment at the provider: the same checkout, the same payment."""
    return f"checkout-{checkout_id}-payment"


def payment_timeout() -> timedelta:
    return timedelta(minutes=settings.MARKETPLACE["PAYMENT_TIMEOUT_MINUTES"])


# --- inside checkout's transaction -------------------------------------------------------------------------


def payment_create_for_checkout(*, checkout: Checkout, orders: list[Order]) -> Payment:
    """Record the payment of a new checkout: the sum of its orders' totals, exactly as placed (partner prices
    and promotions included). Runs inside checkout_place's transaction; calls no provider (payment_start does,
    after commit). A checkout with nothing to pay (promotions took it all) is paid at once."""
    amount = sum((to_minor(order.total) for order in orders), 0)
    payment = Payment.objects.create(
        checkout=checkout,
        consumer=checkout.consumer,
        provider=provider_name() if amount else "",
        amount_minor=amount,
        currency=currency(),
        expires_at=timezone.now() + payment_timeout(),
    )
    if amount == 0:
        payment.status, payment.paid_at = S.SUCCEEDED, timezone.now()
        payment.save(update_fields=["status", "paid_at", "updated_at"])
        _orders_mark_paid(payment=payment)
    return payment


# --- moving a payment on -------------------------------------------------------------------------------------


def _orders_mark_paid(*, payment: Payment) -> list[Order]:
    """The checkout's unpaid orders become paid: each gets its payout record (gross, the platform's fee), the
    buyer and the vendor's owner their e-mails, and the vendor's figures a refresh after commit. A constant
    number of queries whatever the number of orders and lines."""
    orders = list(
        Order.objects.select_for_update(of=("self",))
        .filter(checkout_id=payment.checkout_id, status=Order.Status.AWAITING_PAYMENT)
        .select_related("vendor", "vendor__owner", "consumer")
        .prefetch_related("lines")
        .order_by("id")
    )
    if not orders:
        return []
    now = timezone.now()
    Order.objects.filter(pk__in=[o.pk for o in orders]).update(status=Order.Status.PAID, updated_at=now)
    percent = platform_fee_percent()
    payouts = []
    for order in orders:
        order.status = Order.Status.PAID
        gross = to_minor(order.total, payment.currency)
        payouts.append(
            OrderPayout(
                order=order, vendor_id=order.vendor_id, gross_minor=gross, fee_minor=platform_fee_minor(gross, percent)
            )
        )
    OrderPayout.objects.bulk_create(payouts, ignore_conflicts=True)
    for order in orders:
        order_mail_placed(order=order)
    vendor_ids = sorted({order.vendor_id for order in orders})

    def changed() -> None:
        for vendor_id in vendor_ids:
            order_changed.send(sender=Order, vendor_id=vendor_id)

    transaction.on_commit(changed)
    return orders


def _payment_lapse(*, payment: Payment) -> list[int]:
    """The checkout's unpaid orders are cancelled, their stock returns to the shelf and their promotion uses
    are given back (nothing was bought). Inside the caller's transaction, payment row locked."""
    order_ids = list(
        Order.objects.select_for_update()
        .filter(checkout_id=payment.checkout_id, status=Order.Status.AWAITING_PAYMENT)
        .order_by("id")
        .values_list("pk", flat=True)
    )
    Order.objects.filter(pk__in=order_ids).update(status=Order.Status.CANCELLED, updated_at=timezone.now())
    stock_return_for_orders(order_ids=order_ids)
    Redemption.objects.filter(order_id__in=order_ids).delete()
    orders_scrub_buyer(orders=Order.objects.filter(pk__in=order_ids, consumer__isnull=True))
    payment.status = S.EXPIRED
    payment.next_action_url = ""
    if order_ids:
        order_payment_lapsed.send(sender=Order, order_ids=order_ids)
    return order_ids


def _target(payment: Payment, state: ProviderPayment) -> str | None:
    """The local state the provider's state asks for (None: nothing to change)."""
    if state.status == PaymentStatus.SUCCEEDED:
        return S.SUCCEEDED
    if state.status == PaymentStatus.REQUIRES_ACTION:
        return S.REQUIRES_ACTION
    if state.status in (PaymentStatus.PROCESSING, PaymentStatus.REQUIRES_CAPTURE):
        return S.PROCESSING
    if state.status == PaymentStatus.CANCELED:
        return S.EXPIRED
    if state.status == PaymentStatus.REQUIRES_PAYMENT_METHOD:
        # No card yet is no news; a card that failed (or an attempt under way that came back) is a failure.
        if state.failure_message or payment.status in (S.PROCESSING, S.REQUIRES_ACTION):
            return S.FAILED
    return None


def _payment_apply(*, payment_id: int, state: ProviderPayment) -> Payment:
    """Apply the provider's current state of the payment, under its row lock. Idempotent; never moves
    backwards (ALLOWED_FROM). A payment that succeeds after it lapsed is refunded in full (its stock is gone)."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        if state.ref != payment.provider_ref:
            logger.error(
                "Payment %s: the provider answered for %s, not %s", payment.pk, state.ref, payment.provider_ref
            )
            return payment
        fields: set[str] = set()
        if state.charge_ref and state.charge_ref != payment.charge_ref:
            payment.charge_ref = state.charge_ref
            fields.add("charge_ref")
        if state.card_last4 and state.card_last4 != payment.card_last4:
            payment.card_last4 = state.card_last4
            fields.add("card_last4")
        target = _target(payment, state)
        if target is not None and payment.status in ALLOWED_FROM[target]:
            fields |= _payment_move(payment=payment, target=target, state=state)
        if fields:
            payment.save(update_fields=[*fields, "updated_at"])
    return payment


def _payment_move(*, payment: Payment, target: str, state: ProviderPayment) -> set[str]:
    if target == S.SUCCEEDED:
        if state.amount_received_minor != payment.amount_minor or state.currency.lower() != payment.currency.lower():
            # Never mark paid what was not paid in full; the reconciliation flags it to the moderators.
            logger.error(
                "Payment %s: the provider received %s %s, the checkout is %s %s",
                payment.pk,
                state.amount_received_minor,
                state.currency,
                payment.amount_minor,
                payment.currency,
            )
            return set()
        lapsed = payment.status == S.EXPIRED
        payment.status, payment.paid_at = S.SUCCEEDED, timezone.now()
        payment.failure_message = payment.next_action_url = ""
        if lapsed:
            _refund_lapsed(payment=payment)
        else:
            _orders_mark_paid(payment=payment)
        return {"status", "paid_at", "failure_message", "next_action_url"}
    if target == S.EXPIRED:
        _payment_lapse(payment=payment)
        return {"status", "next_action_url"}
    payment.status = target
    if target == S.REQUIRES_ACTION:
        payment.next_action_url = state.next_action_url
        payment.failure_message = ""
    elif target == S.FAILED:
        payment.failure_message = (state.failure_message or NOT_THROUGH)[:300]
        payment.next_action_url = ""
    return {"status", "next_action_url", "failure_message"}


def _refund_lapsed(*, payment: Payment) -> None:
    """Money came in for a checkout that had already lapsed (its orders cancelled, stock back): give it all
    back, one refund per order."""
    orders = list(Order.objects.select_for_update().filter(checkout_id=payment.checkout_id).order_by("id"))
    for order in orders:
        refund_create(order=order, payment=payment, reason="paid_too_late")
    logger.warning("Payment %s succeeded after its checkout lapsed; refunded in full.", payment.pk)


# --- the services --------------------------------------------------------------------------------------------


def payment_start(*, payment_id: int) -> Payment:
    """Create the checkout's payment at the provider, once. The key `checkout-<id>-payment` makes a doubled
    call (a double-submitted checkout, two tabs, a retry) the same payment there, so it is charged once.
    Idempotent: a payment already started, or no longer open, is returned as it is. Raises ProviderError when
    the provider cannot be reached (nothing changed here; the pay page starts it again)."""
    payment = Payment.objects.get(pk=payment_id)
    if payment.provider_ref or payment.status not in OPEN_PAYMENT_STATUSES or payment.amount_minor == 0:
        return payment
    state = provider_get(payment.provider).payment_start(
        amount_minor=payment.amount_minor,
        currency=payment.currency,
        idempotency_key=payment_key(payment.checkout_id),
        transfer_group=f"checkout-{payment.checkout_id}",
        metadata={"checkout_id": str(payment.checkout_id)},
    )
    Payment.objects.filter(pk=payment.pk, provider_ref="").update(
        provider_ref=state.ref, client_secret=state.client_secret, updated_at=timezone.now()
    )
    payment.refresh_from_db()
    return payment


def payment_get_own(*, consumer: User, checkout_id: int) -> Payment:
    payment = Payment.objects.filter(checkout_id=checkout_id, checkout__consumer=consumer).first()
    if payment is None:
        raise NotFoundError(_("No such checkout."))
    return payment


def payment_confirm(*, consumer: User, checkout_id: int, payment_method: str, return_url: str) -> Payment:
    """Pay one of the consumer's own checkouts with a card (the fake provider's test card number, or a Stripe
    PaymentMethod id). One confirmation at a time per payment (claimed under its row lock); each carries
    its own key (`checkout-<id>-payment-confirm-<attempt>`). The result is the provider's: paid (the orders
    become paid), failed (the reason is kept; another card may be tried), or waiting for the buyer's second
    step (`next_action_url`). Another consumer's checkout is not found; a paid, lapsed or busy one is a
    conflict. Raises ProviderError when the provider cannot be reached (the payment shows it failed)."""
    payment_method = (payment_method or "").strip()
    if not payment_method or len(payment_method) > 100:
        raise ValidationError({"payment_method": _("Enter your card number.")})
    payment = payment_get_own(consumer=consumer, checkout_id=checkout_id)
    if payment.status == S.SUCCEEDED:
        raise ConflictError(_("This checkout is paid already."))
    if payment.status == S.EXPIRED:
        raise ConflictError(
            _("This checkout lapsed before it was paid: its orders are cancelled. Nothing was charged.")
        )
    payment = payment_start(payment_id=payment.pk)
    with transaction.atomic():
        claimed = Payment.objects.select_for_update().filter(pk=payment.pk, status__in=CONFIRMABLE).first()
        if claimed is None:
            raise ConflictError(_("Your payment is being processed; look again in a moment."))
        claimed.attempts += 1
        claimed.status, claimed.failure_message, claimed.next_action_url = S.PROCESSING, "", ""
        claimed.save(update_fields=["attempts", "status", "failure_message", "next_action_url", "updated_at"])
    try:
        state = provider_get(payment.provider).payment_confirm(
            payment_ref=claimed.provider_ref,
            payment_method=payment_method,
            return_url=return_url,
            idempotency_key=f"{payment_key(payment.checkout_id)}-confirm-{claimed.attempts}",
        )
    except ProviderError:
        Payment.objects.filter(pk=payment.pk, status=S.PROCESSING).update(
            status=S.FAILED, failure_message=UNREACHABLE, updated_at=timezone.now()
        )
        raise
    return _payment_apply(payment_id=payment.pk, state=state)


def payment_sync(*, payment_id: int) -> Payment:
    """Read the payment back from its provider and apply what it says: the one path every webhook event, the
    buyer's return from their bank and the catch-up jobs take, so events late, doubled or out of order
    change nothing wrongly. Idempotent. Raises ProviderError when the provider cannot be reached."""
    payment = Payment.objects.get(pk=payment_id)
    if not payment.provider_ref:
        return payment
    state = provider_get(payment.provider).payment_get(payment_ref=payment.provider_ref)
    return _payment_apply(payment_id=payment.pk, state=state)


def payment_expire(*, payment_id: int, now_or_never: bool = False) -> Payment | None:
    """Lapse an unpaid payment past its time (or at once, `now_or_never`, when the buyer abandons it): it is
    cancelled at the provider first, so it can no longer succeed; then its orders are cancelled and their
    stock returned, in one transaction. A payment the provider reports paid (or still processing) is
    followed instead. Idempotent. Raises ProviderError when the provider cannot be reached (retried by beat)."""
    payment = Payment.objects.filter(pk=payment_id).first()
    if payment is None or payment.status not in OPEN_PAYMENT_STATUSES:
        return payment
    if not now_or_never and payment.expires_at > timezone.now():
        return payment
    if payment.provider_ref:
        state = provider_get(payment.provider).payment_cancel(
            payment_ref=payment.provider_ref, idempotency_key=f"{payment_key(payment.checkout_id)}-cancel"
        )
        if state.status != PaymentStatus.CANCELED:
            return _payment_apply(payment_id=payment.pk, state=state)
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        if payment.status in OPEN_PAYMENT_STATUSES:
            _payment_lapse(payment=payment)
            payment.save(update_fields=["status", "next_action_url", "updated_at"])
    return payment


def payment_abandon(*, consumer: User, checkout_id: int) -> Payment:
    """The buyer gives up paying one of their own checkouts: it lapses now (orders cancelled, stock back,
    nothing charged). A paid checkout is a conflict: its orders are cancelled one by one, with a refund."""
    payment = payment_get_own(consumer=consumer, checkout_id=checkout_id)
    if payment.status == S.SUCCEEDED:
        raise ConflictError(_("This checkout is paid: cancel its orders one by one to be refunded."))
    return payment_expire(payment_id=payment.pk, now_or_never=True) or payment


def payments_expire_due(*, limit: int = 200) -> int:
    """Lapse the unpaid payments past their time (beat, every minute). Returns how many lapsed; one the
    provider cannot be asked about now is left for the next run."""
    ids = list(
        Payment.objects.filter(status__in=OPEN_PAYMENT_STATUSES, expires_at__lt=timezone.now())
        .order_by("expires_at")
        .values_list("pk", flat=True)[:limit]
    )
    lapsed = 0
    for payment_id in ids:
        try:
            payment = payment_expire(payment_id=payment_id)
        except ProviderError as exc:
            logger.warning("Payment %s not lapsed now: %s", payment_id, exc)
            continue
        lapsed += payment is not None and payment.status == S.EXPIRED
    return lapsed
