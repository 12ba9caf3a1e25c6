"""The database fails in the middle of a checkout: nothing is bought, and the consumer is told so plainly.

The failure is PostgreSQL's own: a trigger raises "No space left on device" (SQLSTATE 53100, disk full)
at a chosen write, after the first vendor's order, its lines and its redemption are already written.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from marketplace.shop.models import CartItem, Checkout, Order, OrderLine, Redemption
from marketplace.shop.services import cart_add
from portfolios.models import PartnerMembership
from portfolios.services import membership_start
from promotions.models import Promotion, PromotionDelivery
from tests.factories import ProductFactory, VendorFactory
from vendors.models import Product

SHIP = {"ship_to_name": "Sam Shopper", "ship_to_address": "1 High Street, Leeds"}
UNAVAILABLE = "We could not place your order; nothing was charged, try again."

# Where the disk fills up: at the second vendor's order (the first one's order, lines and redemption are
# written), or at the very last write, clearing the cart (every order and every stock decrement is written).
FAILURE_POINTS = {
    "second-vendor-order": (
        Order._meta.db_table,
        "INSERT",
        f"EXISTS (SELECT 1 FROM {Order._meta.db_table} WHERE checkout_id = NEW.checkout_id)",
    ),
    "clearing-the-cart": (CartItem._meta.db_table, "DELETE", "TRUE"),
}


@contextmanager
def disk_full_at(point: str) -> Iterator[None]:
    table, event, condition = FAILURE_POINTS[point]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            CREATE FUNCTION faults_disk_full() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF {condition} THEN
                    RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = '53100';
                END IF;
                RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
            END $$;
            CREATE TRIGGER faults_disk_full BEFORE {event} ON {table}
                FOR EACH ROW EXECUTE FUNCTION faults_disk_full();
            """
        )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER faults_disk_full ON {table}; DROP FUNCTION faults_disk_full();")


@pytest.fixture
def two_vendor_cart(consumer, django_capture_on_commit_callbacks) -> dict[str, Any]:
    """A partner's product with a delivered 10% partners' promotion (so a redemption is written), and another
    vendor's product, in the consumer's cart."""
    first, second = VendorFactory(name="A First Roastery"), VendorFactory(name="B Second Bakery")
    coffee = ProductFactory(vendor=first, price=Decimal("20.00"), stock=5)
    bread = ProductFactory(vendor=second, price=Decimal("4.00"), stock=7)
    with django_capture_on_commit_callbacks(execute=True):
        membership_start(consumer=consumer, vendor_id=first.pk)
    now = timezone.now()
    promotion = Promotion.objects.create(
        vendor=first,
        title="Partners 10%",
        kind=Promotion.Kind.PARTNERS,
        discount_value=Decimal("10"),
        starts_at=now - timezone.timedelta(days=1),
        ends_at=now + timezone.timedelta(days=1),
        state=Promotion.State.RUNNING,
    )
    PromotionDelivery.objects.create(promotion=promotion, consumer=consumer, delivered_at=now)
    cart_add(consumer=consumer, product_id=coffee.pk, quantity=2)
    cart_add(consumer=consumer, product_id=bread.pk, quantity=3)
    return {"products": [coffee, bread], "first": first, "second": second}


def _state(consumer) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Everything a checkout writes, as the consumer and the vendors would see it."""
    return {
        "stock": dict(Product.objects.order_by("pk").values_list("pk", "stock")),
        "cart": sorted(CartItem.objects.filter(consumer=consumer).values_list("product_id", "quantity")),
        "checkouts": Checkout.objects.count(),
        "orders": Order.objects.count(),
        "order_lines": OrderLine.objects.count(),
        "redemptions": Redemption.objects.count(),
        "last_order_at": list(PartnerMembership.objects.filter(consumer=consumer).values_list("last_order_at")),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("point", FAILURE_POINTS)
def test_checkout_page_rolls_everything_back_and_explains_when_the_database_fails(
    consumer_client, consumer, two_vendor_cart, point
):
    before = _state(consumer)
    form = {**SHIP, "idempotency_key": f"page-{point}"}
    with disk_full_at(point):
        response = consumer_client.post(reverse("shop:checkout"), form)
    assert response.status_code == 503
    page = response.content.decode()
    assert UNAVAILABLE in page and "Nothing was bought" in page and "Place order and pay" in page
    assert _state(consumer) == before

    # Trying again, as the page says, with the same form (the same idempotency key), buys the cart once.
    again = consumer_client.post(reverse("shop:checkout"), form)
    assert again.status_code == 302
    orders = Order.objects.filter(consumer=consumer).order_by("vendor__name")
    assert [(o.vendor, o.total) for o in orders] == [
        (two_vendor_cart["first"], Decimal("36.00")),
        (two_vendor_cart["second"], Decimal("12.00")),
    ]
    assert Redemption.objects.filter(order=orders[0]).count() == 1
    coffee, bread = (Product.objects.get(pk=p.pk) for p in two_vendor_cart["products"])
    assert (coffee.stock, bread.stock) == (3, 4)
    assert not CartItem.objects.filter(consumer=consumer).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("point", FAILURE_POINTS)
def test_checkout_api_rolls_everything_back_and_answers_503_when_the_database_fails(consumer, two_vendor_cart, point):
    api = APIClient()
    api.force_authenticate(consumer)
    before = _state(consumer)
    with disk_full_at(point):
        response = api.post(reverse("api:checkout"), SHIP, format="json", HTTP_IDEMPOTENCY_KEY=f"api-{point}")
    assert response.status_code == 503
    assert response.json() == {"detail": UNAVAILABLE, "code": "checkout_unavailable"}
    assert _state(consumer) == before

    again = api.post(reverse("api:checkout"), SHIP, format="json", HTTP_IDEMPOTENCY_KEY=f"api-{point}")
    assert again.status_code == 201 and not again.json()["replayed"] and len(again.json()["orders"]) == 2
