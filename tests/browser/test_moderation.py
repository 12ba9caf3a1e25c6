"""A moderator approves an application and suspends a vendor in Chromium; a consumer sees the effect."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.factories import ProductFactory, UserFactory, VendorFactory
from tests.helpers import browser_login
from vendors.models import ModerationAction, Vendor, VendorReport
from vendors.moderation import services as moderation


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
    # The list leads to the vendor's own page, where a suspension is decided with its reports in view.
    page.locator("tr", has_text="Shady Shoes").get_by_role("link", name="Moderate Shady Shoes").click()
    expect(page.get_by_role("heading", name=re.compile("Shady Shoes"))).to_be_visible()
    page.get_by_label("Reason for “Suspend”").fill("Counterfeit goods reported")
    page.get_by_role("button", name="Suspend").click()
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


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_moderator_pages_to_the_last_reports_and_resolves_one_there(
    live_server, screenshot, page: Page, reference_data
):
    moderator = UserFactory(email="mod@test.example", is_staff=True)
    moderator.groups.add(reference_data)
    for i in range(26):
        vendor = VendorFactory(name=f"Reported {i:02}")
        moderation.report_create(reporter=UserFactory(), vendor_id=vendor.pk, reason="fraud", text=f"Complaint {i:02}")

    browser_login(page, live_server.url, "mod@test.example")
    page.goto(f"{live_server.url}/moderation/reports/")
    expect(page.get_by_text("26 vendors with open reports")).to_be_visible()
    expect(page.get_by_role("heading", name="Reported 24: 1 open report")).to_be_visible()
    expect(page.get_by_role("heading", name="Reported 25: 1 open report")).to_have_count(0)

    page.get_by_role("link", name="Next →").click()
    section = page.locator("section.card", has_text="Reported 25")
    expect(section).to_contain_text("Complaint 25")
    section.get_by_label("Note to the vendor and the reporter").fill("Refund confirmed with the buyer")
    screenshot("reports-page-2")
    section.get_by_role("button", name="Resolve").click()

    expect(page.locator(".message", has_text="Report resolved.")).to_be_visible()
    assert page.url.endswith("/moderation/reports/?page=2")
    expect(page.get_by_text("25 vendors with open reports")).to_be_visible()
    expect(page.get_by_role("heading", name="Reported 25: 1 open report")).to_have_count(0)
    assert VendorReport.objects.get(vendor__name="Reported 25").status == VendorReport.Status.RESOLVED
