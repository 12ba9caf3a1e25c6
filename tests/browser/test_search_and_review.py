"""In Chromium on a desktop (1280 px) and a phone (390 px): a shopper sorts and filters product search (price both
ways, a price range, in stock only, a category) and reads the order of the results; then writes a review with the
rating of a delivered order and finds it on the vendor's page, without their name."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from marketplace.shop.services.fulfilment import order_fulfil
from tests.factories import ProductFactory, UserFactory, VendorFactory
from tests.helpers import browser_login, place_order
from vendors.models import Category

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def _result_names(page: Page) -> list[str]:
    return [name.strip() for name in page.locator("ol.results li h3, ol.results li h2").all_inner_texts()]


def _search(page: Page, *, sort: str = "", min_price: str = "", max_price: str = "", in_stock: bool = False) -> None:
    page.get_by_label("Search products").fill("lantern")
    page.get_by_label("Sort by").select_option(label=sort or "Best match")
    filters = page.locator("details.more-filters")
    if filters.get_attribute("open") is None:
        filters.locator("summary").click()
    page.get_by_label("Price from").fill(min_price)
    page.get_by_label("up to").fill(max_price)
    page.get_by_label("In stock only").set_checked(in_stock)
    page.get_by_role("button", name="Search", exact=True).click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_search_sorts_and_filters_and_a_review_reaches_the_vendor_page(live_server, browser: Browser, viewport):
    lamps = Category.objects.create(name=f"Lamps {viewport}", slug=f"lamps-{viewport}")
    shop = VendorFactory(name=f"Lamplight {viewport}", category=lamps)
    ProductFactory(vendor=shop, name="Brass lantern", price=Decimal("30.00"), stock=4, category=lamps)
    ProductFactory(vendor=shop, name="Paper lantern", price=Decimal("8.00"), stock=0, category=lamps)
    ProductFactory(vendor=shop, name="Storm lantern", price=Decimal("19.00"), stock=2, category=lamps)
    shopper = UserFactory(email=f"search-{viewport}@example.com")
    context = browser.new_context(viewport=VIEWPORTS[viewport], is_mobile=viewport == "phone")
    page = context.new_page()
    browser_login(page, live_server.url, shopper.email)
    page.goto(f"{live_server.url}/search/")

    # Cheapest first, then dearest first.
    _search(page, sort="Price: low to high")
    assert _result_names(page) == ["Paper lantern", "Storm lantern", "Brass lantern"]
    _search(page, sort="Price: high to low")
    assert _result_names(page) == ["Brass lantern", "Storm lantern", "Paper lantern"]

    # A price range and in stock only leave the one lantern that is both.
    _search(page, sort="Price: low to high", min_price="10", max_price="25", in_stock=True)
    assert _result_names(page) == ["Storm lantern"]

    # A range the wrong way round is explained, not a blank page.
    _search(page, min_price="40", max_price="10")
    expect(page.get_by_role("alert")).to_be_visible()

    # A review with the rating of a delivered order, shown on the vendor's page without the buyer's name.
    order = place_order(shopper, shop.products.get(name="Brass lantern"), key=f"review-{viewport}", quantity=1)
    order_fulfil(vendor=shop, order_id=order.pk, action="ship")
    order_fulfil(vendor=shop, order_id=order.pk, action="deliver")
    page.goto(live_server.url + reverse("shop:order-detail", args=[order.pk]))
    page.get_by_label("Service rating").select_option("5")
    page.get_by_label("Your review (optional)").fill("Bright, well packed and on time.")
    page.get_by_role("button", name="Send rating").click()
    expect(page.get_by_text("You rated this service 5/5.")).to_be_visible()
    page.goto(f"{live_server.url}{shop.get_absolute_url()}")
    reviews = page.locator("section.reviews")
    expect(reviews.get_by_text("Bright, well packed and on time.")).to_be_visible()
    expect(reviews).not_to_contain_text(shopper.email)
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[viewport]["width"]
    context.close()
