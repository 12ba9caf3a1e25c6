"""In Chromium: a partner gives feedback on a promotion from the portfolio feed (swapped in place by htmx),
changes their mind, and chooses how often the digest e-mail comes on /account/."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from marketplace.accounts.models import ConsumerProfile
from portfolios.services import membership_start
from promotions.models import Promotion, PromotionFeedback
from promotions.services import promotion_deliver
from tests.factories import UserFactory, VendorFactory
from tests.helpers import browser_login, running_promotion


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_partner_gives_feedback_from_the_feed_and_chooses_the_digest_on_the_account_page(
    live_server, page: Page, screenshot
):
    vendor = VendorFactory(name="Feedback Roasters", slug="feedback-roasters")
    consumer = UserFactory(email="feedback-giver@test.example")
    membership_start(consumer=consumer, vendor_id=vendor.pk)
    promotion = running_promotion(vendor, kind=Promotion.Kind.PARTNERS, title="Roasters partner week")
    promotion_deliver(promotion=promotion)

    browser_login(page, live_server.url, consumer.email)
    page.goto(f"{live_server.url}/portfolio/")
    item = page.locator(f"#promotion-{promotion.pk}")
    expect(item.get_by_text("Was “Roasters partner week” useful to you?")).to_be_visible()

    # Useful: the form is answered in place, without leaving the page
    item.get_by_label("Useful", exact=True).check()
    item.get_by_role("button", name="Send feedback").click()
    expect(item.get_by_text("Your feedback: Useful.")).to_be_visible()
    expect(page.get_by_text("Thank you: your feedback")).to_have_count(0)
    assert page.url == f"{live_server.url}/portfolio/"

    # Changing one's mind: not for me, too frequent
    item.get_by_label("Not for me", exact=True).check()
    item.get_by_label("If not for me, why?").select_option("too_frequent")
    item.get_by_role("button", name="Send feedback").click()
    expect(item.get_by_text("Your feedback: Not for me (too frequent).")).to_be_visible()
    screenshot("feed-feedback")
    row = PromotionFeedback.objects.get(consumer=consumer, promotion=promotion)
    assert (row.verdict, row.reason) == ("not_for_me", "too_frequent")

    # The digest: weekly until chosen, and nothing sent before the consumer saves the choice once
    page.goto(f"{live_server.url}/account/")
    expect(page.get_by_text("Nothing is sent until you save this choice once.")).to_be_visible()
    expect(page.get_by_label("Weekly", exact=True)).to_be_checked()
    page.get_by_label("Daily", exact=True).check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Your profile and sharing choices are saved.")).to_be_visible()
    expect(page.get_by_label("Daily", exact=True)).to_be_checked()
    expect(page.get_by_text("Nothing is sent until you save this choice once.")).to_have_count(0)
    screenshot("account-digest")
    profile = ConsumerProfile.objects.get(user=consumer)
    assert profile.digest_frequency == "daily" and profile.digest_confirmed_at is not None
