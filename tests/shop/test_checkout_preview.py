"""Checkout shows, before the order is placed, the promotion each vendor's order gets and the total to pay,
on the page and in the cart API, by the very rule checkout applies; a code's effect shows once applied."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from marketplace.shop.models import Order
from marketplace.shop.selectors import checkout_preview
from marketplace.shop.services import cart_add, checkout_place
from portfolios.services import membership_start
from promotions.models import Promotion, PromotionDelivery
from tests.factories import ProductFactory, VendorFactory
from tests.helpers import running_promotion


@pytest.fixture
def two_vendor_cart(consumer):
    """A cart at two vendors: a partner with a delivered 10% promotion, and a shop whose public ad needs a code."""
    partner = VendorFactory(name="Pasta Partner")
    shop = VendorFactory(name="Sauce Shop")
    membership_start(consumer=consumer, vendor_id=partner.pk)
    partners_only = running_promotion(partner, kind=Promotion.Kind.PARTNERS, title="Partners pasta 10%")
    PromotionDelivery.objects.create(promotion=partners_only, consumer=consumer, delivered_at=partners_only.starts_at)
    running_promotion(
        shop,
        title="Sauce code sale",
        code="SAUCY",
        discount_type=Promotion.DiscountType.FIXED,
        discount_value=Decimal("3.00"),
    )
    cart_add(consumer=consumer, product_id=ProductFactory(vendor=partner, price=Decimal("30.00")).pk)
    cart_add(consumer=consumer, product_id=ProductFactory(vendor=shop, price=Decimal("12.00")).pk)
    return partner, shop


@pytest.mark.django_db
def test_checkout_page_shows_the_promotion_and_total_before_placing_and_charges_exactly_that(
    consumer_client, consumer, two_vendor_cart, django_capture_on_commit_callbacks
):
    # When the consumer opens checkout
    page = consumer_client.get(reverse("shop:checkout")).content.decode()

    # Then they see the partner promotion on that vendor's order, none on the other, and the total to pay
    assert "Partners pasta 10%" in page and "−£3.00" in page
    assert "Sauce code sale" not in page
    assert "Total before promotions: £42.00" in page and "Total to pay: £39.00" in page

    # When they apply the shop's code, its effect shows, and the order form carries it
    page = consumer_client.get(reverse("shop:checkout"), {"promotion_code": "saucy"}).content.decode()
    assert "Sauce code sale" in page and "Code saucy applied" in page and "Total to pay: £36.00" in page
    assert 'name="promotion_code" value="saucy"' in page

    # And placing the order charges what was shown
    with django_capture_on_commit_callbacks(execute=True):
        response = consumer_client.post(
            reverse("shop:checkout"),
            {"ship_to_name": "Sam", "ship_to_address": "1 Road", "promotion_code": "saucy", "idempotency_key": "k"},
        )
    assert response.status_code == 302
    assert sum(o.total for o in Order.objects.filter(consumer=consumer)) == Decimal("36.00")


@pytest.mark.django_db
def test_checkout_page_says_when_a_code_gives_nothing_and_refuses_a_too_long_one(consumer_client, two_vendor_cart):
    page = consumer_client.get(reverse("shop:checkout"), {"promotion_code": "NOPE"}).content.decode()
    assert "The code NOPE gives no discount on this cart" in page and "Total to pay: £39.00" in page

    response = consumer_client.get(reverse("shop:checkout"), {"promotion_code": "X" * 31})
    page = response.content.decode()
    assert response.status_code == 200 and "at most 30 characters" in page and "Total to pay: £39.00" in page


@pytest.mark.django_db
def test_cart_api_shows_per_vendor_promotion_and_total_to_pay_as_checkout_charges(consumer, two_vendor_cart):
    partner, shop = two_vendor_cart
    api = APIClient()
    api.force_authenticate(consumer)

    cart = api.get("/api/v1/cart/").json()
    by_vendor = {v["vendor"]: v for v in cart["vendors"]}
    assert by_vendor[partner.slug]["promotion"]["title"] == "Partners pasta 10%"
    assert (by_vendor[partner.slug]["discount"], by_vendor[partner.slug]["total"]) == ("3.00", "27.00")
    assert by_vendor[shop.slug]["promotion"] is None and by_vendor[shop.slug]["total"] == "12.00"
    assert (cart["total"], cart["discount"], cart["total_to_pay"]) == ("42.00", "3.00", "39.00")

    with_code = api.get("/api/v1/cart/", {"promotion_code": "SAUCY"}).json()
    assert with_code["promotion_code_applied"] is True and with_code["total_to_pay"] == "36.00"
    assert {v["vendor"]: v["promotion"]["code"] for v in with_code["vendors"]}[shop.slug] == "SAUCY"

    too_long = api.get("/api/v1/cart/", {"promotion_code": "X" * 31})
    assert too_long.status_code == 400 and "promotion_code" in too_long.json()

    bought = api.post(
        "/api/v1/checkout/",
        {"ship_to_name": "Sam", "ship_to_address": "1 Road", "promotion_code": "SAUCY"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="api-k",
    )
    assert bought.status_code == 201
    assert sum(Decimal(o["total"]) for o in bought.json()["orders"]) == Decimal(with_code["total_to_pay"])
    # The one payment asks for exactly what the cart showed.
    assert bought.json()["payment"]["amount"] == with_code["total_to_pay"]


@pytest.mark.django_db
def test_checkout_preview_agrees_with_checkout_place_and_writes_nothing(consumer, two_vendor_cart):
    for code in ("", "SAUCY", "nope"):
        preview = checkout_preview(consumer=consumer, code=code)
        assert not Order.objects.exists()
        assert preview.total == preview.cart.total - preview.discount
    preview = checkout_preview(consumer=consumer, code="SAUCY")
    result = checkout_place(
        consumer=consumer, idempotency_key="k", ship_to_name="Sam", ship_to_address="1 Road", promotion_code="SAUCY"
    )
    placed = {o.vendor_id: (o.discount, o.total) for o in result.orders}
    assert placed == {v.vendor.pk: (v.discount, v.total) for v in preview.vendors}
    assert result.payment.amount == preview.total  # charged exactly what the checkout page showed
