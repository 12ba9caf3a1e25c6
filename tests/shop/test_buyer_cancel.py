"""The buyer cancels an order before it ships, from the order page or the API: stock back, the payment
(delivery included) refunded through the payments package, the vendor's owner e-mailed. Once shipped it
cannot be cancelled, and nobody cancels another consumer's order."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

from marketplace.shop.models import Order, Refund
from marketplace.shop.services import cart_add, shipping_policy_set
from marketplace.shop.services.fulfilment import order_fulfil
from tests.payments import paid_order, run_on_commit


@pytest.fixture
def order(consumer, product) -> Order:  # type: ignore[no-untyped-def]
    shipping_policy_set(vendor=product.vendor, flat_rate=Decimal("2.50"))
    cart_add(consumer=consumer, product_id=product.pk, quantity=3)
    placed = paid_order(consumer)
    mail.outbox.clear()
    return placed


@pytest.mark.django_db
def test_the_api_cancels_a_paid_order_refunding_delivery_too_and_tells_the_vendor(api, order, product):
    with run_on_commit():
        response = api.post(reverse("api:order-cancel", args=[order.pk]))

    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    product.refresh_from_db()
    refund = Refund.objects.get(order=order)
    assert product.stock == 10 and (refund.amount_minor, refund.reason) == (3250, Refund.Reason.BUYER_CANCELLED)
    assert [m.to for m in mail.outbox] == [[product.vendor.owner.email]]
    assert "cancelled by the buyer" in mail.outbox[0].subject


@pytest.mark.django_db
def test_a_shipped_order_cannot_be_cancelled_from_the_api_or_the_page(api, consumer_client, order, product):
    order_fulfil(vendor=product.vendor, order_id=order.pk, action="ship", tracking_number="T1")

    response = api.post(reverse("api:order-cancel", args=[order.pk]))
    assert response.status_code == 409 and "is shipped" in response.json()["detail"]
    page = consumer_client.post(reverse("shop:order-cancel", args=[order.pk]), follow=True).content.decode()
    assert "is shipped; only a paid order that has not shipped can be cancelled" in page
    assert "Cancel this order and be refunded" not in page

    order.refresh_from_db()
    product.refresh_from_db()
    assert order.status == Order.Status.SHIPPED and product.stock == 7 and not Refund.objects.exists()


@pytest.mark.django_db
def test_another_consumer_cannot_cancel_the_order(client, other_consumer, order, product):
    client.force_login(other_consumer)
    assert client.post(reverse("shop:order-cancel", args=[order.pk])).status_code == 404
    api = APIClient()
    api.force_authenticate(other_consumer)
    assert api.post(reverse("api:order-cancel", args=[order.pk])).status_code == 404
    order.refresh_from_db()
    assert order.status == Order.Status.PAID and not Refund.objects.exists()
