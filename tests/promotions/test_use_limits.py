"""Codes cannot be farmed: every promotion redeems once per consumer unless the vendor raises it, and an
optional total stops it for everyone; the checkout preview says the same as the checkout."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.shop.models import Redemption
from marketplace.shop.selectors import checkout_preview
from marketplace.shop.services import cart_add, checkout_place
from promotions.models import Promotion
from tests.factories import ProductFactory, UserFactory
from tests.helpers import run_threads

SHIP = {"ship_to_name": "Sam Shopper", "ship_to_address": "1 High Street, Leeds"}


def _first_bag_code(vendor, **limits) -> Promotion:
    now = timezone.now()
    return Promotion.objects.create(
        vendor=vendor,
        title="£3 off your first bag",
        kind=Promotion.Kind.PUBLIC,
        discount_type=Promotion.DiscountType.FIXED,
        discount_value=Decimal("3"),
        code="HELLO3",
        starts_at=now - timedelta(minutes=1),
        ends_at=now + timedelta(days=1),
        state=Promotion.State.RUNNING,
        **limits,
    )


def _buy(consumer, product, key: str):
    cart_add(consumer=consumer, product_id=product.pk, quantity=1)
    return checkout_place(consumer=consumer, idempotency_key=key, promotion_code="HELLO3", **SHIP)


@pytest.mark.django_db
def test_a_first_bag_code_redeems_once_per_consumer_by_default(consumer):
    product = ProductFactory(price=Decimal("10.00"), stock=10)
    _first_bag_code(product.vendor)
    assert _buy(consumer, product, "k1").orders[0].total == Decimal("7.00")
    cart_add(consumer=consumer, product_id=product.pk, quantity=1)
    preview = checkout_preview(consumer=consumer, code="HELLO3")
    assert preview.discount == Decimal("0.00") and not preview.code_applied  # the preview says so before paying
    second = checkout_place(consumer=consumer, idempotency_key="k2", promotion_code="HELLO3", **SHIP)
    assert second.orders[0].total == Decimal("10.00")
    assert Redemption.objects.filter(consumer=consumer).count() == 1
    assert _buy(UserFactory(), product, "k3").orders[0].total == Decimal("7.00")  # another consumer still can


@pytest.mark.django_db
def test_the_vendor_may_raise_uses_per_consumer_and_cap_all_uses(consumer):
    product = ProductFactory(price=Decimal("10.00"), stock=10)
    _first_bag_code(product.vendor, uses_per_consumer=2, max_uses=3)
    totals = [_buy(consumer, product, f"k{i}").orders[0].total for i in range(3)]
    assert totals == [Decimal("7.00"), Decimal("7.00"), Decimal("10.00")]
    other = UserFactory()
    assert [_buy(other, product, f"o{i}").orders[0].total for i in range(2)] == [Decimal("7.00"), Decimal("10.00")]
    assert Redemption.objects.count() == 3


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_last_use_goes_to_one_of_two_simultaneous_checkouts():
    product = ProductFactory(price=Decimal("10.00"), stock=10)
    _first_bag_code(product.vendor, max_uses=1)
    buyers = [UserFactory() for _ in range(2)]
    for buyer in buyers:
        cart_add(consumer=buyer, product_id=product.pk, quantity=1)
    results = run_threads(
        lambda i: checkout_place(consumer=buyers[i], idempotency_key=f"race{i}", promotion_code="HELLO3", **SHIP), 2
    )
    assert not any(isinstance(r, Exception) for r in results), results
    assert sorted(r.orders[0].total for r in results) == [Decimal("7.00"), Decimal("10.00")]
    assert Redemption.objects.count() == 1


@pytest.mark.django_db
def test_use_limits_are_bounded_in_the_designer_api(reference_data):
    from rest_framework.test import APIClient

    from tests.factories import VendorFactory

    vendor = VendorFactory()
    api = APIClient()
    api.force_authenticate(vendor.owner)
    now = timezone.now()
    body = {
        "title": "Ten off",
        "kind": "public",
        "discount_value": "10",
        "starts_at": (now + timedelta(days=1)).isoformat(),
        "ends_at": (now + timedelta(days=2)).isoformat(),
    }
    for bad in ({"uses_per_consumer": 0}, {"uses_per_consumer": 101}, {"max_uses": 0}):
        response = api.post("/api/v1/sell/promotions/", {**body, **bad}, format="json")
        assert response.status_code == 400 and set(bad) <= set(response.json())
    created = api.post("/api/v1/sell/promotions/", {**body, "uses_per_consumer": 3}, format="json")
    assert created.status_code == 201 and created.json()["uses_per_consumer"] == 3
    assert not Promotion.objects.filter(uses_per_consumer__in=[0, 101]).exists()
