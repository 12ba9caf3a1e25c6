"""Per-vendor sales and rating figures equal a recount of orders and ratings, and reruns change nothing."""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db.models import Avg, Count, Q, Sum

from marketplace.kernel.sql import Scope
from marketplace.shop.models import Checkout, Order, ServiceRating, VendorSalesStats
from marketplace.shop.services.stats import sales_stats_refresh
from marketplace.shop.signals import order_changed
from tests.factories import UserFactory, VendorFactory
from tests.helpers import run_threads


def _orders(rng: random.Random, vendors, consumers, count: int) -> None:
    for n in range(count):
        consumer = rng.choice(consumers)
        checkout = Checkout.objects.create(consumer=consumer, idempotency_key=f"key-{n}")
        total = Decimal(rng.randint(100, 9000)) / 100
        order = Order.objects.create(
            checkout=checkout,
            consumer=consumer,
            vendor=rng.choice(vendors),
            status=rng.choice(Order.Status.values),
            buyer_was_partner=rng.random() < 0.5,
            ship_to_name="A Buyer",
            ship_to_address="1 High Street",
            subtotal=total,
            total=total,
        )
        if rng.random() < 0.6:
            ServiceRating.objects.create(order=order, vendor=order.vendor, consumer=consumer, score=rng.randint(1, 5))


def _expected(vendor) -> tuple:
    # Sales are paid orders: neither cancelled ones nor those still awaiting payment count.
    live = Order.objects.filter(vendor=vendor).exclude(
        status__in=[Order.Status.CANCELLED, Order.Status.AWAITING_PAYMENT]
    )
    sums = live.aggregate(n=Count("id"), revenue=Sum("total"), partner=Sum("total", filter=Q(buyer_was_partner=True)))
    ratings = ServiceRating.objects.filter(vendor=vendor).aggregate(avg=Avg("score"), n=Count("id"))
    # PostgreSQL ROUND() rounds halves away from zero.
    average = (
        None
        if ratings["avg"] is None
        else Decimal(str(ratings["avg"])).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    )
    return (
        sums["n"],
        sums["revenue"] or Decimal("0.00"),
        sums["partner"] or Decimal("0.00"),
        average,
        ratings["n"],
    )


def _stored(vendor) -> tuple:
    row = VendorSalesStats.objects.get(vendor=vendor)
    return (row.orders_total, row.revenue_total, row.partner_revenue, row.rating_average, row.rating_count)


@pytest.mark.django_db
def test_sales_stats_refresh_equals_recount_and_a_rerun_changes_nothing():
    # Given random orders in every state, some rated, across three vendors
    rng = random.Random(5)
    vendors = [VendorFactory() for _ in range(3)]
    consumers = [UserFactory() for _ in range(6)]
    _orders(rng, vendors, consumers, 60)
    scope = Scope.ids([v.pk for v in vendors])

    # When the sales figures are recomputed, twice
    sales_stats_refresh(scope=scope)
    first = {v.pk: _stored(v) for v in vendors}
    sales_stats_refresh(scope=scope)

    # Then they equal a recount (cancelled orders left out), and the second run changed nothing
    for vendor in vendors:
        assert _stored(vendor) == _expected(vendor)
        assert _stored(vendor) == first[vendor.pk]


@pytest.mark.django_db
def test_sales_stats_refresh_gives_a_vendor_without_orders_zero_figures(vendor):
    sales_stats_refresh(scope=Scope.ids([vendor.pk]))

    assert _stored(vendor) == (0, Decimal("0.00"), Decimal("0.00"), None, 0)


@pytest.mark.django_db
def test_sales_stats_receiver_refreshes_the_vendor_when_an_order_changes():
    # Given a vendor with orders whose figures were never computed
    rng = random.Random(8)
    vendor = VendorFactory()
    _orders(rng, [vendor], [UserFactory()], 5)
    assert not VendorSalesStats.objects.filter(vendor=vendor).exists()

    # When the checkout announces a change of that vendor's orders (tasks run eagerly, as in embedded mode)
    order_changed.send(sender=Order, vendor_id=vendor.pk)

    # Then the vendor's sales figures are live
    assert _stored(vendor) == _expected(vendor)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sales_stats_refresh_of_one_vendor_from_eight_threads_at_once_all_succeed():
    """Two purchases from one vendor paid in the same moment each refresh its figures: every refresh succeeds
    (a delete-then-insert failed on the row another had just written) and the figures equal a recount."""
    rng = random.Random(3)
    vendor = VendorFactory()
    _orders(rng, [vendor], [UserFactory() for _ in range(3)], 12)

    results = run_threads(lambda _: sales_stats_refresh(scope=Scope.ids([vendor.pk])), 8)

    assert [r for r in results if isinstance(r, Exception)] == []
    stats = VendorSalesStats.objects.get(vendor=vendor)
    live = Order.objects.filter(vendor=vendor).exclude(status__in=["cancelled", "awaiting_payment"])
    assert stats.orders_total == live.count()
    assert stats.revenue_total == (live.aggregate(total=Sum("total"))["total"] or Decimal("0.00"))
