"""Ask my partners, the issue's "Done when" in Chromium: a new consumer with partners asks, two partner vendors
offer, a vendor of the same category that is not a partner cannot see the ask (page and API answer 404), the
consumer accepts one offer, pays, and has an order at that price, and the other vendor's offer shows as lapsed."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from marketplace.asks.models import Ask
from marketplace.shop.models import Order
from marketplace.shop.payments.fake_delivery import http_transport, transport_set
from portfolios.services import membership_start
from tests.factories import CategoryFactory, UserFactory, VendorFactory
from tests.helpers import browser_login


@pytest.fixture
def webhooks_over_http(live_server, settings):
    settings.SITE_URL = live_server.url
    previous = transport_set(http_transport)
    yield
    transport_set(previous)


def _local(days: float) -> str:
    return timezone.localtime(timezone.now() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def _offer(browser: Browser, base: str, owner_email: str, ask_id: int, price: str) -> Page:
    page = browser.new_page()
    browser_login(page, base, owner_email)
    page.goto(f"{base}/sell/asks/")
    page.get_by_role("link", name="A DVD player under 3,000").click()
    expect(page.get_by_text("Region-free, with HDMI")).to_be_visible()
    page.get_by_label("Price:", exact=True).fill(price)
    page.get_by_label("What is included").fill("HDMI cable, two years' warranty")
    page.get_by_label("Valid until").fill(_local(2))
    page.get_by_role("button", name="Send my offer").click()
    expect(page.get_by_text("Your offer is sent, sealed")).to_be_visible()
    return page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_consumer_asks_two_partners_offer_an_outsider_cannot_see_and_one_offer_becomes_an_order(
    live_server, browser: Browser, page: Page, screenshot, webhooks_over_http
):
    base = live_server.url
    electronics = CategoryFactory(name="Electronics", slug="electronics")
    consumer = UserFactory(email="asker@asks.example", display_name="Ada Asker", date_joined=timezone.now())
    disc_hut = VendorFactory(
        name="Disc Hut", slug="disc-hut", category=electronics, owner=UserFactory(email="disc@asks.example")
    )
    planet = VendorFactory(
        name="Player Planet", slug="player-planet", category=electronics, owner=UserFactory(email="planet@asks.example")
    )
    VendorFactory(name="Stranger Sounds", category=electronics, owner=UserFactory(email="stranger@asks.example"))
    for vendor in (disc_hut, planet):
        membership_start(consumer=consumer, vendor_id=vendor.pk)

    # The consumer asks; the page says how many partners will see it, and warns that they are few.
    browser_login(page, base, consumer.email)
    page.get_by_role("link", name="My asks").click()
    page.get_by_role("link", name="Ask my partners").click()
    page.get_by_label("Category").select_option(label="Electronics")
    expect(page.get_by_text("2 partners will see this ask, and no one else.")).to_be_visible()
    expect(page.get_by_text("each of them knows the ask came from one of their few partners")).to_be_visible()
    page.get_by_label("Title").fill("A DVD player under 3,000")
    page.get_by_label("Description").fill("Region-free, with HDMI")
    page.get_by_label("Budget:", exact=True).fill("3000")
    page.get_by_label("Respond by").fill(_local(3))
    page.get_by_role("button", name="Publish to my partners").click()
    expect(page.get_by_text("Your ask is published to your partners.")).to_be_visible()
    ask = Ask.objects.get()
    screenshot("ask-published")

    # Two partners offer, sealed.
    disc_page = _offer(browser, base, "disc@asks.example", ask.pk, "2899")
    planet_page = _offer(browser, base, "planet@asks.example", ask.pk, "2750")
    expect(planet_page.get_by_text("2,899")).to_have_count(0)

    # A vendor of the same category that is not a partner: the page and the API answer 404.
    stranger = browser.new_page()
    browser_login(stranger, base, "stranger@asks.example")
    assert stranger.goto(f"{base}/sell/asks/{ask.pk}/").status == 404
    assert stranger.request.get(f"{base}/api/v1/sell/asks/{ask.pk}/").status == 404
    stranger.goto(f"{base}/sell/asks/")
    expect(stranger.get_by_text("No asks from your partners")).to_be_visible()

    # The consumer compares and accepts Disc Hut's offer, then pays it.
    page.reload()
    expect(page.get_by_test_id("offer-row")).to_have_count(2)
    page.get_by_label("Deliver to").fill("Ada Asker")
    page.get_by_label("Address").fill("1 Quay Street, Taipei")
    screenshot("offers-compared")
    page.get_by_role("button", name="Accept £2,899.00 from Disc Hut").click()
    page.get_by_label("Card number").fill("4242 4242 4242 4242")
    page.get_by_role("button", name="Pay £2,899.00").click()
    expect(page.get_by_text("Thank you: 1 order placed and paid.")).to_be_visible()
    order = Order.objects.get()
    assert (order.vendor_id, order.total, order.status) == (disc_hut.pk, Decimal("2899.00"), Order.Status.PAID)
    page.goto(f"{base}/asks/{ask.pk}/")
    expect(page.get_by_test_id("ask-state")).to_have_text("Awarded")
    expect(page.get_by_role("link", name=f"order #{order.pk}")).to_be_visible()

    # The other vendor's offer shows as lapsed; the winner's as accepted.
    planet_page.reload()
    expect(planet_page.get_by_test_id("offer-state")).to_contain_text("Lapsed")
    disc_page.reload()
    expect(disc_page.get_by_test_id("offer-state")).to_contain_text("Accepted")
    screenshot("done")
