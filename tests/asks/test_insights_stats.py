"""The vendors' ask insights come from the statistics job (marketplace/asks/services/stats.py): its rows match a
recount of the asks and offers, a second run changes nothing, the 12-week window moves on, and the page and API
read those rows only, in the same number of queries for one ask as for many."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from marketplace.asks.models import AskRecipient, Offer, VendorAskStats, VendorAskWeekStat
from marketplace.asks.services import offer_accept, offer_not_interested
from marketplace.asks.services.stats import ask_stats_refresh
from marketplace.asks.tasks import ask_stats_reconcile_task
from marketplace.kernel.sql import Scope
from portfolios.services import membership_start
from tests.factories import UserFactory
from tests.helpers import queries_of

from .conftest import offer, open_ask

pytestmark = pytest.mark.django_db

SHIP = {"ship_to_name": "Ada Asker", "ship_to_address": "1 Quay Street"}


def _many_asks(world, settings, n: int) -> list:  # type: ignore[no-untyped-def]
    """n asks from n consumers, each answered by the first vendor (priced), the second not interested in one."""
    settings.MARKETPLACE = {**settings.MARKETPLACE, "ASKS_OPEN_PER_CATEGORY": 100, "ASK_OFFERS_PER_VENDOR_DAY": 1000}
    asks = []
    for _ in range(n):
        world.consumer = UserFactory()
        for vendor in (world.first, world.second):
            membership_start(consumer=world.consumer, vendor_id=vendor.pk)
        ask = open_ask(world)
        offer(world.first, ask)
        asks.append(ask)
    return asks


def _stats(vendor) -> VendorAskStats:  # type: ignore[no-untyped-def]
    return VendorAskStats.objects.get(vendor=vendor)


def test_the_job_counts_what_each_vendor_received_answered_and_won(world, settings):
    asks = _many_asks(world, settings, 6)
    offer_not_interested(vendor=world.second, ask_id=asks[0].pk)
    won = Offer.objects.get(ask=asks[1], vendor=world.first)
    offer_accept(consumer=asks[1].consumer, ask_id=asks[1].pk, offer_id=won.pk, **SHIP)
    # One answer came a day after its ask was published: the median of 0,0,0,0,0,24h is still 0.
    Offer.objects.filter(pk=Offer.objects.get(ask=asks[2], vendor=world.first).pk).update(
        created_at=asks[2].published_at + timedelta(hours=24)
    )

    ask_stats_refresh(scope=Scope.ids([world.first.pk, world.second.pk]))

    first, second = _stats(world.first), _stats(world.second)
    assert (first.received, first.answered, first.priced, first.won) == (6, 6, 6, 1)
    assert first.median_answer_seconds is not None and first.median_answer_seconds < 60
    assert (second.received, second.answered, second.priced, second.won) == (6, 1, 0, 0)
    week = timezone.now().date() - timedelta(days=timezone.now().weekday())
    assert list(VendorAskWeekStat.objects.filter(vendor=world.first).values_list("week", "received")) == [(week, 6)]


def test_a_second_run_gives_the_same_figures_and_the_window_moves_on(world, settings):
    asks = _many_asks(world, settings, 3)
    scope = Scope.ids([world.first.pk])
    ask_stats_refresh(scope=scope)
    before = VendorAskStats.objects.values().get(vendor=world.first)
    ask_stats_refresh(scope=scope)
    after = VendorAskStats.objects.values().get(vendor=world.first)
    assert {k: v for k, v in before.items() if k not in ("since", "computed_at")} == {
        k: v for k, v in after.items() if k not in ("since", "computed_at")
    }

    # Thirteen weeks on, nothing of it is in the window: no week rows are left and the totals are zero.
    later = timezone.now() + timedelta(weeks=13)
    ask_stats_refresh(scope=scope, now=later)
    stats = _stats(world.first)
    assert (stats.received, stats.answered, stats.won, stats.median_answer_seconds) == (0, 0, 0, None)
    assert not VendorAskWeekStat.objects.filter(vendor=world.first).exists()
    assert AskRecipient.objects.filter(ask__in=asks, vendor=world.first).count() == 3  # the source is kept


def test_the_hourly_reconcile_refreshes_every_vendor(world, settings):
    _many_asks(world, settings, 2)
    VendorAskStats.objects.all().delete()
    assert ask_stats_reconcile_task() >= 1
    assert _stats(world.first).received == 2 and _stats(world.second).received == 2
    assert _stats(world.outsider).received == 0


def test_the_insights_page_and_api_show_the_job_s_figures_released(client, world, settings):
    settings.MARKETPLACE = {**settings.MARKETPLACE, "PRIVACY_EPSILON": None}
    _many_asks(world, settings, 10)
    ask_stats_refresh(scope=Scope.ids([world.first.pk]))
    api = APIClient()
    api.force_authenticate(world.first.owner)
    body = api.get("/api/v1/sell/asks/insights/").json()
    # No offer won: a count under K, so the share of offers won is not shown at all.
    assert (body["received"], body["answered_share"], body["won_share"], body["median_answer_hours"]) == (
        10,
        1.0,
        None,
        0,
    )
    assert [week["received"] for week in body["weeks"]] == [10]
    client.force_login(world.first.owner)
    page = client.get(reverse("asks:vendor-ask-insights")).content.decode()
    assert "<dd>10</dd>" in page and "<dd>100%</dd>" in page


def test_the_insights_read_the_job_s_rows_in_constant_queries(client, world, settings):
    vendor = world.first
    api = APIClient()
    api.force_authenticate(vendor.owner)
    client.force_login(vendor.owner)

    def read() -> tuple[list[str], list[str]]:
        page = queries_of(client, reverse("asks:vendor-ask-insights"))
        with CaptureQueriesContext(connection) as ctx:
            assert api.get("/api/v1/sell/asks/insights/").status_code == 200
        with_api = [q["sql"] for q in ctx.captured_queries]
        return page, with_api

    _many_asks(world, settings, 1)
    ask_stats_refresh(scope=Scope.ids([vendor.pk]))
    read()  # the first request of a session reads more (the session, the site's caches)
    few_page, few_api = read()
    _many_asks(world, settings, 25)
    ask_stats_refresh(scope=Scope.ids([vendor.pk]))
    many_page, many_api = read()
    assert (len(many_page), len(many_api)) == (len(few_page), len(few_api))
    for sql in (*many_page, *many_api):
        assert '"asks_askrecipient"' not in sql and '"asks_offer"' not in sql and '"asks_ask"' not in sql, sql
