"""An accepted offer whose order is not paid: while the payment may still be made (failed once, or not tried yet)
the ask stays awarded and its page says how to pay and until when; once the payment lapses (the order is
cancelled, nothing charged) the ask opens again with the chosen offer live while it is valid, or closes when its
respond-by has passed, and the vendor is told."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from marketplace.asks.models import Ask, LapseReason, Offer
from marketplace.asks.services import ask_award_unpaid, offer_accept, offer_make
from marketplace.kernel.errors import ConflictError
from marketplace.shop.models import Checkout, Order, Payment
from marketplace.shop.payments.fake import CARD_DECLINED
from marketplace.shop.payments.services import payment_abandon, payments_expire_due
from tests.payments import pay

from .conftest import in_days, offer, open_ask

SHIP = {"ship_to_name": "Ada Asker", "ship_to_address": "1 Quay Street\nTaipei"}

pytestmark = pytest.mark.django_db


def _accepted(world, price: str = "2750"):  # type: ignore[no-untyped-def]
    ask = open_ask(world)
    other = offer(world.first, ask, "2899")
    chosen = offer(world.second, ask, price)
    result = offer_accept(consumer=world.consumer, ask_id=ask.pk, offer_id=chosen.pk, **SHIP)
    return ask, chosen, other, result


def _page(client, user, url: str) -> str:  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client.get(url).content.decode()


def test_a_failed_payment_keeps_the_award_and_both_sides_are_told_it_is_not_paid(client, world):
    ask, chosen, _other, result = _accepted(world)
    pay(result, card=CARD_DECLINED)
    assert Payment.objects.get(checkout=result.checkout).status == Payment.Status.FAILED
    ask.refresh_from_db()
    assert ask.state == Ask.State.AWARDED and Offer.objects.get(pk=chosen.pk).state == Offer.State.ACCEPTED

    page = _page(client, world.consumer, reverse("asks:detail", args=[ask.pk]))
    assert "did not go through" in page and "Your card was declined." in page
    assert reverse("shop:checkout-pay", args=[result.checkout.pk]) in page
    assert "your ask opens again" in page

    vendor_page = _page(client, world.second.owner, reverse("asks:vendor-ask-detail", args=[ask.pk]))
    assert f"order #{result.orders[0].pk} is not paid yet" in vendor_page
    assert "declined" not in vendor_page  # the consumer's card is not the vendor's business


def test_an_unpaid_award_reopens_the_ask_with_the_chosen_offer_live_and_it_can_be_paid_again(
    client, world, django_capture_on_commit_callbacks
):
    ask, chosen, other, result = _accepted(world)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        payment_abandon(consumer=world.consumer, checkout_id=result.checkout.pk)

    ask.refresh_from_db()
    order = Order.objects.get(pk=result.orders[0].pk)
    assert order.status == Order.Status.CANCELLED
    assert ask.state == Ask.State.OPEN and ask.closed_at is None and ask.payment_lapsed_at is not None
    assert Offer.objects.get(pk=chosen.pk).state == Offer.State.LIVE
    assert Offer.objects.get(pk=other.pk).state == Offer.State.LAPSED  # lapsed at the award, its vendor told then
    unpaid, reopened = sorted(mail.outbox, key=lambda m: "open again" in m.subject)
    assert unpaid.to == [world.second.owner.email]
    assert "was not paid" in unpaid.subject and "may accept it once more" in unpaid.body
    # The vendor whose offer the award lapsed hears that it may offer again; never who asked.
    assert reopened.to == [world.first.owner.email] and "open again" in reopened.subject
    assert "you may send a new offer" in reopened.body and world.consumer.email not in reopened.body
    assert world.consumer.display_name not in reopened.body

    page = _page(client, world.consumer, reverse("asks:detail", args=[ask.pk]))
    assert "did not complete in time" in page and "nothing was charged" in page
    assert "Your ask is open again" in page
    assert reverse("asks:offer-accept", args=[ask.pk, chosen.pk]) in page
    vendor_page = _page(client, world.second.owner, reverse("asks:vendor-ask-detail", args=[ask.pk]))
    assert "Your offer stands again" in vendor_page
    api = APIClient()
    api.force_authenticate(world.consumer)
    body = api.get(f"/api/v1/asks/{ask.pk}/").json()
    assert body["state"] == "open" and body["payment"]["state"] == "lapsed"

    # The consumer accepts the same offer again: a new checkout and payment, paid this time.
    again = offer_accept(consumer=world.consumer, ask_id=ask.pk, offer_id=chosen.pk, **SHIP)
    assert again.checkout.pk != result.checkout.pk
    assert Checkout.objects.filter(consumer=world.consumer).count() == 2
    pay(again)
    ask.refresh_from_db()
    assert ask.state == Ask.State.AWARDED and ask.awards == 2 and ask.order_id == again.orders[0].pk
    assert Order.objects.get(pk=again.orders[0].pk).status == Order.Status.PAID
    assert Order.objects.get(pk=again.orders[0].pk).total == Decimal("2750.00")
    page = _page(client, world.consumer, reverse("asks:detail", args=[ask.pk]))
    assert f"order #{again.orders[0].pk}</a> is paid" in page


def test_an_unpaid_award_after_the_respond_by_closes_the_ask_and_lapses_the_offer(
    client, world, django_capture_on_commit_callbacks
):
    ask, chosen, _other, result = _accepted(world)
    Ask.objects.filter(pk=ask.pk).update(respond_by=timezone.now() - timedelta(minutes=1))
    Payment.objects.filter(checkout=result.checkout).update(expires_at=timezone.now() - timedelta(minutes=1))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert payments_expire_due() == 1  # the payments' clock lapses it

    ask.refresh_from_db()
    lapsed = Offer.objects.get(pk=chosen.pk)
    assert ask.state == Ask.State.EXPIRED and ask.closed_at is not None
    assert (lapsed.state, lapsed.lapse_reason) == (Offer.State.LAPSED, LapseReason.PAYMENT_LAPSED)
    assert len(mail.outbox) == 1 and "did not complete" in mail.outbox[0].body
    page = _page(client, world.consumer, reverse("asks:detail", args=[ask.pk]))
    assert "now closed" in page and "write a new ask" in page
    assert "Accept " not in page  # nothing left to accept


def test_an_unpaid_award_whose_offer_ran_out_reopens_the_ask_without_it(world):
    ask, chosen, _other, result = _accepted(world)
    Offer.objects.filter(pk=chosen.pk).update(valid_until=timezone.now() - timedelta(minutes=1))
    payment_abandon(consumer=world.consumer, checkout_id=result.checkout.pk)
    ask.refresh_from_db()
    assert ask.state == Ask.State.OPEN
    assert Offer.objects.get(pk=chosen.pk).state == Offer.State.LAPSED


def test_the_lapse_moves_an_ask_once(world, django_capture_on_commit_callbacks):
    ask, chosen, _other, result = _accepted(world)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        payment_abandon(consumer=world.consumer, checkout_id=result.checkout.pk)
        payment_abandon(consumer=world.consumer, checkout_id=result.checkout.pk)
        assert ask_award_unpaid(order_ids=[result.orders[0].pk]) == 0
    # Once each: the chosen vendor that its order was not paid, the other that the ask is open again.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.second.owner.email, world.first.owner.email])
    assert Offer.objects.get(pk=chosen.pk).state == Offer.State.LIVE


def test_a_paid_award_is_not_touched_by_a_lapse_elsewhere(world):
    ask, chosen, _other, result = _accepted(world)
    pay(result)
    assert ask_award_unpaid(order_ids=[result.orders[0].pk]) == 0
    ask.refresh_from_db()
    assert ask.state == Ask.State.AWARDED and Offer.objects.get(pk=chosen.pk).state == Offer.State.ACCEPTED


def test_a_lapse_that_rolls_back_leaves_the_ask_awarded(world):
    """The ask moves inside the payment's lapse transaction: if that fails, neither changes."""
    from django.db import transaction

    ask, _chosen, _other, result = _accepted(world)

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        payment_abandon(consumer=world.consumer, checkout_id=result.checkout.pk)
        raise Boom
    ask.refresh_from_db()
    assert ask.state == Ask.State.AWARDED
    assert Order.objects.get(pk=result.orders[0].pk).status == Order.Status.AWAITING_PAYMENT


