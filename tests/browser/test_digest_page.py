"""In Chromium: from My partners a consumer opens what their partners sent them (the digest page), follows a new
product from it, and chooses there how often the digest e-mail comes."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from marketplace.accounts.models import ConsumerProfile
from portfolios.services import membership_start
from promotions.models import Promotion
from promotions.services import promotion_deliver
from tests.factories import ProductFactory, UserFactory, VendorFactory
from tests.helpers import browser_login, running_promotion


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_consumer_reads_what_partners_sent_and_sets_the_digest_there(live_server, page: Page, screenshot):
    vendor = VendorFactory(name="Digest Bakehouse", slug="digest-bakehouse")
    consumer = UserFactory(email="digest-page@test.example")
    membership_start(consumer=consumer, vendor_id=vendor.pk)
    promotion = running_promotion(vendor, kind=Promotion.Kind.PARTNERS, title="Bakehouse partner Saturday")
    promotion_deliver(promotion=promotion)
    product = ProductFactory(vendor=vendor, name="Seeded rye loaf")

    browser_login(page, live_server.url, consumer.email)
    page.goto(f"{live_server.url}/portfolio/")
    page.get_by_role("link", name="What your partners sent you since your last digest").click()
    expect(page.get_by_role("heading", name="What your partners sent you", level=1)).to_be_visible()
    expect(page.get_by_text("Bakehouse partner Saturday")).to_be_visible()
    expect(page.get_by_text("no digest e-mail is sent until you do")).to_be_visible()
    screenshot("digest-page")

    page.get_by_label("Weekly", exact=True).check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved: your digest will come weekly.")).to_be_visible()
    expect(page.get_by_label("Weekly", exact=True)).to_be_checked()
    expect(page.get_by_text("This comes to you weekly by e-mail")).to_be_visible()
    profile = ConsumerProfile.objects.get(user=consumer)
    assert profile.digest_frequency == "weekly" and profile.digest_confirmed_at is not None

    page.get_by_role("link", name="Seeded rye loaf").click()
    assert page.url == f"{live_server.url}{product.get_absolute_url()}"
