"""Checkout: one order per vendor, stock never oversold, one set of orders per idempotency key."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.kernel.errors import NotFoundError
from marketplace.shop.exceptions import CheckoutRefused
from marketplace.shop.models import CartItem, Order, Redemption
from marketplace.shop.services import cart_add, checkout_place
from portfolios.services import membership_start
from promotions.models import Promotion, PromotionDelivery
from tests.factories import ProductFactory, UserFactory, VendorFactory
from tests.helpers import run_threads
from vendors.models import Product, Vendor

SHIP = {"ship_to_name": "Sam Shopper", "ship_to_address": "1 High Street, Leeds"}


def _checkout(consumer, key: str = "key-1", **extra):
    return checkout_place(consumer=consumer, idempotency_key=key, **SHIP, **extra)


@pytest.mark.django_db
def test_checkout_place_splits_cart_into_one_order_per_vendor_and_decrements_stock(consumer):
    a, b = ProductFactory(price=Decimal("4.00"), stock=5), ProductFactory(price=Decimal("10.00"), stock=3)
    cart_add(consumer=consumer, product_id=a.pk, quantity=2)
    cart_add(consumer=consumer, product_id=b.pk, quantity=1)
    result = _checkout(consumer)
    assert sorted((o.vendor_id, o.total) for o in result.orders) == sorted(
        [(a.vendor_id, Decimal("8.00")), (b.vendor_id, Decimal("10.00"))]
    )
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.stock, b.stock) == (3, 2)
    assert not CartItem.objects.filter(consumer=consumer).exists()


@pytest.mark.django_db
def test_checkout_place_same_key_returns_first_orders(consumer, product):
    cart_add(consumer=consumer, product_id=product.pk)
    first = _checkout(consumer)
    cart_add(consumer=consumer, product_id=product.pk)
    again = _checkout(consumer)
    assert again.replayed and [o.pk for o in again.orders] == [o.pk for o in first.orders]
    assert Order.objects.filter(consumer=consumer).count() == 1


@pytest.mark.django_db
def test_checkout_place_refuses_out_of_stock_and_buys_nothing(consumer):
    scarce, plenty = ProductFactory(stock=2), ProductFactory(stock=9)
    cart_add(consumer=consumer, product_id=scarce.pk, quantity=2)
    cart_add(consumer=consumer, product_id=plenty.pk, quantity=1)
    Product.objects.filter(pk=scarce.pk).update(stock=1)
    with pytest.raises(CheckoutRefused, match="Only 1"):
        _checkout(consumer)
    assert not Order.objects.exists()
    plenty.refresh_from_db()
    assert plenty.stock == 9 and CartItem.objects.filter(consumer=consumer).count() == 2


@pytest.mark.django_db
def test_checkout_place_explains_changed_price(consumer, product):
    cart_add(consumer=consumer, product_id=product.pk)
    Product.objects.filter(pk=product.pk).update(price=Decimal("12.50"))
    with pytest.raises(CheckoutRefused, match="changed from £10.00 to £12.50"):
        _checkout(consumer)
    assert not Order.objects.exists()


@pytest.mark.django_db
def test_checkout_place_refuses_products_of_suspended_vendor(consumer, product):
    cart_add(consumer=consumer, product_id=product.pk)
    Vendor.objects.filter(pk=product.vendor_id).update(status=Vendor.Status.SUSPENDED)
    with pytest.raises(CheckoutRefused, match="not selling at the moment"):
        _checkout(consumer)
    assert not Order.objects.exists()


@pytest.mark.django_db
def test_cart_add_refuses_pending_vendor_products(consumer):
    hidden = ProductFactory(vendor=VendorFactory(status=Vendor.Status.PENDING))
    with pytest.raises(NotFoundError):
        cart_add(consumer=consumer, product_id=hidden.pk)


def _partners_promotion_delivered(*, vendor, consumer) -> Promotion:
    """A running 10% partners-only promotion, already in this consumer's feed."""
    now = timezone.now()
    promotion = Promotion.objects.create(
        vendor=vendor,
        title="Partners 10%",
        kind=Promotion.Kind.PARTNERS,
        discount_value=Decimal("10"),
        starts_at=now - timezone.timedelta(days=1),
        ends_at=now + timezone.timedelta(days=1),
        state=Promotion.State.RUNNING,
    )
    PromotionDelivery.objects.create(promotion=promotion, consumer=consumer, delivered_at=now)
    return promotion


@pytest.mark.django_db
def test_checkout_place_charges_partner_price_and_applies_delivered_partner_promotion(
    consumer, vendor, django_capture_on_commit_callbacks
):
    product = ProductFactory(vendor=vendor, price=Decimal("20.00"), partner_price=Decimal("18.00"))
    with django_capture_on_commit_callbacks(execute=True):
        membership_start(consumer=consumer, vendor_id=vendor.pk)
    promotion = _partners_promotion_delivered(vendor=vendor, consumer=consumer)
    cart_add(consumer=consumer, product_id=product.pk, quantity=2)
    order = _checkout(consumer).orders[0]
    assert (order.subtotal, order.discount, order.total) == (Decimal("36.00"), Decimal("3.60"), Decimal("32.40"))
    assert order.buyer_was_partner
    assert Redemption.objects.get(order=order).promotion == promotion


@pytest.mark.django_db
def test_checkout_place_never_applies_targeted_promotion_after_partnership_ended(
    consumer, vendor, django_capture_on_commit_callbacks
):
    from portfolios.services import membership_end

    product = ProductFactory(vendor=vendor, price=Decimal("20.00"))
    membership_start(consumer=consumer, vendor_id=vendor.pk)
    _partners_promotion_delivered(vendor=vendor, consumer=consumer)
    membership_end(consumer=consumer, vendor_id=vendor.pk, reason="bad_service")
    cart_add(consumer=consumer, product_id=product.pk)
    order = _checkout(consumer).orders[0]
    assert order.discount == 0 and not Redemption.objects.exists()


# --- Concurrency on PostgreSQL with real threads -----------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_checkout_place_twenty_buyers_for_five_units_sell_exactly_five():
    product = ProductFactory(stock=5)
    buyers = [UserFactory() for _ in range(20)]
    for buyer in buyers:
        cart_add(consumer=buyer, product_id=product.pk, quantity=1) if buyer else None
    Product.objects.filter(pk=product.pk).update(stock=5)

    results = run_threads(lambda i: checkout_place(consumer=buyers[i], idempotency_key=f"k{i}", **SHIP), 20)
    sold = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, CheckoutRefused)]
    product.refresh_from_db()
    assert len(sold) == 5 and len(refused) == 15
    assert product.stock == 0
    assert sum(line.quantity for o in Order.objects.all() for line in o.lines.all()) == 5


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_checkout_place_same_checkout_submitted_twice_at_once_makes_one_set_of_orders():
    consumer = UserFactory()
    a, b = ProductFactory(stock=5), ProductFactory(stock=5)
    cart_add(consumer=consumer, product_id=a.pk)
    cart_add(consumer=consumer, product_id=b.pk)
    results = run_threads(lambda i: checkout_place(consumer=consumer, idempotency_key="double-click", **SHIP), 2)
    assert not any(isinstance(r, Exception) for r in results), results
    assert Order.objects.filter(consumer=consumer).count() == 2
    assert {tuple(sorted(o.pk for o in r.orders)) for r in results} == {
        tuple(sorted(Order.objects.values_list("pk", flat=True)))
    }
    a.refresh_from_db()
    assert a.stock == 4
