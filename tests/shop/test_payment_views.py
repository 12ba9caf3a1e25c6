"""The consumer's side of payments in pages and the API: checkout leads to the pay page, test cards, the
bank's page, giving up, cancelling a paid order; what is shown on the order page and in the export; another
consumer's payment never shows; and the payment path's queries do not grow with the cart."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from marketplace.shop.models import Order, Payment, Refund
from marketplace.shop.payments.fake import CARD_AUTHENTICATE, CARD_DECLINED, CARD_SUCCEEDS
from marketplace.shop.payments.services import payment_confirm, payment_start
from marketplace.shop.services import cart_add, checkout_place
from tests.factories import ProductFactory, VendorFactory
from tests.payments import SHIP, checkout_and_pay, run_on_commit


def _checkout_page(client):  # type: ignore[no-untyped-def]
    """Submit the checkout form as the browser does; returns the pay page's address."""
    page = client.get(reverse("shop:checkout")).content.decode()
    key = page.split('name="idempotency_key" value="')[1].split('"')[0]
    with run_on_commit():
        response = client.post(reverse("shop:checkout"), {**SHIP, "idempotency_key": key})
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


@pytest.mark.django_db
def test_checkout_page_leads_to_the_pay_page_and_the_test_card_pays(consumer_client, consumer, product):
    cart_add(consumer=consumer, product_id=product.pk, quantity=2)

    pay_url = _checkout_page(consumer_client)

    checkout = Payment.objects.get().checkout_id
    assert pay_url == reverse("shop:checkout-pay", args=[checkout])
    page = consumer_client.get(pay_url).content.decode()
    assert "Total to pay: £20.00" in page and "4242 4242 4242 4242" in page and "Card number" in page
    with run_on_commit():
        paid = consumer_client.post(pay_url, {"card_number": "4242 4242 4242 4242"}, follow=True)
    assert "Thank you: 1 order placed and paid." in paid.content.decode()
    assert Order.objects.get().status == Order.Status.PAID
    detail = consumer_client.get(Order.objects.get().get_absolute_url()).content.decode()
    assert "You paid <strong>£20.00</strong> for this order by the card ending 4242" in detail
    assert "Cancel this order and be refunded" in detail


@pytest.mark.django_db
def test_pay_page_declined_card_then_bank_step(consumer_client, consumer, product):
    cart_add(consumer=consumer, product_id=product.pk)
    pay_url = _checkout_page(consumer_client)

    with run_on_commit():
        declined = consumer_client.post(pay_url, {"card_number": CARD_DECLINED}, follow=True)
    assert "Your card was declined." in declined.content.decode()
    assert Order.objects.get().status == Order.Status.AWAITING_PAYMENT

    with run_on_commit():
        to_bank = consumer_client.post(pay_url, {"card_number": CARD_AUTHENTICATE})
    assert to_bank.status_code == 302 and to_bank["Location"].startswith("/payments/fake/authenticate/")
    bank = consumer_client.get(to_bank["Location"]).content.decode()
    assert "Complete authentication" in bank and "£10.00" in bank
    with run_on_commit():
        back = consumer_client.post(to_bank["Location"], {"outcome": "complete"})
    with run_on_commit():
        done = consumer_client.get(back["Location"], follow=True)
    assert "Thank you: 1 order placed and paid." in done.content.decode()


@pytest.mark.django_db
def test_pay_page_refuses_a_blank_card_and_other_consumers_checkouts(
    consumer_client, consumer, other_consumer, product, client
):
    cart_add(consumer=consumer, product_id=product.pk)
    pay_url = _checkout_page(consumer_client)
    blank = consumer_client.post(pay_url, {"card_number": ""})
    assert blank.status_code == 400 and "This field is required." in blank.content.decode()

    client.force_login(other_consumer)
    assert client.get(pay_url).status_code == 404
    assert client.post(pay_url, {"card_number": CARD_SUCCEEDS}).status_code == 404
    assert client.post(reverse("shop:checkout-pay-cancel", args=[Payment.objects.get().checkout_id])).status_code == 404
    assert Payment.objects.get().status == Payment.Status.CREATED


