"""Closing a consumer's account. It lives in the top layer because it touches every layer's rows."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from marketplace.accounts.models import User
from marketplace.kernel.caching import changed
from marketplace.kernel.errors import ConflictError
from portfolios.services import membership_anonymise_for_consumer
from promotions.services.feedback import promotion_feedback_delete_for_consumer

from ..models import Order, ServiceRating

# What an order of a closed account shows where the buyer's name was, once nothing is left to deliver.
CLOSED_ACCOUNT_NAME = "Closed account"
# Orders with nothing left to deliver: their buyer's name and address serve no one any more.
FINISHED_STATUSES = (Order.Status.DELIVERED, Order.Status.CANCELLED)


def orders_scrub_buyer(*, orders: QuerySet[Order]) -> int:
    """Remove the buyer's name and address from these orders (the vendor keeps the order, its lines and
    totals). Runs inside the caller's transaction; returns how many orders were scrubbed."""
    return orders.update(ship_to_name=CLOSED_ACCOUNT_NAME, ship_to_address="")


@transaction.atomic
def account_close(*, user: User) -> int:
    """Delete the user's account in one transaction; returns how many of their orders are still on their way
    (those keep the delivery name and address for now, which the closing message says).

    Partnerships are closed (recorded as closings, not as endings, so no vendor's public facts count them)
    and anonymised; orders, ratings and redemptions stay for the vendors' books with the consumer removed.
    Their reviews leave the vendors' pages (the scores stay in the averages), renewing those pages.
    Delivered and cancelled orders lose the buyer's name and address now; open ones keep what delivery
    needs until fulfilment delivers or cancels them, which then scrubs them (fulfilment.order_fulfil).
    The cart, profile, tokens, promotion feedback and digests go with the user (feedback is the consumer's:
    vendors' feedback counts lose it). A user who owns a vendor must hand it over first (refused, nothing
    changed).
    """
    if user.vendors.exists():
        raise ConflictError(
            _("You own a vendor on the marketplace; ask the moderators to close it before your account.")
        )
    # Locked first, so a vendor delivering one of these orders meanwhile either finishes before (and the order
    # is scrubbed here) or waits and finds the buyer gone (and fulfilment scrubs it).
    locked = len(Order.objects.select_for_update().filter(consumer=user).values_list("pk", flat=True))
    scrubbed = orders_scrub_buyer(orders=Order.objects.filter(consumer=user, status__in=FINISHED_STATUSES))
    reviews = ServiceRating.objects.filter(consumer=user, public=True)
    reviewed_vendors = set(reviews.values_list("vendor_id", flat=True))
    reviews.update(public=False)
    changed(*(f"vendor:{vendor_id}" for vendor_id in reviewed_vendors))  # an UPDATE sends no signal
    membership_anonymise_for_consumer(consumer=user)
    promotion_feedback_delete_for_consumer(consumer=user)
    user.delete()
    return locked - scrubbed
