"""The partner digest: reachable partners only, within the weekly cap, nothing before confirmation, never the
same digest twice; delivered through a real SMTP server with a one-click unsubscribe that works without login."""

from __future__ import annotations

import io
import re
import time
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from marketplace.accounts.models import ConsumerProfile, DigestFrequency
from marketplace.accounts.unsubscribe import UNSUBSCRIBE_MAX_AGE, unsubscribe_token_make
from portfolios.services import membership_end, membership_set_muted, membership_start
from promotions.models import DigestMail, Promotion, PromotionDelivery
from promotions.services.digest import partner_digest_record, partner_digest_send
from promotions.tasks import partner_digest_send_task
from tests.factories import ProductFactory, UserFactory, VendorFactory
from tests.helpers import (
    SITE,
    confirm_digest,
    delivered_promotion,
    free_port,
    html_of,
    running_promotion,
    text_of,
    use_smtp,
)
from vendors.models import Vendor

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_url")]


def _unsubscribe_path(header: str) -> str:
    # A long header is folded onto a continuation line; unfolded it is the one address in angle brackets.
    match = re.fullmatch(rf"<{re.escape(SITE)}(/account/unsubscribe/[^/>]+/)>", header.strip())
    assert match, header
    return match.group(1)


def test_partner_digest_is_delivered_through_smtp_with_a_one_click_unsubscribe_that_works_once(world, smtp_server):
    # When beat's hourly job runs, against a real SMTP server
    result = partner_digest_send_task.apply().get()

    # Then the consumer got one message with the promotion, the new product and a link to give feedback
    assert result["recorded"] == 1 and result["sent"] == 1
    assert smtp_server.recipients == [["digest-reader@test.example"]]
    message = smtp_server.messages[0]
    assert message["Subject"] == "Your partners this week: 1 promotion and 1 new product"
    for body in (text_of(message), html_of(message)):
        assert "Bean There partner week" in body and "Ethiopia Natural" in body
        assert f"{SITE}/portfolio/#promotion-{world.promotion.pk}" in body
        assert f"{SITE}/products/{world.product.pk}/" in body
    # And it carries RFC 8058's one-click headers, the link also in the body
    path = _unsubscribe_path(message["List-Unsubscribe"])
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"{SITE}{path}" in text_of(message) and f"{SITE}{path}" in html_of(message)

    # Saving the account page without changing the digest setting leaves the link usable
    account = Client()
    account.force_login(world.consumer)
    assert (
        account.post(reverse("account:profile"), {"weekly_promotion_cap": 4, "digest_frequency": "weekly"}).status_code
        == 302
    )

    # The link, opened without logging in, asks to confirm and changes nothing yet
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(path)
    assert page.status_code == 200 and b">Unsubscribe</button>" in page.content
    assert ConsumerProfile.objects.get(user=world.consumer).digest_frequency == DigestFrequency.WEEKLY

    # A mail client's one-click POST (no CSRF token, no session) unsubscribes
    done = browser.post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert done.status_code == 200 and b"Unsubscribed" in done.content
    profile = ConsumerProfile.objects.get(user=world.consumer)
    assert profile.digest_frequency == DigestFrequency.NEVER

    # The link works once: again, it is refused and changes nothing, even after the consumer re-subscribes
    profile.digest_frequency, profile.digest_confirmed_at = DigestFrequency.DAILY, timezone.now()
    profile.save()
    again = browser.post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert again.status_code == 400 and b"already been used" in again.content
    assert ConsumerProfile.objects.get(user=world.consumer).digest_frequency == DigestFrequency.DAILY


