"""The vendor's side of an order: ship, deliver, cancel. Only the vendor of the order may call these."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from marketplace.accounts.services import profile_buyer_since_set
from marketplace.kernel.enqueue import enqueue_safely
from marketplace.kernel.errors import ConflictError, NotFoundError
from vendors.models import Vendor

from ..models import Order, Payment, Refund
from ..payments.services.refunds import refund_create
from ..payments.tasks import payout_release_task
from ..signals import order_changed
from .account import CLOSED_ACCOUNT_NAME, FINISHED_STATUSES
from .order_mail import order_mail_status
from .stock import stock_return_for_orders

# Which state each action moves an order from, and to. Only a paid order is shipped or cancelled: an order
# awaiting payment is paid or lapses on its own (payments.services.payment_expire).
TRANSITIONS = {
    "ship": (Order.Status.PAID, Order.Status.SHIPPED),
    "deliver": (Order.Status.SHIPPED, Order.Status.DELIVERED),
    "cancel": (Order.Status.PAID, Order.Status.CANCELLED),
}
DONE = {"ship": "shipped", "deliver": "delivered", "cancel": "cancelled"}
CANCEL_REASON_MAX_LENGTH = 500
TRACKING_MAX_LENGTH = 60
# Tracking numbers as carriers print them: letters, digits, spaces and dashes (no markup, no links).
TRACKING_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9 -]*")


def _tracking_errors(*, action: str, carrier: str, tracking_number: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if (carrier or tracking_number) and action != "ship":
        errors["tracking_number" if tracking_number else "carrier"] = "A carrier and tracking number go with shipping."
        return errors
    if len(carrier) > TRACKING_MAX_LENGTH:
        errors["carrier"] = f"Keep the carrier under {TRACKING_MAX_LENGTH} characters."
    if len(tracking_number) > TRACKING_MAX_LENGTH:
        errors["tracking_number"] = f"Keep the tracking number under {TRACKING_MAX_LENGTH} characters."
    elif tracking_number and not TRACKING_NUMBER.fullmatch(tracking_number):
        errors["tracking_number"] = "A tracking number has letters, digits, spaces and dashes only."
    return errors


def order_cancel_apply(*, order: Order, refund_reason: str) -> Refund | None:
    """Cancel a paid order inside the caller's transaction (the order row locked by it): its stock returns to
    the shelf and what the buyer paid for it is refunded (recorded now, made at the provider after commit;
    the platform's fee and the vendor's share given back in proportion). Returns the refund (None for an
    order placed before payments were recorded)."""
    stock_return_for_orders(order_ids=[order.pk])
    order.status = Order.Status.CANCELLED
    payment = Payment.objects.select_for_update().filter(checkout_id=order.checkout_id).first()
    if payment is None:
        return None
    return refund_create(order=order, payment=payment, reason=refund_reason)


@transaction.atomic
def order_fulfil(
    *, vendor: Vendor, order_id: int, action: str, reason: str = "", carrier: str = "", tracking_number: str = ""
) -> Order:
    """Move one of the vendor's own orders on: ship a paid order (with an optional carrier and tracking
    number, shown to the buyer on the order page and in the shipped e-mail), deliver a shipped one, or cancel
    a paid one (its stock returns to the shelf and the buyer is refunded) with an optional reason for the buyer.
    Atomic, order row locked; another vendor's order is not found; an order awaiting payment can be neither
    shipped nor cancelled. After commit the buyer gets one e-mail saying what happened (the reason
    included), and a delivered order's payout is released to the vendor. An order whose buyer closed their
    account loses the buyer's name and address as soon as it is delivered or cancelled."""
    if action not in TRANSITIONS:
        raise NotFoundError("No such action.")
    reason = (reason or "").strip()
    if reason and action != "cancel":
        raise ValidationError({"reason": "A reason goes with a cancellation only."})
    if len(reason) > CANCEL_REASON_MAX_LENGTH:
        raise ValidationError({"reason": f"Keep the reason under {CANCEL_REASON_MAX_LENGTH} characters."})
    carrier, tracking_number = (carrier or "").strip(), (tracking_number or "").strip()
    errors = _tracking_errors(action=action, carrier=carrier, tracking_number=tracking_number)
    if errors:
        raise ValidationError(errors)
    order = Order.objects.select_for_update().filter(pk=order_id, vendor=vendor).first()
    if order is None:
        raise NotFoundError("No such order.")
    source, target = TRANSITIONS[action]
    if order.status != source:
        raise ConflictError(
            f"Order #{order.pk} is {order.get_status_display().lower()}; only a {source.label.lower()} order "
            f"can be {DONE[action]}."
        )
    if action == "cancel":
        order_cancel_apply(order=order, refund_reason=Refund.Reason.VENDOR_CANCELLED)
    order.status = target
    update_fields = ["status", "updated_at"]
    if action == "ship":
        order.carrier, order.tracking_number = carrier, tracking_number
        update_fields += ["carrier", "tracking_number"]
    if order.consumer_id is None and target in FINISHED_STATUSES:
        order.ship_to_name, order.ship_to_address = CLOSED_ACCOUNT_NAME, ""
        update_fields += ["ship_to_name", "ship_to_address"]
    order.save(update_fields=update_fields)
    if target == Order.Status.DELIVERED and order.consumer_id is not None:
        buyers_established_mark(consumer_ids=[order.consumer_id])
    order.vendor = vendor
    order_mail_status(order=order, reason=reason)
    transaction.on_commit(lambda: order_changed.send(sender=Order, vendor_id=order.vendor_id))
    if action == "deliver":
        transaction.on_commit(lambda: enqueue_safely(payout_release_task, order.pk))
    return order


def buyers_established_mark(*, consumer_ids: Iterable[int] | None = None, now: datetime | None = None) -> int:
    """Mark (ConsumerProfile.buyer_since) the consumers, of `consumer_ids` or all, whose orders have been delivered
    by at least two different vendors: one of them is then always another vendor than any one reading its
    figures, so a vendor cannot make the mark for accounts of its own by delivering their orders itself
    (marketplace/kernel/privacy.py, "who counts"). One set-based UPDATE; idempotent (a mark is set once). Runs in the
    caller's transaction; order_fulfil calls it for the buyer of each delivered order, the demo seed for all."""
    delivered = Order.objects.filter(status=Order.Status.DELIVERED, consumer__isnull=False)
    if consumer_ids is not None:
        delivered = delivered.filter(consumer_id__in=list(consumer_ids))
    buyers = (
        delivered.order_by()
        .values("consumer_id")
        .annotate(vendors=Count("vendor_id", distinct=True))
        .filter(vendors__gte=2)
        .values("consumer_id")
    )
    return profile_buyer_since_set(user_ids=buyers, when=now or timezone.now())
