"""Vendor delivery charges: set in the workspace (page and API), shown on product pages and per vendor in the
cart, charged at checkout in each vendor's order total and so in the one payment."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from marketplace.shop.models import Payment, ShippingPolicy, ShippingRegionRate
from marketplace.shop.selectors import checkout_preview
from marketplace.shop.services import cart_add, checkout_place, shipping_policy_set
from tests.factories import ProductFactory, VendorFactory
from tests.payments import SHIP, checkout_and_pay, run_on_commit

D = Decimal


def _rates(vendor, **extra):  # type: ignore[no-untyped-def]
    return shipping_policy_set(
        vendor=vendor,
        flat_rate=D("4.50"),
        free_over=D("50.00"),
        region_rates={"scotland": D("9.00"), "london": D("3.00")},
        **extra,
    )


@pytest.mark.django_db
def test_checkout_charges_each_vendor_its_delivery_in_the_order_total_and_the_payment(consumer, product):
    _rates(product.vendor)
    other = ProductFactory(price=D("60.00"))  # over its vendor's threshold: free
    shipping_policy_set(vendor=other.vendor, flat_rate=D("5.00"), free_over=D("50.00"))
    cart_add(consumer=consumer, product_id=product.pk, quantity=2)
    cart_add(consumer=consumer, product_id=other.pk)

    result = checkout_and_pay(consumer)

    orders = {o.vendor_id: o for o in result.orders}
    mine, theirs = orders[product.vendor_id], orders[other.vendor_id]
    assert (mine.subtotal, mine.shipping, mine.total) == (D("20.00"), D("4.50"), D("24.50"))
    assert (theirs.subtotal, theirs.shipping, theirs.total) == (D("60.00"), D("0.00"), D("60.00"))
    assert Payment.objects.get().amount_minor == 8450


@pytest.mark.django_db
def test_a_region_rate_replaces_the_flat_rate_and_no_policy_delivers_free(consumer, product):
    _rates(product.vendor)
    free = ProductFactory()
    cart_add(consumer=consumer, product_id=product.pk)
    cart_add(consumer=consumer, product_id=free.pk)

    preview = checkout_preview(consumer=consumer, region="scotland")
    result = checkout_and_pay(consumer, ship_to_region="scotland")

    orders = {o.vendor_id: o for o in result.orders}
    assert (
        orders[product.vendor_id].shipping == D("9.00") and orders[product.vendor_id].ship_to_region.code == "scotland"
    )
    assert orders[free.vendor_id].shipping == D("0.00")
    assert preview.shipping == D("9.00") and preview.total == sum(o.total for o in result.orders)


@pytest.mark.django_db
def test_checkout_refuses_an_unknown_region_and_places_nothing(consumer, product):
    cart_add(consumer=consumer, product_id=product.pk)
    with pytest.raises(ValidationError) as exc:
        checkout_place(consumer=consumer, idempotency_key="k", ship_to_region="atlantis", **SHIP)
    assert "ship_to_region" in exc.value.message_dict
    assert not consumer.orders.exists() and consumer.cart_items.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"flat_rate": D("-1")},
        {"flat_rate": D("1000.01")},
        {"flat_rate": D("1.005")},
        {"flat_rate": D("1"), "free_over": D("0")},
        {"flat_rate": D("1"), "region_rates": {"atlantis": D("2")}},
        {"flat_rate": D("1"), "region_rates": {"london": D("-2")}},
    ],
)
def test_shipping_policy_set_refuses_bad_amounts_and_changes_nothing(vendor, fields):
    _rates(vendor)
    with pytest.raises(ValidationError):
        shipping_policy_set(vendor=vendor, **fields)
    policy = ShippingPolicy.objects.get(vendor=vendor)
    assert (policy.flat_rate, policy.free_over) == (D("4.50"), D("50.00"))
    assert ShippingRegionRate.objects.filter(vendor=vendor).count() == 2


@pytest.mark.django_db
def test_the_product_page_shows_the_delivery_terms_and_follows_their_change(client, product):
    url = reverse("shop:product-detail", args=[product.pk])
    assert "Free delivery" in client.get(url).content.decode()  # kept for anonymous visitors

    _rates(product.vendor)
    page = client.get(url).content.decode()
    assert "Delivery £4.50, free over £50.00" in page
    assert "Delivery to London: £3.00; Scotland: £9.00." in page


@pytest.mark.django_db
def test_the_cart_shows_each_vendors_delivery_and_the_total_with_it(consumer_client, consumer, product):
    _rates(product.vendor)
    cart_add(consumer=consumer, product_id=product.pk)
    page = consumer_client.get(reverse("shop:cart")).content.decode()
    assert "Delivery: £4.50" in page and "(free over £50.00)" in page
    assert "Total: £10.00 + delivery £4.50" in page


@pytest.mark.django_db
def test_the_checkout_page_previews_delivery_to_the_region_chosen_and_charges_it(consumer_client, consumer, product):
    _rates(product.vendor)
    cart_add(consumer=consumer, product_id=product.pk)
    page = consumer_client.get(reverse("shop:checkout") + "?ship_to_region=london").content.decode()
    assert "Total to pay: £13.00" in page

    response = consumer_client.post(
        reverse("shop:checkout"), {**SHIP, "ship_to_region": "london", "idempotency_key": "page-1"}
    )
    assert response.status_code == 302
    assert consumer.orders.get().total == D("13.00")


@pytest.mark.django_db
def test_the_checkout_page_explains_a_bad_region_with_a_400(consumer_client, consumer, product):
    cart_add(consumer=consumer, product_id=product.pk)
    response = consumer_client.post(
        reverse("shop:checkout"), {**SHIP, "ship_to_region": "atlantis", "idempotency_key": "page-1"}
    )
    assert response.status_code == 400 and not consumer.orders.exists()
    assert "Select a valid choice" in response.content.decode()


# --- The vendor's workspace ---------------------------------------------------------------------------------


@pytest.fixture
def owner_client(client, vendor):  # type: ignore[no-untyped-def]
    client.force_login(vendor.owner)
    return client


@pytest.mark.django_db
def test_the_vendor_sets_its_delivery_charges_on_the_workspace_page(owner_client, vendor):
    url = reverse("sell:shipping")
    assert "Delivery per order" in owner_client.get(url).content.decode()
    response = owner_client.post(url, {"flat_rate": "3.95", "free_over": "40", "rate_wales": "6.00", "rate_london": ""})
    assert response.status_code == 302
    policy = ShippingPolicy.objects.get(vendor=vendor)
    assert (policy.flat_rate, policy.free_over) == (D("3.95"), D("40.00"))
    assert list(ShippingRegionRate.objects.filter(vendor=vendor).values_list("region__code", "rate")) == [
        ("wales", D("6.00"))
    ]
    assert 'value="6.00"' in owner_client.get(url).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("data", [{"flat_rate": "-1"}, {"flat_rate": "abc"}, {"flat_rate": "1", "rate_wales": "99999"}])
def test_the_workspace_page_refuses_bad_charges_with_a_400_and_changes_nothing(owner_client, vendor, data):
    response = owner_client.post(reverse("sell:shipping"), data)
    assert response.status_code == 400 and 'class="errorlist' in response.content.decode()
    assert not ShippingPolicy.objects.exists()


@pytest.mark.django_db
def test_the_shipping_api_reads_and_replaces_only_the_callers_own_charges(vendor):
    other = VendorFactory()
    _rates(other)
    api = APIClient()
    api.force_authenticate(vendor.owner)
    url = reverse("api:sell-shipping")
    assert api.get(url).json() == {"flat_rate": "0.00", "free_over": None, "region_rates": []}

    body = {"flat_rate": "2.50", "free_over": None, "region_rates": [{"region": "wales", "rate": "5.00"}]}
    response = api.put(url, body, format="json")

    assert response.status_code == 200 and response.json() == {
        **body,
        "region_rates": [{"region": "wales", "rate": "5.00"}],
    }
    assert ShippingPolicy.objects.get(vendor=other).flat_rate == D("4.50")  # the other vendor's stay
    assert ShippingRegionRate.objects.filter(vendor=other).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body, field",
    [
        ({"flat_rate": "-1"}, "flat_rate"),
        ({}, "flat_rate"),
        ({"flat_rate": "1", "free_over": "0"}, "free_over"),
        ({"flat_rate": "1", "region_rates": [{"region": "atlantis", "rate": "1"}]}, "region_rates"),
        (
            {"flat_rate": "1", "region_rates": [{"region": "wales", "rate": "1"}, {"region": "wales", "rate": "2"}]},
            "region_rates",
        ),
        ({"flat_rate": "1", "region_rates": "wales"}, "region_rates"),
    ],
)
def test_the_shipping_api_answers_bad_input_with_400_and_field_errors(vendor, body, field):
    api = APIClient()
    api.force_authenticate(vendor.owner)
    response = api.put(reverse("api:sell-shipping"), body, format="json")
    assert response.status_code == 400 and field in response.json()
    assert not ShippingPolicy.objects.exists()


@pytest.mark.django_db
def test_the_cart_and_checkout_api_carry_delivery(api, consumer, product):
    _rates(product.vendor)
    cart_add(consumer=consumer, product_id=product.pk)
    cart = api.get(reverse("api:cart-detail"), {"ship_to_region": "scotland"}).json()
    assert (cart["shipping"], cart["total_to_pay"], cart["vendors"][0]["shipping"]) == ("9.00", "19.00", "9.00")
    assert api.get(reverse("api:cart-detail"), {"ship_to_region": "atlantis"}).status_code == 400

    bad = api.post(reverse("api:checkout"), {**SHIP, "ship_to_region": "atlantis"}, HTTP_IDEMPOTENCY_KEY="api-1")
    assert bad.status_code == 400 and "ship_to_region" in bad.json()
    with run_on_commit():
        placed = api.post(reverse("api:checkout"), {**SHIP, "ship_to_region": "scotland"}, HTTP_IDEMPOTENCY_KEY="api-2")
    assert placed.status_code == 201
    order = placed.json()["orders"][0]
    assert (order["shipping"], order["total"], order["ship_to_region"]) == ("9.00", "19.00", "scotland")
