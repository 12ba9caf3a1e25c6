"""The asks through the API: the Done-when journey, 400 with field errors, 404 for a vendor that may not see an
ask, sealed offers, and lists that run the same queries for one row as for many."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from marketplace.asks.models import Ask, Offer
from marketplace.shop.models import Order
from portfolios.services import membership_start
from tests.factories import UserFactory

from .conftest import in_days, offer, open_ask

pytestmark = pytest.mark.django_db


def client_of(user) -> APIClient:  # type: ignore[no-untyped-def]
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_the_journey_through_the_api(world):
    consumer, first, second, outsider = (
        client_of(world.consumer),
        client_of(world.first.owner),
        client_of(world.second.owner),
        client_of(world.outsider.owner),
    )
    audience = consumer.get("/api/v1/asks/audience/", {"category": world.first.category.slug}).json()
    assert audience == {"partners": 2, "allowed": True, "small": True}
    created = consumer.post(
        "/api/v1/asks/",
        {
            "category": world.first.category.slug,
            "title": "A DVD player under 3,000",
            "description": "Region-free",
            "budget": "3000.00",
            "respond_by": in_days(4).isoformat(),
            "publish": True,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    ask_id = created.json()["id"]
    assert created.json()["state"] == "open"

    listed = first.get("/api/v1/sell/asks/").json()["results"]
    assert [a["id"] for a in listed] == [ask_id]
    assert listed[0]["budget"] is None  # the consumer kept it from the vendors
    assert world.consumer.email not in str(listed) and "Ada" not in str(listed)
    assert outsider.get("/api/v1/sell/asks/").json()["results"] == []
    assert outsider.get(f"/api/v1/sell/asks/{ask_id}/").status_code == 404
    body = {"price": "2899.00", "valid_until": in_days(2).isoformat(), "included": "HDMI cable"}
    assert outsider.post(f"/api/v1/sell/asks/{ask_id}/offer/", body, format="json").status_code == 404

    assert first.post(f"/api/v1/sell/asks/{ask_id}/offer/", body, format="json").status_code == 201
    second_body = {**body, "price": "2750.00"}
    assert second.post(f"/api/v1/sell/asks/{ask_id}/offer/", second_body, format="json").status_code == 201
    # Sealed: each vendor reads its own offer only.
    mine = first.get(f"/api/v1/sell/asks/{ask_id}/").json()
    assert mine["offer"]["price"] == "2899.00" and "2750" not in str(mine)

    compared = consumer.get(f"/api/v1/asks/{ask_id}/").json()
    assert [(o["vendor_name"], o["price"]) for o in compared["offers"]] == [
        ("Player Planet", "2750.00"),
        ("Disc Hut", "2899.00"),
    ]
    chosen = compared["offers"][1]["id"]
    accepted = consumer.post(
        f"/api/v1/asks/{ask_id}/offers/{chosen}/accept/",
        {"ship_to_name": "Ada Asker", "ship_to_address": "1 Quay Street"},
        format="json",
    )
    assert accepted.status_code == 201, accepted.content
    order = Order.objects.get(pk=accepted.json()["orders"][0]["id"])
    assert (order.vendor_id, order.total) == (world.first.pk, Decimal("2899.00"))
    assert second.get(f"/api/v1/sell/asks/{ask_id}/").json()["offer"]["state"] == "lapsed"
    assert consumer.get(f"/api/v1/asks/{ask_id}/").json()["state"] == "awarded"


def test_bad_input_answers_400_with_field_errors_and_writes_nothing(world):
    consumer = client_of(world.consumer)
    body = {
        "category": world.first.category.slug,
        "title": "",
        "description": "x",
        "respond_by": in_days(2).isoformat(),
    }
    blank = consumer.post("/api/v1/asks/", body, format="json")
    assert blank.status_code == 400 and list(blank.json()) == ["title"]
    too_far = consumer.post(
        "/api/v1/asks/", {**body, "title": "T", "respond_by": in_days(20).isoformat()}, format="json"
    )
    assert too_far.status_code == 400 and "at most 14 days" in too_far.json()["respond_by"][0]
    assert not Ask.objects.exists()
    ask = open_ask(world)
    bad = client_of(world.first.owner).post(
        f"/api/v1/sell/asks/{ask.pk}/offer/", {"price": "-1", "valid_until": "soon"}, format="json"
    )
    assert bad.status_code == 400 and {"price", "valid_until"} <= bad.json().keys()
    assert not Offer.objects.exists()
    missing = consumer.get("/api/v1/asks/audience/", {"category": "x"})
    assert missing.status_code == 400 and "category" in missing.json()


def test_refused_moves_answer_409_and_other_peoples_asks_404(world, other_consumer):
    ask = open_ask(world)
    made = offer(world.first, ask)
    consumer = client_of(world.consumer)
    assert consumer.post(f"/api/v1/asks/{ask.pk}/publish/").status_code == 409
    other = client_of(other_consumer)
    assert other.get(f"/api/v1/asks/{ask.pk}/").status_code == 404
    assert other.post(f"/api/v1/asks/{ask.pk}/cancel/").status_code == 404
    ship = {"ship_to_name": "X", "ship_to_address": "Y"}
    assert other.post(f"/api/v1/asks/{ask.pk}/offers/{made.pk}/accept/", ship, format="json").status_code == 404
    vendor = client_of(world.first.owner)
    assert vendor.post(f"/api/v1/sell/asks/{ask.pk}/not-interested/").status_code == 409
    assert vendor.post(f"/api/v1/sell/asks/{ask.pk}/withdraw/").status_code == 200
    assert consumer.post(f"/api/v1/asks/{ask.pk}/offers/{made.pk}/accept/", ship, format="json").status_code == 409


def test_mute_keeps_a_partner_out_of_asks(world):
    consumer = client_of(world.consumer)
    assert consumer.post(f"/api/v1/asks/partners/{world.second.pk}/mute/", {"muted": True}, format="json").json() == {
        "muted": True
    }
    ask = open_ask(world)
    assert client_of(world.second.owner).get(f"/api/v1/sell/asks/{ask.pk}/").status_code == 404
    assert consumer.post("/api/v1/asks/partners/999999/mute/", {"muted": True}, format="json").status_code == 404


def _count(api: APIClient, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(url, {"page_size": 100})
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


def test_api_lists_run_the_same_queries_for_one_ask_as_for_many(world, settings):
    settings.MARKETPLACE = {**settings.MARKETPLACE, "ASKS_OPEN_PER_CATEGORY": 100}
    consumer, vendor = client_of(world.consumer), client_of(world.first.owner)
    first_ask = open_ask(world, title="First")
    offer(world.first, first_ask)
    urls = ["/api/v1/asks/", "/api/v1/sell/asks/", f"/api/v1/asks/{first_ask.pk}/"]
    [_count(c, u) for c, u in zip((consumer, vendor, consumer), urls, strict=True)]
    few = [_count(c, u) for c, u in zip((consumer, vendor, consumer), urls, strict=True)]
    for i in range(6):
        ask = open_ask(world, title=f"More {i}")
        offer(world.first, ask)
    for i in range(4):  # more partners and their offers on the first ask
        from tests.factories import VendorFactory

        vendor_i = VendorFactory(category=world.first.category)
        membership_start(consumer=world.consumer, vendor_id=vendor_i.pk)
        from marketplace.asks.models import AskRecipient

        AskRecipient.objects.create(ask=first_ask, vendor=vendor_i, published_at=first_ask.published_at)
        offer(vendor_i, first_ask, f"{100 + i}")
    many = [_count(c, u) for c, u in zip((consumer, vendor, consumer), urls, strict=True)]
    assert many == few


def test_insights_are_suppressed_under_k(world):
    ask = open_ask(world)
    offer(world.first, ask)
    insights = client_of(world.first.owner).get("/api/v1/sell/asks/insights/").json()
    assert insights["received"] is None and insights["answered_share"] is None
    assert insights["median_answer_hours"] is None
    assert all(week["received"] is None for week in insights["weeks"])


def test_insights_show_released_figures_from_k_asks(world, settings, django_capture_on_commit_callbacks):
    settings.MARKETPLACE = {**settings.MARKETPLACE, "ASKS_OPEN_PER_CATEGORY": 100, "PRIVACY_EPSILON": None}
    askers = [UserFactory() for _ in range(10)]
    for asker in askers:
        membership_start(consumer=asker, vendor_id=world.first.pk)
        world.consumer = asker
        # Each publish and answer queues a refresh of the vendor's ask figures after its commit.
        with django_capture_on_commit_callbacks(execute=True):
            ask = open_ask(world)
            offer(world.first, ask)
    insights = client_of(world.first.owner).get("/api/v1/sell/asks/insights/").json()
    assert insights["received"] == 10
    assert insights["answered_share"] == 1.0
    assert insights["median_answer_hours"] == 0
