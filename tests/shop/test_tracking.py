"""A vendor marking an order shipped may give a carrier and a tracking number: the buyer reads them on the
order page, in the API and in the shipped e-mail. Bad ones are refused and change nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from marketplace.shop.models import Order
from marketplace.shop.services import cart_add
from marketplace.shop.services.fulfilment import order_fulfil
from tests.helpers import outbox_html, outbox_to
from tests.payments import paid_order, run_on_commit


@pytest.fixture
def order(consumer, product) -> Order:  # type: ignore[no-untyped-def]
    cart_add(consumer=consumer, product_id=product.pk)
    return paid_order(consumer)


@pytest.mark.django_db
def test_the_buyer_reads_the_tracking_number_on_the_order_page_and_in_the_shipped_mail(
    consumer_client, consumer, order
):
    with run_on_commit():
        order_fulfil(
            vendor=order.vendor,
            order_id=order.pk,
            action="ship",
            carrier="Royal Mail",
            tracking_number="RM 1234-5678 GB",
        )

    page = consumer_client.get(reverse("shop:order-detail", args=[order.pk])).content.decode()
    assert "Shipped with Royal Mail · tracking number <strong>RM 1234-5678 GB</strong>" in page
    shipped = outbox_to(consumer.email)[-1]
    assert "has shipped" in shipped.subject
    assert "Carrier: Royal Mail" in shipped.body and "Tracking number: RM 1234-5678 GB" in shipped.body
    assert "RM 1234-5678 GB" in outbox_html(shipped)
    api = APIClient()
    api.force_authenticate(consumer)
    body = api.get(reverse("api:order-detail", args=[order.pk])).json()
    assert (body["carrier"], body["tracking_number"]) == ("Royal Mail", "RM 1234-5678 GB")


@pytest.mark.django_db
def test_shipping_without_tracking_still_works_and_shows_no_tracking_line(consumer_client, order):
    order_fulfil(vendor=order.vendor, order_id=order.pk, action="ship")
    page = consumer_client.get(reverse("shop:order-detail", args=[order.pk])).content.decode()
    assert "Shipped</strong>" in page and "tracking number" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "action, fields, field",
    [
        ("ship", {"tracking_number": "<script>alert(1)</script>"}, "tracking_number"),
        ("ship", {"tracking_number": "X" * 61}, "tracking_number"),
        ("ship", {"carrier": "C" * 61}, "carrier"),
        ("cancel", {"tracking_number": "RM1"}, "tracking_number"),
    ],
)
def test_order_fulfil_refuses_bad_tracking_and_changes_nothing(order, action, fields, field):
    with pytest.raises(ValidationError) as exc:
        order_fulfil(vendor=order.vendor, order_id=order.pk, action=action, **fields)
    assert field in exc.value.message_dict
    order.refresh_from_db()
    assert (order.status, order.tracking_number, order.carrier) == (Order.Status.PAID, "", "")


@pytest.mark.django_db
def test_the_vendor_gives_the_tracking_number_on_the_workspace_order_page(client, order):
    client.force_login(order.vendor.owner)
    url = reverse("sell:order-detail", args=[order.pk])
    assert 'name="tracking_number"' in client.get(url).content.decode()

    response = client.post(url, {"action": "ship", "carrier": "DPD", "tracking_number": "15501234"})

    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.status, order.carrier, order.tracking_number) == (Order.Status.SHIPPED, "DPD", "15501234")
    assert "tracking number <strong>15501234</strong>" in client.get(url).content.decode()


@pytest.mark.django_db
def test_the_workspace_page_explains_a_bad_tracking_number_and_ships_nothing(client, order):
    client.force_login(order.vendor.owner)
    url = reverse("sell:order-detail", args=[order.pk])
    response = client.post(url, {"action": "ship", "tracking_number": "<b>1</b>"}, follow=True)
    assert "letters, digits, spaces and dashes" in response.content.decode()
    order.refresh_from_db()
    assert order.status == Order.Status.PAID


@pytest.mark.django_db
def test_the_ship_api_takes_a_tracking_number_and_answers_400_to_a_bad_one(order):
    api = APIClient()
    api.force_authenticate(order.vendor.owner)
    url = reverse("api:sell-order-ship", args=[order.pk])

    bad = api.post(url, {"tracking_number": "T" * 61}, format="json")
    assert bad.status_code == 400 and "tracking_number" in bad.json()
    bad = api.post(url, {"tracking_number": "no/slashes"}, format="json")
    assert bad.status_code == 400 and "tracking_number" in bad.json()
    order.refresh_from_db()
    assert order.status == Order.Status.PAID

    good = api.post(url, {"carrier": "Evri", "tracking_number": "H00ABC"}, format="json")
    assert good.status_code == 200
    assert (good.json()["status"], good.json()["carrier"], good.json()["tracking_number"]) == (
        "shipped",
        "Evri",
        "H00ABC",
    )


@pytest.mark.django_db
def test_another_vendor_cannot_ship_or_track_the_order(order):
    from tests.factories import VendorFactory

    api = APIClient()
    api.force_authenticate(VendorFactory().owner)
    response = api.post(reverse("api:sell-order-ship", args=[order.pk]), {"tracking_number": "X1"}, format="json")
    assert response.status_code == 404
    order.refresh_from_db()
    assert (order.status, order.tracking_number) == (Order.Status.PAID, "")