@pytest.mark.django_db
def test_giving_up_a_checkout_returns_the_stock_at_once(consumer_client, consumer, product):
    cart_add(consumer=consumer, product_id=product.pk, quantity=3)
    pay_url = _checkout_page(consumer_client)
    checkout = Payment.objects.get().checkout_id

    with run_on_commit():
        response = consumer_client.post(reverse("shop:checkout-pay-cancel", args=[checkout]), follow=True)

    assert "nothing was charged" in response.content.decode()
    product.refresh_from_db()
    assert product.stock == 10 and Order.objects.get().status == Order.Status.CANCELLED
    assert "lapsed before it was paid" in consumer_client.get(pay_url).content.decode()


@pytest.mark.django_db
def test_consumer_cancels_a_paid_order_from_its_page_and_sees_the_refund(consumer_client, consumer, product):
    cart_add(consumer=consumer, product_id=product.pk)
    order = checkout_and_pay(consumer).orders[0]

    with run_on_commit():
        response = consumer_client.post(reverse("shop:order-cancel", args=[order.pk]), follow=True)
    # Before the commit the refund is recorded, pending; after it the provider has made it.
    assert f"Order #{order.pk} is cancelled: £10.00 is refunded to your card." in response.content.decode()
    assert "£10.00: cancelled by you, <strong>being refunded</strong>" in response.content.decode()

    page = consumer_client.get(order.get_absolute_url()).content.decode()
    assert "£10.00: cancelled by you, <strong>refunded</strong>" in page
    again = consumer_client.post(reverse("shop:order-cancel", args=[order.pk]), follow=True)
    assert "only a paid order" in again.content.decode()


@pytest.mark.django_db
def test_another_consumer_cannot_cancel_my_order(client, consumer, other_consumer, product):
    cart_add(consumer=consumer, product_id=product.pk)
    order = checkout_and_pay(consumer).orders[0]
    client.force_login(other_consumer)
    assert client.post(reverse("shop:order-cancel", args=[order.pk])).status_code == 404
    api = APIClient()
    api.force_authenticate(other_consumer)
    assert api.post(f"/api/v1/orders/{order.pk}/cancel/").status_code == 404
    assert api.get(f"/api/v1/checkouts/{order.checkout_id}/payment/").status_code == 404
    order.refresh_from_db()
    assert order.status == Order.Status.PAID and not Refund.objects.exists()


@pytest.mark.django_db
def test_api_checkout_then_pay_with_a_test_card_then_cancel_an_order(consumer, product):
    api = APIClient()
    api.force_authenticate(consumer)
    cart_add(consumer=consumer, product_id=product.pk, quantity=2)

    with run_on_commit():
        placed = api.post("/api/v1/checkout/", SHIP, format="json", HTTP_IDEMPOTENCY_KEY="api-1")
    assert placed.status_code == 201
    body = placed.json()
    assert body["payment"]["status"] == "created" and body["payment"]["amount"] == "20.00"
    assert body["payment"]["client_secret"].startswith("pi_fake_") and body["orders"][0]["status"] == "awaiting_payment"
    checkout = body["checkout"]

    bad = api.post(f"/api/v1/checkouts/{checkout}/payment/confirm/", {"payment_method": ""}, format="json")
    assert bad.status_code == 400 and "payment_method" in bad.json()
    with run_on_commit():
        declined = api.post(
            f"/api/v1/checkouts/{checkout}/payment/confirm/", {"payment_method": CARD_DECLINED}, format="json"
        )
    assert declined.status_code == 200 and declined.json()["status"] == "failed"
    assert declined.json()["failure_message"] == "Your card was declined."
    with run_on_commit():
        paid = api.post(
            f"/api/v1/checkouts/{checkout}/payment/confirm/", {"payment_method": "pm_card_visa"}, format="json"
        )
    assert paid.json()["status"] == "succeeded" and paid.json()["card_last4"] == "4242"
    assert (
        api.post(
            f"/api/v1/checkouts/{checkout}/payment/confirm/", {"payment_method": CARD_SUCCEEDS}, format="json"
        ).status_code
        == 409
    )

    order_id = body["orders"][0]["id"]
    assert api.get(f"/api/v1/orders/{order_id}/").json()["payment"]["status"] == "succeeded"
    with run_on_commit():
        cancelled = api.post(f"/api/v1/orders/{order_id}/cancel/")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert [(r["amount"], r["reason"]) for r in cancelled.json()["refunds"]] == [("20.00", "buyer_cancelled")]
    refunds = api.get(f"/api/v1/orders/{order_id}/").json()["refunds"]
    assert [r["status"] for r in refunds] == ["succeeded"]  # made at the provider once the cancel committed
    assert api.get(f"/api/v1/checkouts/{checkout}/payment/").json()["amount_refunded"] == "20.00"
    assert api.post(f"/api/v1/orders/{order_id}/cancel/").status_code == 409


