"""A shopper who has never seen the site does the whole journey in Chromium."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from marketplace.shop.models import Order
from portfolios.models import PartnerMembership
from tests.factories import CategoryFactory, ProductFactory, VendorFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_consumer_journey_in_browser(live_server, page: Page, screenshot):
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
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("button", name=re.compile("Log out"))).to_be_visible()

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
    expect(page.get_by_text("2 orders placed and paid")).to_be_visible()
    expect(page.get_by_role("cell", name="Moonlight Roasters")).to_be_visible()
    expect(page.get_by_role("cell", name="Crumb Bakery")).to_be_visible()
    screenshot("orders")
    assert Order.objects.count() == 2

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
