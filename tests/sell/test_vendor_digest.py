"""The vendor's weekly digest: figures equal a recount from the source tables, every group under K suppressed,
no consumer named; one digest a week, whatever the job does."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from marketplace.kernel.privacy import count_text, round_total
from marketplace.kernel.sql import Scope
from marketplace.sell.services.digest import vendor_digest_send
from marketplace.sell.tasks import vendor_digest_send_task
from marketplace.shop.models import Redemption
from portfolios.models import MembershipEvent
from portfolios.services import membership_end
from portfolios.services.stats import stats_refresh_scope
from promotions import services as promo
from promotions.models import DigestMail, PromotionDelivery, PromotionFeedback
from promotions.services.feedback import promotion_feedback_give
from tests.factories import VendorFactory
from tests.helpers import SITE, buy, draft, partners, product_of

# Expectations here are exact released figures: their noise is off (tests/conftest.py exact_release; noise is
# tested in tests/privacy/test_calibration.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_url", "exact_release")]


@pytest.fixture
def week(reference_data):
    """A vendor's week: 13 partners gained, 5 ended for price and 1 for quality, a promotion reaching the other 7,
    2 of whom redeem it, 5 finding it useful and 2 saying it comes too often."""
    shop = VendorFactory(name="Weekly Roasters")
    gained = partners(shop, 13)
    for consumer in gained[:5]:
        membership_end(consumer=consumer, vendor_id=shop.pk, reason="price")
    membership_end(consumer=gained[5], vendor_id=shop.pk, reason="quality")
    current = gained[6:]
    promotion = promo.promotion_publish(vendor=shop, promotion_id=draft(shop, title="Seven partners offer").pk)
    product = product_of(shop)
    for n, consumer in enumerate(current[:2]):
        buy(consumer, product, f"weekly-{n}")
    for consumer in current[:5]:
        promotion_feedback_give(consumer=consumer, promotion_id=promotion.pk, verdict="useful")
    for consumer in current[5:]:
        promotion_feedback_give(
            consumer=consumer, promotion_id=promotion.pk, verdict="not_for_me", reason="too_frequent"
        )
    stats_refresh_scope(scope=Scope.ids([shop.pk]))
    return shop, promotion, gained


def _recount(shop, promotion) -> dict[str, str]:
    """The digest's figures counted again from the source tables, published the way the rules say."""
    events = MembershipEvent.objects.filter(vendor=shop)
    feedback = PromotionFeedback.objects.filter(promotion=promotion)
    buyers = Redemption.objects.filter(promotion=promotion).values("consumer").distinct().count()
    return {
        "gained": count_text(round_total(events.filter(kind__in=["started", "reinstated"]).count())),
        "ended": count_text(round_total(events.filter(kind="ended").count())),
        "current": count_text(round_total(shop.memberships.filter(ended_at__isnull=True).count())),
        "price": count_text(round_total(events.filter(kind="ended", reason="price").count())),
        "reached": count_text(round_total(PromotionDelivery.objects.filter(promotion=promotion).count())),
        "redemptions": "fewer than 5 buyers" if buyers < 5 else str(buyers),
        "given": count_text(round_total(feedback.count())),
        "useful": count_text(round_total(feedback.filter(verdict="useful").count())),
        "not_for_me": count_text(round_total(feedback.filter(verdict="not_for_me").count())),
    }


def test_vendor_digest_equals_a_recount_and_suppresses_small_groups(week, settings):
    shop, promotion, gained = week
    settings.SITE_URL = SITE
    tomorrow = timezone.now() + timedelta(days=1)  # the digest tells of complete days: today, seen tomorrow

    result = vendor_digest_send(now=tomorrow)

    assert result["recorded"] >= 1 and result["sent"] >= 1
    [message] = [m for m in mail.outbox if m.to == [shop.owner.email]]
    text = message.body
    expected = _recount(shop, promotion)
    assert expected == {
        "gained": "10–14",
        "ended": "5–9",
        "current": "5–9",
        "price": "5–9",
        "reached": "5–9",
        "redemptions": "fewer than 5 buyers",
        "given": "5–9",
        "useful": "5–9",
        "not_for_me": "fewer than 5",
    }
    assert f"- Gained: {expected['gained']}\n" in text
    assert f"- Ended: {expected['ended']}\n" in text
    assert f"- Current partners: {expected['current']}\n" in text
    assert f"- Price: {expected['price']}\n" in text
    assert f"Reached: {expected['reached']}; redemptions: {expected['redemptions']}" in text
    assert (
        f"Feedback: {expected['given']} gave it; useful {expected['useful']}, not for them {expected['not_for_me']}\n"
        in text
    )
    # Small groups are not shown: the one quality ending, the two "too frequent", the two buyers
    assert "Quality" not in text and "too frequent" not in text.lower()
    assert f"{SITE}/sell/insights/" in text and f"{SITE}/sell/promotions/{promotion.pk}/results/" in text
    # No consumer is named or hinted at
    for consumer in gained:
        assert consumer.email not in text and consumer.display_name not in text
        assert consumer.email not in message.alternatives[0][0]


def test_vendor_digest_comes_once_a_week_whatever_the_job_does(week):
    shop, _promotion, _gained = week
    tomorrow = timezone.now() + timedelta(days=1)
    vendor_digest_send(now=tomorrow)
    vendor_digest_send(now=tomorrow)
    vendor_digest_send(now=tomorrow + timedelta(days=3))
    mine = DigestMail.objects.filter(vendor=shop)
    assert mine.count() == 1 and mine.get().status == DigestMail.Status.SENT
    assert sum(m.to == [shop.owner.email] for m in mail.outbox) == 1

    # A week on, the next digest tells of the days after the first one's: none of this week's partners again
    vendor_digest_send_task.apply(kwargs={}).get()  # the beat job, today: not due yet
    assert mine.count() == 1
    vendor_digest_send(now=tomorrow + timedelta(days=7))
    assert mine.count() == 2
    latest = mine.order_by("-id").first()
    assert latest.window_start.date() == tomorrow.date()
    assert "- Gained: fewer than 5\n" in latest.text and "- Ended: fewer than 5\n" in latest.text


def test_digest_preview_prints_the_vendor_digest_without_recording_it(week):
    shop, _promotion, _gained = week
    out = io.StringIO()
    call_command("digest_preview", vendor_email=shop.owner.email, stdout=out)
    assert "Subject: Weekly Roasters: your week on the marketplace" in out.getvalue()
    assert "Seven partners offer" in out.getvalue()
    assert not DigestMail.objects.exists() and mail.outbox == []