@pytest.mark.django_db
def test_api_payment_cancel_gives_up_an_unpaid_checkout(consumer, product):
    api = APIClient()
    api.force_authenticate(consumer)
    cart_add(consumer=consumer, product_id=product.pk)
    with run_on_commit():
        checkout = api.post("/api/v1/checkout/", SHIP, format="json", HTTP_IDEMPOTENCY_KEY="api-2").json()["checkout"]
    with run_on_commit():
        response = api.post(f"/api/v1/checkouts/{checkout}/payment/cancel/")
    assert response.status_code == 200 and response.json()["status"] == "expired"
    assert Order.objects.get().status == Order.Status.CANCELLED


@pytest.mark.django_db
def test_export_has_what_the_consumer_paid_and_the_refunds(consumer_client, consumer, product):
    cart_add(consumer=consumer, product_id=product.pk)
    order = checkout_and_pay(consumer).orders[0]
    with run_on_commit():
        consumer_client.post(reverse("shop:order-cancel", args=[order.pk]))

    data = json.loads(consumer_client.get(reverse("account_data:export")).content)

    exported = data["orders"][0]
    assert exported["payment"]["status"] == "succeeded" and exported["payment"]["card_last4"] == "4242"
    assert [(r["amount"], r["status"]) for r in exported["refunds"]] == [("10.00", "succeeded")]
    assert [(p["amount"], p["amount_refunded"], p["status"]) for p in data["payments"]] == [
        ("10.00", "10.00", "succeeded")
    ]


@pytest.mark.django_db
def test_order_pages_of_an_unpaid_order_link_to_paying_it(consumer_client, consumer, product):
    cart_add(consumer=consumer, product_id=product.pk)
    with run_on_commit():
        result = checkout_place(consumer=consumer, idempotency_key="u", **SHIP)
    pay_url = reverse("shop:checkout-pay", args=[result.checkout.pk])
    assert pay_url in consumer_client.get(reverse("shop:order-list")).content.decode()
    detail = consumer_client.get(result.orders[0].get_absolute_url()).content.decode()
    assert "Not paid yet." in detail and pay_url in detail and "Cancel this order" not in detail


# --- the payment path's queries do not grow with the cart ---------------------------------------------------


def _cart(consumer, lines: int, vendors: int) -> None:  # type: ignore[no-untyped-def]
    shops = [VendorFactory() for _ in range(vendors)]
    for i in range(lines):
        product = ProductFactory(vendor=shops[i % vendors], price=Decimal("3.00"), stock=10)
        cart_add(consumer=consumer, product_id=product.pk, quantity=1 + i % 2)


