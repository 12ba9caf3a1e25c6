"""Races on PostgreSQL with real threads: a double acceptance, an acceptance racing a withdrawal or the clock,
and two publishes racing the limit never break the rules (one order at most, never an order for a withdrawn
offer or an expired ask)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.asks.models import Ask, Offer
from marketplace.asks.services import ask_draft_create, ask_publish, asks_expire_due, offer_accept, offer_withdraw
from marketplace.kernel.errors import ConflictError
from marketplace.shop.models import Order
from tests.helpers import run_threads

from .conftest import in_days, offer, open_ask

SHIP = {"ship_to_name": "Ada Asker", "ship_to_address": "1 Quay Street"}
RACE = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@RACE
def test_two_acceptances_of_one_offer_make_one_order(world):
    ask = open_ask(world)
    made = offer(world.first, ask)
    results = run_threads(lambda i: offer_accept(consumer=world.consumer, ask_id=ask.pk, offer_id=made.pk, **SHIP), 2)
    assert sum(isinstance(r, ConflictError) for r in results) == 1, results
    assert Order.objects.count() == 1
    assert Ask.objects.get(pk=ask.pk).state == Ask.State.AWARDED


@RACE
def test_two_acceptances_of_two_offers_make_one_order(world):
    ask = open_ask(world)
    offers = [offer(world.first, ask, "100"), offer(world.second, ask, "90")]
    results = run_threads(
        lambda i: offer_accept(consumer=world.consumer, ask_id=ask.pk, offer_id=offers[i].pk, **SHIP), 2
    )
    assert sum(isinstance(r, ConflictError) for r in results) == 1, results
    assert Order.objects.count() == 1
    states = sorted(Offer.objects.filter(ask=ask).values_list("state", flat=True))
    assert states == [Offer.State.ACCEPTED, Offer.State.LAPSED]


@RACE
@pytest.mark.parametrize("attempt", range(3))
def test_withdraw_during_accept_never_leaves_an_order_for_a_withdrawn_offer(world, attempt):
    ask = open_ask(world)
    made = offer(world.first, ask)

    def act(i: int) -> object:
        if i == 0:
            return offer_accept(consumer=world.consumer, ask_id=ask.pk, offer_id=made.pk, **SHIP)
        return offer_withdraw(vendor=world.first, ask_id=ask.pk)

    results = run_threads(act, 2)
    assert sum(isinstance(r, ConflictError) for r in results) == 1, results
    state = Offer.objects.get(pk=made.pk).state
    if Order.objects.exists():
        assert state == Offer.State.ACCEPTED
        assert Ask.objects.get(pk=ask.pk).state == Ask.State.AWARDED
    else:
        assert state == Offer.State.WITHDRAWN
        assert Ask.objects.get(pk=ask.pk).state == Ask.State.OPEN


@RACE
def test_accept_racing_the_clock_after_expiry_makes_no_order(world):
    ask = open_ask(world)
    made = offer(world.first, ask)
    Ask.objects.filter(pk=ask.pk).update(respond_by=timezone.now() - timedelta(milliseconds=1))

    def act(i: int) -> object:
        if i == 0:
            return offer_accept(consumer=world.consumer, ask_id=ask.pk, offer_id=made.pk, **SHIP)
        return asks_expire_due()

    results = run_threads(act, 2)
    assert isinstance(results[0], ConflictError), results
    assert not Order.objects.exists()
    asks_expire_due()
    assert Ask.objects.get(pk=ask.pk).state == Ask.State.EXPIRED
    assert Offer.objects.get(pk=made.pk).state == Offer.State.LAPSED


@RACE
def test_two_publishes_at_once_keep_the_open_asks_limit(world, settings):
    settings.MARKETPLACE = {**settings.MARKETPLACE, "ASKS_OPEN_PER_CATEGORY": 1}
    drafts = [
        ask_draft_create(
            consumer=world.consumer,
            category_id=world.first.category_id,
            title=f"Ask {i}",
            description="D",
            respond_by=in_days(2),
        )
        for i in range(2)
    ]
    results = run_threads(lambda i: ask_publish(consumer=world.consumer, ask_id=drafts[i].pk), 2)
    assert sum(isinstance(r, ConflictError) for r in results) == 1, results
    assert Ask.objects.filter(state=Ask.State.OPEN).count() == 1
