"""Rough edges found in a walk of the site, in Chromium: adding a partner shows the partner prices at once,
and the insights charts draw partners from zero with a legend naming only the slices drawn."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from portfolios.services import membership_end, membership_start
from portfolios.services.stats import stats_reconcile_all
from tests.factories import ProductFactory, UserFactory, VendorFactory
from tests.helpers import browser_login


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_adding_a_partner_shows_the_partner_prices_without_a_reload(live_server, page: Page, screenshot):
    UserFactory(email="shopper@test.example")
    roasters = VendorFactory(name="Bean Roasters", slug="bean-roasters")
    ProductFactory(vendor=roasters, name="House blend", price=Decimal("9.00"), partner_price=Decimal("7.50"))
    browser_login(page, live_server.url, "shopper@test.example")
    page.goto(f"{live_server.url}/vendors/bean-roasters/")
    # One apostrophe after a name ending in s.
    expect(page.get_by_text("A partner price exists for Bean Roasters' partners.")).to_be_visible()
    page.get_by_role("button", name="Add to my partners").click()
    expect(page.get_by_text("One of your partners")).to_be_visible()
    # The same page, not reloaded: the product now shows the partner price.
    expect(page.locator(".price", has_text="Partner price")).to_be_visible()
    expect(page.get_by_text("A partner price exists")).to_have_count(0)
    screenshot("partner-prices-after-add")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_insights_charts_start_partners_at_zero_and_name_only_drawn_slices(
    live_server, page: Page, exact_release, settings
):
    settings.MARKETPLACE = {**settings.MARKETPLACE, "STATS_MIN_GROUP": 1}
    owner = UserFactory(email="owner@test.example")
    shop = VendorFactory(owner=owner, name="Leaf & Kettle")
    consumers = [UserFactory(email=f"p{n}@test.example") for n in range(12)]
    for consumer in consumers:
        membership_start(consumer=consumer, vendor_id=shop.pk)
    for consumer, reason in zip(consumers, ["price", "price", "price", "quality", "quality"], strict=False):
        membership_end(consumer=consumer, vendor_id=shop.pk, reason=reason)
    stats_reconcile_all()
    browser_login(page, live_server.url, owner.email)
    page.goto(f"{live_server.url}/sell/insights/")
    expect(page.locator("#chart-partners")).to_be_visible()
    assert page.evaluate('Chart.getChart("chart-partners").scales.y.min') == 0
    legend = page.evaluate('Chart.getChart("chart-reasons").legend.legendItems.map(i => i.text)')
    assert legend == ["Price", "Quality"]