def _payment_path_queries(consumer, key: str) -> int:  # type: ignore[no-untyped-def]
    """Queries of starting and confirming the payment, the provider's signed event through the webhook
    endpoint, its processing and everything on commit (mails, the vendors' figures)."""
    with run_on_commit():
        result = checkout_place(consumer=consumer, idempotency_key=key, **SHIP)
    with CaptureQueriesContext(connection) as ctx, run_on_commit():
        payment_start(payment_id=result.payment.pk)
        payment_confirm(consumer=consumer, checkout_id=result.checkout.pk, payment_method=CARD_SUCCEEDS, return_url="")
    assert set(Order.objects.filter(checkout=result.checkout).values_list("status", flat=True)) == {"paid"}
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_payment_path_queries_do_not_grow_with_the_carts_lines(consumer, django_assert_num_queries):
    # Given a one-line cart paid, and the queries its payment took
    _cart(consumer, lines=1, vendors=1)
    one = _payment_path_queries(consumer, "one-line")

    # When a five-line cart is placed and paid
    _cart(consumer, lines=5, vendors=1)
    with run_on_commit():
        result = checkout_place(consumer=consumer, idempotency_key="five-lines", **SHIP)

    # Then paying it runs exactly as many queries
    with django_assert_num_queries(one), run_on_commit():
        payment_start(payment_id=result.payment.pk)
        payment_confirm(consumer=consumer, checkout_id=result.checkout.pk, payment_method=CARD_SUCCEEDS, return_url="")
    assert set(Order.objects.filter(checkout=result.checkout).values_list("status", flat=True)) == {"paid"}


@pytest.mark.django_db
def test_payment_path_queries_per_vendor_order_come_only_from_the_vendors_figures(consumer):
    """Across vendors, what grows is one statistics refresh per vendor (queued on commit, as every order
    change does), not the payment itself."""
    from marketplace.shop import receivers
    from marketplace.shop.signals import order_changed

    order_changed.disconnect(dispatch_uid="shop_sales_stats_on_order_change")
    try:
        _cart(consumer, lines=1, vendors=1)
        one = _payment_path_queries(consumer, "v1")
        _cart(consumer, lines=5, vendors=5)
        five = _payment_path_queries(consumer, "v5")
    finally:
        order_changed.connect(
            receivers.refresh_sales_stats_on_order_change, dispatch_uid="shop_sales_stats_on_order_change"
        )
    assert five == one


@pytest.mark.django_db
def test_an_order_from_before_payments_were_recorded_still_shows_ships_and_cancels(consumer_client, consumer, product):
    """Orders placed when payment was simulated stay paid (the migration changes no row) and have no Payment:
    every page, the API and the export show them, and cancelling one refunds nothing (nothing was taken)."""
    from marketplace.shop.models import Checkout
    from marketplace.shop.services.fulfilment import order_fulfil

    checkout = Checkout.objects.create(consumer=consumer, idempotency_key="legacy")
    order = Order.objects.create(
        checkout=checkout,
        consumer=consumer,
        vendor=product.vendor,
        status=Order.Status.PAID,
        ship_to_name="Old",
        ship_to_address="1 Past Lane",
        subtotal=Decimal("10.00"),
        total=Decimal("10.00"),
    )
    detail = consumer_client.get(order.get_absolute_url())
    assert detail.status_code == 200 and "Placed before payments were recorded here." in detail.content.decode()
    api = APIClient()
    api.force_authenticate(consumer)
    assert api.get(f"/api/v1/orders/{order.pk}/").json()["payment"] is None
    assert api.get(f"/api/v1/checkouts/{checkout.pk}/payment/").status_code == 404
    assert json.loads(consumer_client.get(reverse("account_data:export")).content)["orders"][0]["payment"] is None
    consumer_client.force_login(product.vendor.owner)
    assert consumer_client.get(reverse("sell:order-detail", args=[order.pk])).status_code == 200
    assert consumer_client.get(reverse("sell:payouts")).status_code == 200

    with run_on_commit():
        order_fulfil(vendor=product.vendor, order_id=order.pk, action="cancel")
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED and not Refund.objects.exists()
