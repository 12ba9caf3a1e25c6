"""A moderator approves an application and suspends a vendor in Chromium; a consumer sees the effect."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import browser_login
from tests.factories import ProductFactory, UserFactory, VendorFactory
from vendors.models import ModerationAction, Vendor


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_moderator_approves_and_suspends_and_consumer_sees_it(
    live_server, browser, screenshot, page: Page, reference_data
):
    moderator = UserFactory(email="mod@test.example", is_staff=True)
    moderator.groups.add(reference_data)
    UserFactory(email="shopper@test.example")
    applicant = VendorFactory(
        name="Fresh Fig Deli", status=Vendor.Status.PENDING, approved_at=None, description="Figs and cheese"
    )
    bad = VendorFactory(name="Shady Shoes")
    ProductFactory(vendor=bad, name="Suspicious sneakers")

    consumer_page = browser.new_page()
    consumer_page.goto(f"{live_server.url}/vendors/")
    expect(consumer_page.get_by_role("link", name="Shady Shoes")).to_be_visible()
    expect(consumer_page.get_by_role("link", name="Fresh Fig Deli")).to_have_count(0)

    browser_login(page, live_server.url, "mod@test.example")
    page.get_by_role("link", name="Moderation").click()
    application = page.locator("article.application", has_text="Fresh Fig Deli")
    expect(application).to_contain_text("Figs and cheese")
    screenshot("queue")
    application.get_by_role("button", name="Approve").click()
    expect(page.locator(".message", has_text="Fresh Fig Deli approved")).to_be_visible()

    page.get_by_role("link", name="Vendors", exact=True).last.click()
    row = page.locator("tr", has_text="Shady Shoes")
    row.get_by_label("Reason for “Suspend”").fill("Counterfeit goods reported")
    row.get_by_role("button", name="Suspend").click()
    expect(page.locator(".message", has_text="Shady Shoes suspended")).to_be_visible()
    page.get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("cell", name="Counterfeit goods reported")).to_be_visible()
    screenshot("audit")

    consumer_page.goto(f"{live_server.url}/vendors/")
    expect(consumer_page.get_by_role("link", name="Fresh Fig Deli")).to_be_visible()
    expect(consumer_page.get_by_role("link", name="Shady Shoes")).to_have_count(0)
    consumer_page.goto(f"{live_server.url}/search/?q=sneakers")
    expect(consumer_page.get_by_text("Suspicious sneakers")).to_have_count(0)
    assert ModerationAction.objects.filter(vendor=applicant, kind="approve").count() == 1
    assert ModerationAction.objects.filter(vendor=bad, kind="suspend").count() == 1