def test_unsubscribe_refuses_a_forged_or_expired_link_and_changes_nothing(world, client, monkeypatch):
    profile = ConsumerProfile.objects.get(user=world.consumer)
    genuine = unsubscribe_token_make(profile=profile)
    other = UserFactory(email="someone-else@test.example")
    confirm_digest(other)
    # Forged: the signature of a genuine token put on another user's id, a truncated token, and nonsense
    forged_payload = signing.TimestampSigner(salt="not-ours").sign_object({"u": other.pk, "p": "partner_digest"})
    forgeries = [forged_payload, genuine[:-3] + "abc", "not-a-token"]
    # Expired: made longer ago than the links last
    made_at = time.time() - UNSUBSCRIBE_MAX_AGE.total_seconds() - 60
    monkeypatch.setattr(signing.time, "time", lambda: made_at)
    expired = unsubscribe_token_make(profile=profile)
    monkeypatch.undo()

    for token, words in [*((t, b"not valid") for t in forgeries), (expired, b"expired")]:
        path = reverse("account:unsubscribe", args=[token])
        for response in (client.get(path), client.post(path, {"List-Unsubscribe": "One-Click"})):
            assert response.status_code == 400 and words in response.content
            assert b">Unsubscribe</button>" not in response.content
    assert ConsumerProfile.objects.get(user=world.consumer).digest_frequency == DigestFrequency.WEEKLY
    assert ConsumerProfile.objects.get(user=other).digest_frequency == DigestFrequency.WEEKLY


def test_partner_digest_never_tells_of_muted_ended_or_suspended_partners_nor_inactive_products(world):
    muted, ended, suspended = (VendorFactory(name=n) for n in ("Muted Mill", "Ended Eatery", "Suspended Shop"))
    for vendor in (muted, ended, suspended):
        membership_start(consumer=world.consumer, vendor_id=vendor.pk)
        delivered_promotion(vendor, f"{vendor.name} offer")
        ProductFactory(vendor=vendor, name=f"{vendor.name} product")
    membership_set_muted(consumer=world.consumer, vendor_id=muted.pk, muted=True)
    membership_end(consumer=world.consumer, vendor_id=ended.pk, reason="price")
    Vendor.objects.filter(pk=suspended.pk).update(status=Vendor.Status.SUSPENDED)
    ProductFactory(vendor=world.vendor, name="Retired Roast", active=False)

    partner_digest_send()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    bodies = message.body + message.alternatives[0][0]
    assert "Bean There partner week" in bodies and "Ethiopia Natural" in bodies
    for name in ("Muted Mill", "Ended Eatery", "Suspended Shop", "Retired Roast"):
        assert name not in bodies


def test_partner_digest_promotions_count_against_the_weekly_cap(world):
    # Given a cap of 2 with one promotion already delivered this week, and two running promotions of the
    # partner that were not delivered (the consumer was at their cap when they started)
    ConsumerProfile.objects.filter(user=world.consumer).update(weekly_promotion_cap=2)
    older = running_promotion(world.vendor, kind=Promotion.Kind.PARTNERS, title="Older undelivered offer")
    newer = running_promotion(world.vendor, kind=Promotion.Kind.PARTNERS, title="Newer undelivered offer")
    Promotion.objects.filter(pk=newer.pk).update(starts_at=older.starts_at + timedelta(minutes=1))

    partner_digest_send()

    # Then the digest delivers (and mentions) only what the cap leaves room for: the older of the two
    text = mail.outbox[0].body
    assert "Bean There partner week" in text and "Older undelivered offer" in text
    assert "Newer undelivered offer" not in text
    week = PromotionDelivery.objects.filter(
        consumer=world.consumer, delivered_at__gte=timezone.now() - timedelta(days=7)
    )
    assert set(week.values_list("promotion__title", flat=True)) == {
        "Bean There partner week",
        "Older undelivered offer",
    }

    # And a digest at the cap delivers nothing more
    ConsumerProfile.objects.filter(user=world.consumer).update(digest_sent_at=timezone.now() - timedelta(days=8))
    partner_digest_send()
    assert week.count() == 2
    assert all("Newer undelivered offer" not in m.body for m in mail.outbox)


def test_partner_digest_job_run_twice_or_dying_halfway_sends_nobody_the_same_digest_twice(world, settings):
    # A run that recorded the digest and died before sending: the next run sends it, once
    assert partner_digest_record(consumer_id=world.consumer.pk) is not None
    assert partner_digest_send()["sent"] == 1
    # Running again, at once or later in the week, records and sends nothing new
    assert partner_digest_send() == {"recorded": 0, "nothing_new": 0, "sent": 0, "retry": 0, "failed": 0}
    assert partner_digest_send(now=timezone.now() + timedelta(days=3))["sent"] == 0
    assert len(mail.outbox) == 1
    assert DigestMail.objects.get().status == DigestMail.Status.SENT

    # A run that died after claiming a message (maybe after the server took it) never sends it again
    next_week = timezone.now() + timedelta(days=7)
    ProductFactory(vendor=world.vendor, name="Next week's blend")
    claimed = partner_digest_record(consumer_id=world.consumer.pk, now=next_week)
    DigestMail.objects.filter(pk=claimed.pk).update(status=DigestMail.Status.SENDING, attempts=1)
    assert partner_digest_send(now=next_week)["sent"] == 0
    assert len(mail.outbox) == 1


