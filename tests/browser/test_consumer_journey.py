"""A shopper who has never seen the site does the whole journey in Chromium: signs up, finds vendors, buys from
two of them and pays with the fake provider's test cards (its signed events reach the live server's webhook over
HTTP), sees the orders paid; the vendor sees the sale less the fee on its payouts page; cancelling refunds it."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from marketplace.shop.models import Order, Refund, WebhookEvent
from marketplace.shop.payments.fake_delivery import http_transport, transport_set
from portfolios.models import PartnerMembership
from tests.factories import CategoryFactory, ProductFactory, VendorFactory
from tests.helpers import browser_login


@pytest.fixture
def webhooks_over_http(live_server, settings):
    """The fake provider posts its signed events over HTTP to the live server's webhook endpoint."""
    settings.SITE_URL = live_server.url
    previous = transport_set(http_transport)
    yield
    transport_set(previous)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_consumer_journey_in_browser(live_server, browser, page: Page, screenshot, webhooks_over_http):
    coffee = CategoryFactory(name="Coffee", slug="coffee")
    roaster = VendorFactory(
        name="Moonlight Roasters",
        slug="moonlight-roasters",
        category=coffee,
        description="Small-batch coffee roasted weekly",
    )
    baker = VendorFactory(name="Crumb Bakery", slug="crumb-bakery", description="Sourdough and pastries")
    ProductFactory(
        vendor=roaster, name="Moonlight espresso blend", price=Decimal("9.00"), partner_price=Decimal("8.00"), stock=5
    )
    ProductFactory(vendor=baker, name="Sourdough loaf", price=Decimal("4.00"), stock=5)
    ProductFactory(name="Espresso cups", price=Decimal("5.00"))

    # Sign up.
    page.goto(f"{live_server.url}/")
    screenshot("home")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Email:").fill("newshopper@example.com")
    page.get_by_label("Password:", exact=True).fill("a-Long-and-new-passw0rd")
    page.get_by_label("Password (again):").fill("a-Long-and-new-passw0rd")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("button", name=re.compile("Sign out"))).to_be_visible()

    # Search for a vendor and open it.
    page.goto(f"{live_server.url}/vendors/")
    page.get_by_label("Search vendors").fill("coffee")
    page.get_by_role("button", name="Show vendors").click()
    expect(page.get_by_role("link", name="Moonlight Roasters")).to_be_visible()
    expect(page.get_by_role("link", name="Crumb Bakery")).to_have_count(0)
    screenshot("directory")
    page.get_by_role("link", name="Moonlight Roasters").click()

    # Add it to partners with one click, no reload.
    page.get_by_role("button", name="Add to my partners").click()
    expect(page.get_by_text("One of your partners")).to_be_visible()
    screenshot("vendor-page")

    # Partners first: the partner's product comes first, marked, at the partner price.
    page.goto(f"{live_server.url}/search/?q=espresso")
    first = page.locator("ol.results > li").first
    expect(first).to_contain_text("Moonlight espresso blend")
    expect(first).to_contain_text("Your partner")
    expect(first).to_contain_text("£8.00")
    screenshot("search")

    # Buy from two vendors.
    first.get_by_role("link", name="Moonlight espresso blend").click()
    page.get_by_role("button", name="Add to cart").click()
    page.goto(f"{live_server.url}/vendors/crumb-bakery/")
    page.get_by_role("button", name="Add to cart").click()
    page.goto(f"{live_server.url}/cart/")
    screenshot("cart")
    page.get_by_role("link", name="Go to checkout").click()
    page.get_by_label("Deliver to (name)").fill("New Shopper")
    page.get_by_label("Address").fill("1 High Street, Leeds")
    screenshot("checkout")
    page.get_by_role("button", name="Place order and pay").click()

    # One payment for both orders; a declined card first, then the test card that pays.
    expect(page.get_by_text("Total to pay: £12.00")).to_be_visible()
    page.get_by_label("Card number").fill("4000 0000 0000 0002")
    page.get_by_role("button", name="Pay £12.00").click()
    expect(page.get_by_text("Your card was declined.").first).to_be_visible()
    assert set(Order.objects.values_list("status", flat=True)) == {"awaiting_payment"}
    screenshot("pay-declined")
    page.get_by_label("Card number").fill("4242 4242 4242 4242")
    page.get_by_role("button", name="Pay £12.00").click()
    expect(page.get_by_text("2 orders placed and paid")).to_be_visible()
    expect(page.get_by_role("cell", name="Moonlight Roasters")).to_be_visible()
    expect(page.get_by_role("cell", name="Crumb Bakery")).to_be_visible()
    expect(page.get_by_role("cell", name="Paid", exact=True)).to_have_count(2)
    screenshot("orders")
    assert Order.objects.count() == 2
    # The provider's word came over HTTP to the webhook endpoint, signed, and was processed.
    assert WebhookEvent.objects.filter(type="payment_intent.succeeded", processed_at__isnull=False).exists()

    # The bakery sees the sale, less the marketplace's 10 % fee, on its payouts page.
    bread = Order.objects.get(vendor=baker)
    vendor_page = browser.new_page()
    browser_login(vendor_page, live_server.url, baker.owner.email)
    vendor_page.goto(f"{live_server.url}/sell/payouts/")
    expect(vendor_page.locator("#balance-pending")).to_have_text("£3.60")
    sale = vendor_page.get_by_role("row").filter(has_text=f"#{bread.pk}")
    expect(sale).to_contain_text("£4.00")
    expect(sale).to_contain_text("£0.40")
    expect(sale).to_contain_text("£3.60")

    # The shopper cancels the bread before it ships: refunded to the card.
    page.goto(f"{live_server.url}{bread.get_absolute_url()}")
    expect(page.locator("#payment-heading + p")).to_contain_text(
        "You paid £4.00 for this order by the card ending 4242"
    )
    page.get_by_role("button", name="Cancel this order and be refunded").click()
    expect(page.get_by_text(f"Order #{bread.pk} is cancelled: £4.00 is refunded to your card.")).to_be_visible()
    page.reload()
    expect(page.get_by_text("£4.00: cancelled by you, refunded")).to_be_visible()
    screenshot("order-refunded")
    assert Refund.objects.get(order=bread).status == Refund.Status.SUCCEEDED
    vendor_page.reload()
    expect(vendor_page.locator("#balance-pending")).to_have_text("£0.00")
    expect(vendor_page.get_by_role("row").filter(has_text=f"#{bread.pk}")).to_contain_text("Refunded")
    vendor_page.close()

    # End the partnership with a reason: the vendor is excluded.
    page.get_by_role("link", name="My partners").click()
    page.get_by_role("link", name="End partnership").click()
    page.get_by_label("Bad service").check()
    page.get_by_label("Comment (optional)").fill("Beans arrived stale")
    page.get_by_role("button", name="End partnership").click()
    expect(page.get_by_text("Partnership with Moonlight Roasters ended")).to_be_visible()
    expect(page.get_by_role("heading", name="Current partners (0)")).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile("Bad service: Beans arrived stale"))).to_be_visible()
    screenshot("portfolio-ended")
    page.goto(f"{live_server.url}/search/?q=espresso")
    expect(page.locator(".badge", has_text="Your partner")).to_have_count(0)
    page.goto(f"{live_server.url}/vendors/moonlight-roasters/")
    expect(page.get_by_text("Partnerships ended (last 90 days)")).to_be_visible()
    # One ending is fewer than K: the public page shows neither its count nor its reason (rule 4).
    expect(page.locator(".facts-list")).to_contain_text("not shown: fewer than 5 partnerships ended")
    expect(page.locator(".facts-list")).not_to_contain_text("Bad service")

    # Reinstate it from the history.
    page.goto(f"{live_server.url}/portfolio/")
    page.get_by_role("button", name="Reinstate").click()
    expect(page.get_by_text("Moonlight Roasters is one of your partners again")).to_be_visible()
    expect(page.get_by_role("heading", name="Current partners (1)")).to_be_visible()
    assert PartnerMembership.objects.filter(vendor=roaster).count() == 2
