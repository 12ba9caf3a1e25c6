"""A consumer ends a partnership in Chromium: the vendor vanishes from their home page and search, and a
search for its name finds it, marked, with a way back (rule 2)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from portfolios.services import membership_start
from tests.factories import ProductFactory, UserFactory, VendorFactory
from tests.helpers import browser_login, running_promotion


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ended_vendor_disappears_from_home_and_search_but_its_name_finds_it_marked(live_server, page: Page, screenshot):
    consumer = UserFactory(email="ender@test.example")
    grocer = VendorFactory(name="Grumpy Grocer", slug="grumpy-grocer", description="Fresh vegetables daily")
    baker = VendorFactory(name="Kind Baker", slug="kind-baker", description="Fresh bread daily")
    ProductFactory(vendor=grocer, name="Organic carrots", price=Decimal("3.00"), partner_price=Decimal("2.50"))
    ProductFactory(vendor=baker, name="Organic rye", price=Decimal("4.00"))
    running_promotion(grocer, title="Grumpy Grocer carrot week")
    running_promotion(baker, title="Kind Baker rye week")
    membership_start(consumer=consumer, vendor_id=grocer.pk)

    # Before: the grocer is featured and advertised on the home page
    browser_login(page, live_server.url, consumer.email)
    expect(page.get_by_role("button", name=re.compile("Sign out"))).to_be_visible()
    page.goto(f"{live_server.url}/")
    expect(page.get_by_text("Grumpy Grocer carrot week")).to_be_visible()

    # The consumer ends the partnership from their portfolio, with a reason
    page.goto(f"{live_server.url}/portfolio/")
    page.get_by_role("link", name="End partnership").click()
    page.get_by_label("Bad service").check()
    page.get_by_role("button", name="End partnership").click()
    expect(page.get_by_text("Partnership with Grumpy Grocer ended")).to_be_visible()

    # The home page and product search show nothing of the grocer; the baker is still there
    page.goto(f"{live_server.url}/")
    expect(page.get_by_text("Kind Baker rye week")).to_be_visible()
    expect(page.get_by_text(re.compile("Grumpy"))).to_have_count(0)
    screenshot("home-after-end")
    page.goto(f"{live_server.url}/search/?q=organic")
    expect(page.get_by_role("link", name="Organic rye")).to_be_visible()
    expect(page.get_by_text(re.compile("Grumpy|carrots"))).to_have_count(0)
    page.goto(f"{live_server.url}/vendors/")
    expect(page.locator("article.vendor-card", has_text="Kind Baker")).to_be_visible()
    expect(page.get_by_text(re.compile("Grumpy"))).to_have_count(0)

    # Searching the directory for its name finds it, marked, with a reinstate button
    page.get_by_label("Search vendors").fill("grumpy")
    page.get_by_role("button", name="Show vendors").click()
    expect(page.get_by_role("link", name="Grumpy Grocer")).to_be_visible()
    expect(page.get_by_text(re.compile(r"You ended this partnership on \d+ \w+ \d{4}"))).to_be_visible()
    expect(page.get_by_role("button", name="Reinstate Grumpy Grocer")).to_be_visible()
    screenshot("directory-by-name")

    # Its page says so too; reinstating it from there brings it back
    page.get_by_role("link", name="Grumpy Grocer").click()
    expect(page.get_by_text(re.compile("You ended this partnership on"))).to_be_visible()
    expect(page.get_by_text("A partner price exists")).to_have_count(0)
    screenshot("vendor-page")
    page.get_by_role("button", name="Reinstate Grumpy Grocer").click()
    expect(page.get_by_text("Grumpy Grocer is one of your partners again")).to_be_visible()
    page.goto(f"{live_server.url}/")
    expect(page.get_by_text("Grumpy Grocer carrot week")).to_be_visible()
