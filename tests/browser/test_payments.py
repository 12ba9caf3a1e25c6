"""The fake provider's card that needs a second step, walked in Chromium: the bank's page, then paid; and a
checkout given up returns its items to the shelf."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from marketplace.shop.models import Order, Payment
from marketplace.shop.payments.fake_delivery import http_transport, transport_set
from marketplace.shop.services import cart_add
from tests.factories import ProductFactory, UserFactory, VendorFactory
from tests.helpers import browser_login
from vendors.models import Product


@pytest.fixture
def webhooks_over_http(live_server, settings):
    settings.SITE_URL = live_server.url
    previous = transport_set(http_transport)
    yield
    transport_set(previous)


def _to_pay_page(page: Page, base: str) -> None:
    page.goto(f"{base}/checkout/")
    page.get_by_label("Deliver to (name)").fill("Sam Shopper")
    page.get_by_label("Address").fill("1 High Street, Leeds")
    page.get_by_role("button", name="Place order and pay").click()
    expect(page.get_by_text("Total to pay: £6.50")).to_be_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_card_that_needs_confirming_goes_through_the_banks_page(
    live_server, page: Page, screenshot, webhooks_over_http
):
    shopper = UserFactory(email="shopper@pay.example")
    product = ProductFactory(vendor=VendorFactory(name="Leaf & Kettle"), name="Earl Grey", price=Decimal("6.50"))
    cart_add(consumer=shopper, product_id=product.pk)
    browser_login(page, live_server.url, shopper.email)
    _to_pay_page(page, live_server.url)

    page.get_by_label("Card number").fill("4000 0027 6000 3184")
    page.get_by_role("button", name="Pay £6.50").click()

    expect(page.get_by_role("heading", name="Confirm your payment")).to_be_visible()
    expect(page.get_by_text("confirm a payment of £6.50 with the card ending 3184")).to_be_visible()
    screenshot("bank-page")
    assert Payment.objects.get().status == Payment.Status.REQUIRES_ACTION
    page.get_by_role("button", name="Complete authentication").click()
    expect(page.get_by_text("Thank you: 1 order placed and paid.")).to_be_visible()
    assert Order.objects.get().status == Order.Status.PAID


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_failing_the_banks_check_then_giving_up_returns_the_stock(live_server, page: Page, webhooks_over_http):
    shopper = UserFactory(email="quitter@pay.example")
    product = ProductFactory(vendor=VendorFactory(), name="Rooibos", price=Decimal("6.50"), stock=4)
    cart_add(consumer=shopper, product_id=product.pk)
    browser_login(page, live_server.url, shopper.email)
    _to_pay_page(page, live_server.url)
    assert Product.objects.get(pk=product.pk).stock == 3

    page.get_by_label("Card number").fill("4000 0027 6000 3184")
    page.get_by_role("button", name="Pay £6.50").click()
    page.get_by_role("button", name="Fail authentication").click()
    expect(page.get_by_text("We are unable to authenticate your payment method").first).to_be_visible()
    page.get_by_role("button", name="Give up this checkout").click()

    expect(page.get_by_text("Checkout cancelled: nothing was charged")).to_be_visible()
    assert Order.objects.get().status == Order.Status.CANCELLED
    assert Product.objects.get(pk=product.pk).stock == 4
