"""The buyer cancelling while the vendor ships, at the same moment, on PostgreSQL: one of them wins, the other is
told why, and the order is never both shipped and refunded."""

from __future__ import annotations

import pytest

from marketplace.kernel.errors import ConflictError
from marketplace.shop.models import Order, Refund
from marketplace.shop.services import cart_add, order_cancel_by_consumer
from marketplace.shop.services.fulfilment import order_fulfil
from tests.factories import ProductFactory, UserFactory
from tests.helpers import run_threads
from tests.payments import checkout_and_pay

ROUNDS = 4


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ship_and_cancel_at_once_leave_the_order_either_shipped_or_cancelled_and_refunded():
    product = ProductFactory(stock=ROUNDS * 2)
    buyers = [UserFactory() for _ in range(ROUNDS)]
    orders = []
    for n, buyer in enumerate(buyers):
        cart_add(consumer=buyer, product_id=product.pk, quantity=2)
        orders.append(checkout_and_pay(buyer, f"race-{n}").orders[0])
    product.refresh_from_db()
    assert product.stock == 0

    outcomes = []
    for buyer, order in zip(buyers, orders, strict=True):
        jobs = [
            lambda order=order: order_fulfil(
                vendor=product.vendor, order_id=order.pk, action="ship", tracking_number="RACE1"
            ),
            lambda order=order, buyer=buyer: order_cancel_by_consumer(consumer=buyer, order_id=order.pk),
        ]
        shipped, cancelled = run_threads(lambda i, jobs=jobs: jobs[i](), 2)
        order.refresh_from_db()
        # Exactly one won; the other got a conflict naming the state it found, never a 500 or a deadlock.
        assert [isinstance(r, Order) for r in (shipped, cancelled)].count(True) == 1, (shipped, cancelled)
        loser = cancelled if isinstance(shipped, Order) else shipped
        assert isinstance(loser, ConflictError), loser
        refunds = Refund.objects.filter(order=order)
        if order.status == Order.Status.SHIPPED:
            assert "is shipped" in str(loser) and not refunds.exists() and order.tracking_number == "RACE1"
        else:
            assert order.status == Order.Status.CANCELLED and "is cancelled" in str(loser)
            assert refunds.get().reason == Refund.Reason.BUYER_CANCELLED and order.tracking_number == ""
        outcomes.append(order.status)

    product.refresh_from_db()
    assert product.stock == 2 * outcomes.count(Order.Status.CANCELLED)  # only cancelled orders' stock came back