def test_partner_digest_refused_by_an_unreachable_server_is_sent_once_when_it_is_back(world, settings, smtp_server):
    use_smtp(settings, free_port())  # nothing listens there
    first = partner_digest_send()
    assert first["recorded"] == 1 and first["sent"] == 0 and first["retry"] == 1
    assert DigestMail.objects.get().status == DigestMail.Status.PENDING and smtp_server.messages == []

    use_smtp(settings, smtp_server.port)
    assert partner_digest_send()["sent"] == 1
    assert partner_digest_send()["sent"] == 0
    assert len(smtp_server.messages) == 1


def test_nothing_is_sent_before_the_consumer_confirmed_the_setting_nor_after_never(world, client):
    ConsumerProfile.objects.filter(user=world.consumer).update(digest_confirmed_at=None)
    assert partner_digest_send()["recorded"] == 0 and mail.outbox == []

    # The consumer sees the setting on /account/ and saves it: from then on the digest comes
    client.force_login(world.consumer)
    page = client.get(reverse("account:profile")).content.decode()
    assert "Nothing is sent until you save this choice once" in page
    saved = client.post(reverse("account:profile"), {"weekly_promotion_cap": 5, "digest_frequency": "daily"})
    assert saved.status_code == 302
    assert partner_digest_send()["sent"] == 1

    # A day later a daily digest is due again; "never" stops it
    ProductFactory(vendor=world.vendor, name="Tomorrow's roast")
    tomorrow = timezone.now() + timedelta(days=1)
    ConsumerProfile.objects.filter(user=world.consumer).update(digest_frequency=DigestFrequency.NEVER)
    assert partner_digest_send(now=tomorrow)["recorded"] == 0
    ConsumerProfile.objects.filter(user=world.consumer).update(digest_frequency=DigestFrequency.DAILY)
    assert partner_digest_send(now=tomorrow)["sent"] == 1
    assert "Tomorrow's roast" in mail.outbox[-1].body and "Ethiopia Natural" not in mail.outbox[-1].body


def test_a_weekly_digest_waits_a_week_and_an_empty_one_is_not_sent(world):
    assert partner_digest_send()["sent"] == 1
    ProductFactory(vendor=world.vendor, name="Midweek blend")
    assert partner_digest_send(now=timezone.now() + timedelta(days=3))["recorded"] == 0
    assert partner_digest_send(now=timezone.now() + timedelta(days=7))["sent"] == 1
    assert "Midweek blend" in mail.outbox[-1].body
    # Nothing new in the following week: no e-mail, but the watermark moves
    in_two_weeks = timezone.now() + timedelta(days=14)
    assert partner_digest_send(now=in_two_weeks) == {
        "recorded": 0,
        "nothing_new": 1,
        "sent": 0,
        "retry": 0,
        "failed": 0,
    }
    assert len(mail.outbox) == 2
    assert ConsumerProfile.objects.get(user=world.consumer).digest_sent_at == in_two_weeks


def test_digest_preview_prints_the_digest_without_sending_delivering_or_moving_the_watermark(world):
    undelivered = running_promotion(world.vendor, kind=Promotion.Kind.PARTNERS, title="Not yet delivered offer")
    out = io.StringIO()
    call_command("digest_preview", email=world.consumer.email, stdout=out)
    printed = out.getvalue()
    assert "Subject: Your partners this week: 2 promotions and 1 new product" in printed
    assert "Bean There partner week" in printed and "Not yet delivered offer" in printed
    assert "Ethiopia Natural" in printed
    assert mail.outbox == [] and not DigestMail.objects.exists()
    assert not PromotionDelivery.objects.filter(promotion=undelivered).exists()
    assert ConsumerProfile.objects.get(user=world.consumer).digest_sent_at is None
