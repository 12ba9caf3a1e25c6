"""The vendor's payouts: onboarding with the (fake) provider and what is missing, balance pending and
available, each order's gross, fee and net, refunds; only the vendor's own; the operator's onboarding rule."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from marketplace.shop.exceptions import CheckoutRefused
from marketplace.shop.models import FakeProviderObject, OrderPayout, Payee
from marketplace.shop.services import cart_add, checkout_place
from marketplace.shop.services.fulfilment import order_fulfil
from tests.factories import ProductFactory, UserFactory, VendorFactory
from tests.payments import SHIP, checkout_and_pay, run_on_commit


@pytest.fixture
def shop(db):
    return VendorFactory(name="Own Shop")


def _sale(vendor, price: str = "20.00", key: str = "sale", quantity: int = 1):  # type: ignore[no-untyped-def]
    product = ProductFactory(vendor=vendor, price=Decimal(price), stock=10)
    buyer = UserFactory()
    cart_add(consumer=buyer, product_id=product.pk, quantity=quantity)
    return checkout_and_pay(buyer, key).orders[0]


def _onboard(client) -> None:  # type: ignore[no-untyped-def]
    """The vendor's owner goes through the fake provider's onboarding in the workspace."""
    response = client.post(reverse("sell:payouts-onboarding"))
    assert response.status_code == 302 and response["Location"].startswith("/payments/fake/onboarding/")
    form = client.get(response["Location"])
    assert "Set up your payout account" in form.content.decode()
    with run_on_commit():
        back = client.post(
            response["Location"],
            {"website": "https://own.example", "account_number": "00012345", "accept_terms": "on"},
        )
    assert back.status_code == 302 and back["Location"].endswith(reverse("sell:payouts-return"))
    with run_on_commit():
        client.get(back["Location"])


@pytest.mark.django_db
def test_payouts_page_shows_the_sale_less_the_fee_and_what_onboarding_is_missing(client, shop):
    order = _sale(shop, "20.00")
    client.force_login(shop.owner)

    page = client.get(reverse("sell:payouts")).content.decode()

    assert "Not started" in page and "a payout account with the payment provider" in page
    assert 'id="balance-pending">£18.00<' in page and 'id="balance-available">£0.00<' in page
    assert f"#{order.pk}" in page and "£20.00" in page and "£2.00" in page


@pytest.mark.django_db
def test_vendor_onboards_with_the_fake_provider_and_a_delivered_order_is_paid_out(client, shop, fake_transport):
    order = _sale(shop, "20.00")
    client.force_login(shop.owner)
    client.post(reverse("sell:payouts-onboarding"))
    incomplete = client.get(reverse("sell:payouts")).content.decode()
    assert "Started, not finished" in incomplete
    assert "a bank account to pay you into" in incomplete and "your business website" in incomplete

    _onboard(client)

    payee = Payee.objects.get(vendor=shop)
    assert payee.ready and payee.requirements == []
    assert any(b"account.updated" in d.body for d in fake_transport.sent)  # told by the provider's event too
    with run_on_commit():
        order_fulfil(vendor=shop, order_id=order.pk, action="ship")
        order_fulfil(vendor=shop, order_id=order.pk, action="deliver")
    payout = OrderPayout.objects.get(order=order)
    assert payout.status == OrderPayout.Status.TRANSFERRED
    transfer = FakeProviderObject.objects.get(kind="transfer")
    assert (transfer.ref, transfer.idempotency_key) == (payout.transfer_ref, f"order-{order.pk}-transfer")
    assert transfer.data["amount"] == 1800 and transfer.data["destination"] == payee.provider_ref
    page = client.get(reverse("sell:payouts")).content.decode()
    assert "Complete: you can be paid" in page
    assert 'id="balance-pending">£0.00<' in page and 'id="balance-available">£18.00<' in page


@pytest.mark.django_db
def test_a_delivered_order_waits_for_onboarding_then_the_beat_job_pays_it_out(client, shop):
    order = _sale(shop)
    order_fulfil(vendor=shop, order_id=order.pk, action="ship")
    with run_on_commit():
        order_fulfil(vendor=shop, order_id=order.pk, action="deliver")
    assert OrderPayout.objects.get().status == OrderPayout.Status.HELD

    client.force_login(shop.owner)
    _onboard(client)  # its return (and the account.updated event) queue the release of held payouts

    assert OrderPayout.objects.get().status == OrderPayout.Status.TRANSFERRED


@pytest.mark.django_db
def test_a_refund_shows_on_the_payouts_page(client, shop):
    order = _sale(shop, "10.00", quantity=2)
    with run_on_commit():
        order_fulfil(vendor=shop, order_id=order.pk, action="cancel")
    client.force_login(shop.owner)

    page = client.get(reverse("sell:payouts")).content.decode()

    assert "Refunded" in page and 'id="balance-pending">£0.00<' in page
    api = APIClient()
    api.force_authenticate(shop.owner)
    row = api.get("/api/v1/sell/payouts/orders/").json()["results"][0]
    assert (row["gross"], row["fee"], row["refunded"], row["net"], row["status"]) == (
        "20.00",
        "0.00",
        "20.00",
        "0.00",
        "refunded",
    )


@pytest.mark.django_db
def test_payouts_api_shows_the_vendors_own_balance_and_orders_only(shop):
    mine = _sale(shop, "20.00", key="mine")
    other = VendorFactory(name="Other Shop")
    _sale(other, "50.00", key="theirs")
    api = APIClient()
    api.force_authenticate(shop.owner)

    summary = api.get("/api/v1/sell/payouts/").json()
    rows = api.get("/api/v1/sell/payouts/orders/").json()["results"]

    assert (summary["pending"], summary["available"], summary["currency"], summary["fee_percent"]) == (
        "18.00",
        "0.00",
        "GBP",
        "10.00",
    )
    assert summary["onboarding"]["state"] == "not_started" and summary["onboarding"]["can_sell"] is True
    assert [(r["order"], r["gross"], r["fee"], r["net"], r["status"]) for r in rows] == [
        (mine.pk, "20.00", "2.00", "18.00", "held")
    ]
    other_owner = APIClient()
    other_owner.force_authenticate(other.owner)
    assert [r["gross"] for r in other_owner.get("/api/v1/sell/payouts/orders/").json()["results"]] == ["50.00"]
    stranger = APIClient()
    stranger.force_authenticate(UserFactory())
    assert stranger.get("/api/v1/sell/payouts/").status_code == 404


@pytest.mark.django_db
def test_payouts_api_onboarding_link_opens_one_account(shop):
    api = APIClient()
    api.force_authenticate(shop.owner)
    first = api.post("/api/v1/sell/payouts/onboarding/")
    second = api.post("/api/v1/sell/payouts/onboarding/")
    assert first.status_code == second.status_code == 200
    assert "/payments/fake/onboarding/" in first.json()["url"]
    assert Payee.objects.get(vendor=shop).links_issued == 2
    assert FakeProviderObject.objects.filter(kind="account").count() == 1


@pytest.mark.django_db
def test_operator_may_require_onboarding_before_a_vendor_sells(settings, client, shop, consumer):
    settings.MARKETPLACE = {**settings.MARKETPLACE, "SELL_BEFORE_ONBOARDING": False}
    product = ProductFactory(vendor=shop)
    cart_add(consumer=consumer, product_id=product.pk)

    with pytest.raises(CheckoutRefused, match="Own Shop is not selling at the moment"):
        checkout_place(consumer=consumer, idempotency_key="early", **SHIP)
    client.force_login(shop.owner)
    page = client.get(reverse("sell:payouts")).content.decode()
    assert "Buyers cannot check out your products until your payout account is complete." in page

    _onboard(client)
    with run_on_commit():
        assert checkout_place(consumer=consumer, idempotency_key="later", **SHIP).orders


@pytest.mark.django_db
def test_fake_onboarding_form_refuses_bad_details_and_unknown_tokens(client, shop):
    client.force_login(shop.owner)
    link = client.post(reverse("sell:payouts-onboarding"))["Location"]
    bad = client.post(link, {"website": "not a url", "account_number": "12", "accept_terms": ""})
    assert bad.status_code == 400 and "Enter 8 digits." in bad.content.decode()
    assert not Payee.objects.get(vendor=shop).details_submitted
    assert client.get("/payments/fake/onboarding/forged-token/").status_code == 404
    assert client.get("/payments/fake/authenticate/forged-token/").status_code == 404
