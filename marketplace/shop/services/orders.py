"""Writes to the consumer's orders after checkout: the service rating."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from marketplace.accounts.models import User
from marketplace.kernel.errors import ConflictError, NotFoundError

from ..models import Order, ServiceRating
from ..signals import order_changed


@transaction.atomic
def order_rate(*, consumer: User, order_id: int, score: int, comment: str = "") -> ServiceRating:
    """Rate the vendor's service on one of the consumer's own delivered orders, once (1 to 5, optional comment).

    Another consumer's order is not found. The vendor's public rating is recomputed after commit.
    """
    errors: dict[str, str] = {}
    if not isinstance(score, int) or not 1 <= score <= 5:
        errors["score"] = "Choose a score from 1 to 5."
    if len(comment) > 2000:
        errors["comment"] = "Keep the comment under 2000 characters."
    if errors:
        raise ValidationError(errors)
    order = Order.objects.select_for_update().filter(pk=order_id, consumer=consumer).first()
    if order is None:
        raise NotFoundError("No such order.")
    if order.status != Order.Status.DELIVERED:
        raise ConflictError("You can rate an order once it has been delivered.")
    if ServiceRating.objects.filter(order=order).exists():
        raise ConflictError("You have already rated this order.")
    rating = ServiceRating.objects.create(
        order=order, vendor_id=order.vendor_id, consumer=consumer, score=score, comment=comment.strip()
    )
    transaction.on_commit(lambda: order_changed.send(sender=Order, vendor_id=order.vendor_id))
    return rating
