"""An offer that lapses on the clock (its valid-until passed, or its ask expired) is told to its vendor by e-mail,
once, within the vendor's settings, like every other lapse."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from marketplace.asks.models import Ask, Offer, VendorAskSettings
from marketplace.asks.tasks import asks_clock_task

from .conftest import offer, open_ask

pytestmark = pytest.mark.django_db


def _tick(capture) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with capture(execute=True):
        return asks_clock_task()


def test_an_offer_past_its_valid_until_is_e_mailed_to_its_vendor_once(world, django_capture_on_commit_callbacks):
    ask = open_ask(world)
    stale = offer(world.first, ask)
    fresh = offer(world.second, ask)
    Offer.objects.filter(pk=stale.pk).update(valid_until=timezone.now() - timedelta(minutes=1))
    mail.outbox.clear()

    assert _tick(django_capture_on_commit_callbacks)["offers_lapsed"] == 1
    assert Offer.objects.get(pk=stale.pk).state == Offer.State.LAPSED
    assert Offer.objects.get(pk=fresh.pk).state == Offer.State.LIVE
    assert [m.to[0] for m in mail.outbox] == [world.first.owner.email]
    message = mail.outbox[0]
    assert message.subject == f"Your offer lapsed: {ask.title}"
    assert "Its valid-until passed." in message.body

    assert _tick(django_capture_on_commit_callbacks)["offers_lapsed"] == 0
    assert len(mail.outbox) == 1  # not again on the next tick


def test_the_offers_of_an_expired_ask_are_e_mailed_once(world, django_capture_on_commit_callbacks):
    ask = open_ask(world)
    offer(world.first, ask)
    offer(world.second, ask)
    Ask.objects.filter(pk=ask.pk).update(respond_by=timezone.now() - timedelta(minutes=1))
    mail.outbox.clear()

    assert _tick(django_capture_on_commit_callbacks)["asks_closed"] == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.first.owner.email, world.second.owner.email])
    assert all("The ask expired." in m.body for m in mail.outbox)
    assert _tick(django_capture_on_commit_callbacks) == {"asks_closed": 0, "offers_lapsed": 0}
    assert len(mail.outbox) == 2


def test_a_vendor_that_turned_lapse_e_mails_off_gets_none(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.first.owner)
    client.post(reverse("asks:vendor-ask-settings"), {"email_new_asks": "on"})
    assert VendorAskSettings.objects.get(vendor=world.first).email_offer_lapses is False
    listing = client.get(reverse("asks:vendor-ask-list")).content.decode()
    assert f'href="{reverse("asks:vendor-ask-settings")}"' in listing
    page = client.get(reverse("asks:vendor-ask-settings")).content.decode()
    assert 'name="email_offer_lapses">' in page and 'name="email_new_asks" checked>' in page

    ask = open_ask(world)
    offer(world.first, ask)
    offer(world.second, ask)
    Offer.objects.update(valid_until=timezone.now() - timedelta(minutes=1))
    mail.outbox.clear()
    assert _tick(django_capture_on_commit_callbacks)["offers_lapsed"] == 2
    assert [m.to[0] for m in mail.outbox] == [world.second.owner.email]
