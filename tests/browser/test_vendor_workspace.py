"""A vendor runs a shop end to end in Chromium: apply, approval, catalogue, an order, insights, a promotion."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from marketplace.shop.services import cart_add
from portfolios.services import membership_start
from tests.factories import CategoryFactory, UserFactory
from tests.helpers import browser_login
from tests.payments import checkout_and_pay
from vendors.models import Product, Vendor


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_vendor_runs_a_shop_in_browser(
    live_server, browser, page: Page, screenshot, tmp_path, reference_data, exact_release
):
    CategoryFactory(name="Tea", slug="tea")
    UserFactory(email="owner@test.example")
    moderator = UserFactory(email="mod@test.example", is_staff=True)
    moderator.groups.add(reference_data)
    base = live_server.url

    # Apply to sell.
    browser_login(page, base, "owner@test.example")
    page.get_by_role("link", name="Sell").click()
    page.get_by_label(re.compile(r"^Business name:?$")).fill("Leaf & Kettle")
    page.get_by_label(re.compile(r"^Description:?$")).fill("Loose-leaf tea, blended weekly")
    page.get_by_label("Category").select_option(label="Tea")
    page.get_by_label("London").check()
    page.get_by_label("Contact email").fill("hello@leaf.example")
    page.get_by_role("button", name="Send application").click()
    expect(page.get_by_text("waiting for a moderator")).to_be_visible()

    # A moderator approves it.
    mod_page = browser.new_page()
    browser_login(mod_page, base, "mod@test.example")
    mod_page.goto(f"{base}/moderation/")
    mod_page.locator("article.application", has_text="Leaf & Kettle").get_by_role("button", name="Approve").click()
    expect(mod_page.locator(".message", has_text="approved")).to_be_visible()
    vendor = Vendor.objects.get(name="Leaf & Kettle")
    assert vendor.status == Vendor.Status.APPROVED

    # Add a product by form, then two by CSV.
    page.goto(f"{base}/sell/products/new/")
    page.get_by_label(re.compile(r"^Name:?$")).fill("Earl Grey")
    page.get_by_label("Price (£)").fill("6.50")
    page.get_by_label("Partner price (£, optional)").fill("5.90")
    page.get_by_label("Stock").fill("20")
    page.get_by_role("button", name="Save product").click()
    expect(page.get_by_role("link", name="Earl Grey")).to_be_visible()
    csv_path = tmp_path / "catalogue.csv"
    csv_path.write_text("sku,name,price,stock\nLK-2,Green Sencha,7.00,10\nLK-3,Rooibos,5.00,8\n")
    page.get_by_role("link", name="Import CSV").click()
    page.get_by_label("Catalogue CSV").set_input_files(str(csv_path))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Imported: 2 new, 0 updated.")).to_be_visible()
    screenshot("catalogue")

    # Partners choose the shop; one buys; the order arrives and is shipped.
    partners = [UserFactory() for _ in range(6)]
    for partner in partners:
        membership_start(consumer=partner, vendor_id=vendor.pk)
    earl_grey = Product.objects.get(vendor=vendor, name="Earl Grey")
    cart_add(consumer=partners[0], product_id=earl_grey.pk, quantity=2)
    order = checkout_and_pay(partners[0], "b", ship_to_name="Pat Partner", ship_to_address="2 Tea Lane").orders[0]
    page.get_by_role("link", name="Orders", exact=True).last.click()
    row = page.get_by_role("row").filter(has_text="Pat Partner")
    expect(row.get_by_role("cell").nth(3)).to_have_text("1")  # its items: one line, two boxes of tea
    page.get_by_role("link", name=f"#{order.pk}").click()
    expect(page.get_by_text("Pat Partner")).to_be_visible()
    page.get_by_role("button", name="Mark shipped").click()
    expect(page.get_by_text(f"Order #{order.pk} is now shipped.")).to_be_visible()

    # Insights with charts.
    page.get_by_role("link", name="Insights").click()
    expect(page.locator(".kpi").first).to_have_text("5–9")  # 6 partners, as a range of K
    expect(page.locator("#chart-partners")).to_be_visible()
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('chart-partners'))")
    screenshot("insights")

    # Design and publish a partners-only promotion; a partner sees it in the feed.
    page.get_by_role("link", name="Promotions").click()
    page.get_by_role("link", name="Design a promotion").click()
    page.get_by_label("Title").fill("Partners: 15% off")
    page.get_by_label("Partners only").check()
    page.get_by_label("Discount:", exact=True).fill("15")
    start = timezone.localtime() - timedelta(minutes=2)
    page.get_by_label("Starts at:").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Ends at:").fill((start + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Save draft and preview audience").click()
    expect(page.locator(".audience-size")).to_have_text("5–9 partners")  # 6, as a range of K
    screenshot("promotion-preview")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text(re.compile("is running"))).to_be_visible()

    partner_page = browser.new_page()
    browser_login(partner_page, base, partners[3].email)
    partner_page.goto(f"{base}/portfolio/")
    expect(partner_page.locator(".feed")).to_contain_text("Partners: 15% off")