def test_after_an_unpaid_award_the_vendors_whose_offers_it_lapsed_may_offer_again(
    client, world, django_capture_on_commit_callbacks
):
    ask, chosen, other, result = _accepted(world)
    assert Offer.objects.get(pk=other.pk).lapse_reason == LapseReason.ACCEPTED_OTHER
    with pytest.raises(ConflictError):  # while the award stands, its answer is closed
        offer_make(vendor=world.first, ask_id=ask.pk, price="2500", valid_until=in_days(2))
    with django_capture_on_commit_callbacks(execute=True):
        payment_abandon(consumer=world.consumer, checkout_id=result.checkout.pk)

    page = _page(client, world.first.owner, reverse("asks:vendor-ask-detail", args=[ask.pk]))
    assert 'data-testid="offer-renewable"' in page and "Send my offer" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("asks:vendor-offer-make", args=[ask.pk]),
            {
                "price": "2500",
                "included": "Cable",
                "valid_until": in_days(2).strftime("%Y-%m-%dT%H:%M"),
            },
        )
    assert response.status_code == 302
    renewed = Offer.objects.get(pk=other.pk)
    assert (renewed.state, renewed.price, renewed.lapse_reason, renewed.revisions) == (
        Offer.State.LIVE,
        Decimal("2500.00"),
        "",
        0,
    )
    assert [m.to[0] for m in mail.outbox] == [world.consumer.email]  # the consumer hears of the new offer

    # It is an offer like any other: revisable once, and the consumer may accept it and pay.
    offer_make(vendor=world.first, ask_id=ask.pk, price="2450", valid_until=in_days(2))
    with pytest.raises(ConflictError):
        offer_make(vendor=world.first, ask_id=ask.pk, price="2400", valid_until=in_days(2))
    again = offer_accept(consumer=world.consumer, ask_id=ask.pk, offer_id=other.pk, **SHIP)
    assert again.orders[0].total == Decimal("2450.00")
    assert Offer.objects.get(pk=chosen.pk).state == Offer.State.LAPSED


def test_an_offer_that_lapsed_for_another_reason_is_not_made_again_on_a_reopened_ask(
    world, django_capture_on_commit_callbacks
):
    ask, _chosen, other, result = _accepted(world)
    Offer.objects.filter(pk=other.pk).update(lapse_reason=LapseReason.VALID_UNTIL)  # it had run out before
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        payment_abandon(consumer=world.consumer, checkout_id=result.checkout.pk)
    assert not [m for m in mail.outbox if "open again" in m.subject]  # nothing to offer again: not told
    assert Ask.objects.get(pk=ask.pk).state == Ask.State.OPEN
    with pytest.raises(ConflictError):
        offer_make(vendor=world.first, ask_id=ask.pk, price="2500", valid_until=in_days(2))
    assert Offer.objects.get(pk=other.pk).state == Offer.State.LAPSED
