"""Writes to the consumer's orders after checkout: the service rating and review, and cancelling before shipping."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from marketplace.accounts.mail import mail_send_on_commit, recipient_language
from marketplace.accounts.models import User
from marketplace.kernel.errors import ConflictError, NotFoundError

from ..models import Order, Refund, ServiceRating
from ..signals import order_changed
from .fulfilment import order_cancel_apply


@transaction.atomic
def order_rate(*, consumer: User, order_id: int, score: int, comment: str = "") -> ServiceRating:
    """Rate the vendor's service on one of the consumer's own delivered orders, once (1 to 5, optional review).

    A rating with text is a review, shown on the vendor's page without the buyer's name (the forms say so):
    saving it renews the vendor's kept page (shop/cache_scopes.py). Another consumer's order is not found.
    The vendor's public rating is recomputed after commit.
    """
    errors: dict[str, str] = {}
    if not isinstance(score, int) or not 1 <= score <= 5:
        errors["score"] = _("Choose a score from 1 to 5.")
    if len(comment) > 2000:
        errors["comment"] = _("Keep the comment under %(most)d characters.") % {"most": 2000}
    if errors:
        raise ValidationError(errors)
    order = Order.objects.select_for_update().filter(pk=order_id, consumer=consumer).first()
    if order is None:
        raise NotFoundError(_("No such order."))
    if order.status != Order.Status.DELIVERED:
        raise ConflictError(_("You can rate an order once it has been delivered."))
    if ServiceRating.objects.filter(order=order).exists():
        raise ConflictError(_("You have already rated this order."))
    review = comment.strip()
    rating = ServiceRating.objects.create(
        order=order, vendor_id=order.vendor_id, consumer=consumer, score=score, comment=review, public=bool(review)
    )
    transaction.on_commit(lambda: order_changed.send(sender=Order, vendor_id=order.vendor_id))
    return rating


@transaction.atomic
def order_cancel_by_consumer(*, consumer: User, order_id: int) -> Order:
    """The buyer cancels one of their own paid orders before it ships: its stock returns to the shelf and what
    they paid for it is refunded (the rest of the checkout stands). Atomic, order row locked, so it races
    safely with the vendor shipping it. Another consumer's order is not found; a shipped, delivered, cancelled
    or unpaid order is a conflict (an unpaid checkout is abandoned from its payment page instead). After
    commit the vendor's owner gets one e-mail."""
    order = (
        Order.objects.select_for_update(of=("self",))
        .select_related("vendor", "vendor__owner")
        .filter(pk=order_id, consumer=consumer)
        .first()
    )
    if order is None:
        raise NotFoundError(_("No such order."))
    if order.status != Order.Status.PAID:
        if order.status == Order.Status.AWAITING_PAYMENT:
            raise ConflictError(
                _("Order #%(number)s is not paid yet: give up paying for its checkout instead, and nothing is charged.")
                % {"number": order.pk}
            )
        raise ConflictError(
            _("Order #%(number)s is %(state)s; only a paid order that has not shipped can be cancelled.")
            % {"number": order.pk, "state": _(order.get_status_display()).lower()}
        )
    order_cancel_apply(order=order, refund_reason=Refund.Reason.BUYER_CANCELLED)
    order.save(update_fields=["status", "updated_at"])
    with recipient_language(order.vendor.owner):
        mail_send_on_commit(
            to=order.vendor.owner.email,
            subject=gettext("Order #%(pk)s for %(vendor)s was cancelled by the buyer")
            % {"pk": order.pk, "vendor": order.vendor.name},
            template="orders/cancelled_by_buyer",
            context={"order": order},
        )
    transaction.on_commit(lambda: order_changed.send(sender=Order, vendor_id=order.vendor_id))
    return order
