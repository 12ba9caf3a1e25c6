"""The shop basics in Chromium, on a desktop (1280 px) and a phone (390 px): the header counts the cart, the
product page and the checkout show each vendor's delivery charge, the shopper saves an address on their account
and checks out with it, cancels one order before it ships and reads the tracking number of the other."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import Browser, Page, expect

from marketplace.shop.models import Order, Refund
from marketplace.shop.payments.fake_delivery import http_transport, transport_set
from marketplace.shop.services import shipping_policy_set
from marketplace.shop.services.fulfilment import order_fulfil
from tests.factories import ProductFactory, UserFactory, VendorFactory
from tests.helpers import browser_login

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def webhooks_over_http(live_server, settings):
    settings.SITE_URL = live_server.url
    previous = transport_set(http_transport)
    yield
    transport_set(previous)


def _open_menu(page: Page) -> None:
    """On a phone the header's links fold behind the Menu button."""
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible() and menu.get_attribute("aria-expanded") != "true":
        menu.click()


def _cart_link(page: Page):  # type: ignore[no-untyped-def]
    _open_menu(page)
    return page.locator("a.cart-link")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_cart_count_delivery_saved_address_cancel_and_tracking(
    live_server, browser: Browser, screenshot, webhooks_over_http, viewport
):
    roaster = VendorFactory(name="Moonlight Roasters")
    baker = VendorFactory(name="Crumb Bakery")
    shipping_policy_set(
        vendor=roaster, flat_rate=Decimal("3.50"), free_over=Decimal("50.00"), region_rates={"london": Decimal("2.00")}
    )
    shipping_policy_set(vendor=baker, flat_rate=Decimal("1.25"))
    beans = ProductFactory(vendor=roaster, name="Espresso beans", price=Decimal("9.00"), stock=5)
    loaf = ProductFactory(vendor=baker, name="Sourdough loaf", price=Decimal("4.00"), stock=5)
    shopper = UserFactory(email=f"basics-{viewport}@example.com")
    context = browser.new_context(viewport=VIEWPORTS[viewport], is_mobile=viewport == "phone")
    page = context.new_page()
    browser_login(page, live_server.url, shopper.email)

    # A saved address, from the account page.
    page.goto(f"{live_server.url}/account/")
    page.get_by_role("link", name="Your saved addresses").click()
    page.get_by_label("Label (optional").fill("Home")
    page.get_by_label("Deliver to (name)").fill("Sam Shopper")
    page.get_by_label("Address", exact=True).fill("1 High Street\nLondon")
    page.get_by_label("Region").select_option("london")
    page.get_by_role("button", name="Save address").click()
    expect(page.get_by_text("Address saved: pick it at checkout.")).to_be_visible()

    # The product page tells the delivery terms; adding to the cart counts in the header.
    page.goto(f"{live_server.url}{beans.get_absolute_url()}")
    expect(page.get_by_text("Delivery £3.50, free over £50.00")).to_be_visible()
    expect(page.get_by_text("Delivery to London: £2.00.")).to_be_visible()
    expect(_cart_link(page)).to_have_text("Cart")
    page.get_by_label("Quantity").fill("2")
    page.get_by_role("button", name="Add to cart").click()
    expect(_cart_link(page)).to_have_text("Cart (2 items)")
    page.goto(f"{live_server.url}{loaf.get_absolute_url()}")
    page.get_by_role("button", name="Add to cart").click()
    expect(_cart_link(page)).to_have_text("Cart (3 items)")
    screenshot(f"{viewport}-product")

    # The cart shows each vendor's delivery and the total with it.
    page.goto(f"{live_server.url}/cart/")
    expect(page.locator(".shipping").filter(has_text="Delivery: £3.50")).to_be_visible()
    expect(page.locator(".shipping").filter(has_text="Delivery: £1.25")).to_be_visible()
    expect(page.get_by_text("Total: £22.00 + delivery £4.75")).to_be_visible()
    screenshot(f"{viewport}-cart")

    # Checkout with the saved address: London's rate at the roaster, the flat rate at the bakery.
    page.get_by_role("link", name="Go to checkout").click()
    page.get_by_role("link", name="Home (London)").click()
    expect(page.get_by_label("Address", exact=True)).to_have_value("1 High Street\nLondon")
    expect(page.get_by_text("Total to pay: £25.25")).to_be_visible()
    screenshot(f"{viewport}-checkout")
    page.get_by_role("button", name="Place order and pay").click()
    page.get_by_label("Card number").fill("4242 4242 4242 4242")
    page.get_by_role("button", name="Pay £25.25").click()
    expect(page.get_by_text("2 orders placed and paid")).to_be_visible()
    expect(_cart_link(page)).to_have_text("Cart")
    beans_order = Order.objects.get(vendor=roaster)
    bread_order = Order.objects.get(vendor=baker)
    assert (beans_order.shipping, beans_order.ship_to_region.code, beans_order.total) == (
        Decimal("2.00"),
        "london",
        Decimal("20.00"),
    )

    # The buyer cancels the bread before it ships: refunded, its stock back.
    page.goto(f"{live_server.url}{bread_order.get_absolute_url()}")
    expect(page.get_by_text("delivery £1.25")).to_be_visible()
    page.get_by_role("button", name="Cancel this order and be refunded").click()
    expect(page.get_by_text(f"Order #{bread_order.pk} is cancelled: £5.25 is refunded to your card.")).to_be_visible()
    assert Refund.objects.get(order=bread_order).amount_minor == 525
    loaf.refresh_from_db()
    assert loaf.stock == 5

    # The roaster ships the beans with a tracking number: the buyer reads it, and can no longer cancel.
    order_fulfil(
        vendor=roaster, order_id=beans_order.pk, action="ship", carrier="Royal Mail", tracking_number="RM123456785GB"
    )
    page.goto(f"{live_server.url}{beans_order.get_absolute_url()}")
    expect(page.locator(".tracking")).to_have_text("Shipped with Royal Mail · tracking number RM123456785GB")
    expect(page.get_by_role("button", name="Cancel this order and be refunded")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[viewport]["width"]
    screenshot(f"{viewport}-tracking")
    context.close()
