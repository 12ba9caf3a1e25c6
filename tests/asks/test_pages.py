"""The asks' pages: the consumer writes, publishes, compares and accepts; the vendor reads the asks addressed to
it and answers; a vendor that may not see an ask gets 404; texts are escaped; lists run constant queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from marketplace.asks.models import Ask, Offer
from marketplace.shop.models import Order
from tests.helpers import queries_of

from .conftest import in_days, offer, open_ask

pytestmark = pytest.mark.django_db


def _ask_form(world, **extra: object) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {
        "category": world.first.category_id,
        "title": "A DVD player under 3,000",
        "description": "Region-free",
        "budget": "3000",
        "respond_by": in_days(3).strftime("%Y-%m-%dT%H:%M"),
        **extra,
    }


def test_consumer_writes_and_publishes_an_ask_and_sees_how_many_partners_see_it(client, world):
    client.force_login(world.consumer)
    page = client.get(reverse("asks:create"), {"category": world.first.category_id})
    assert "2 partners will see this ask" in page.content.decode()
    assert "each of them knows the ask came from one of their few partners" in page.content.decode()
    response = client.post(reverse("asks:create"), _ask_form(world, publish="1"))
    ask = Ask.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("asks:detail", args=[ask.pk])
    assert ask.state == Ask.State.OPEN
    assert "Addressed to 2 partners" in client.get(response["Location"]).content.decode()


def test_the_audience_answers_htmx_with_a_fragment(client, world):
    client.force_login(world.consumer)
    fragment = client.get(reverse("asks:audience"), {"category": world.elsewhere.category_id}, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    assert "1 partner will see this ask" in fragment.content.decode() and "<html" not in fragment.content.decode()
    assert client.get(reverse("asks:audience"), {"category": "x"}).status_code == 200


def test_bad_ask_form_shows_errors_inline_and_writes_nothing(client, world):
    client.force_login(world.consumer)
    response = client.post(reverse("asks:create"), _ask_form(world, title="", respond_by="2020-01-01T10:00"))
    assert response.status_code == 400
    assert "This field is required" in response.content.decode() or "few words" in response.content.decode()
    response = client.post(reverse("asks:create"), _ask_form(world, respond_by=in_days(30).strftime("%Y-%m-%dT%H:%M")))
    assert response.status_code == 400 and "at most 14 days" in response.content.decode()
    assert not Ask.objects.exists()


def test_vendor_pages_show_the_ask_without_the_consumer_and_404_to_a_non_partner(client, world):
    ask = open_ask(world, title="<script>alert(1)</script> player")
    client.force_login(world.first.owner)
    listing = client.get(reverse("asks:vendor-ask-list")).content.decode()
    assert ask.pseudonym in listing and "&lt;script&gt;" in listing and "<script>alert" not in listing
    detail = client.get(reverse("asks:vendor-ask-detail", args=[ask.pk])).content.decode()
    assert world.consumer.display_name not in detail and world.consumer.email not in detail
    client.force_login(world.outsider.owner)
    assert client.get(reverse("asks:vendor-ask-detail", args=[ask.pk])).status_code == 404
    form = {"price": "10", "valid_until": in_days(1).strftime("%Y-%m-%dT%H:%M")}
    assert client.post(reverse("asks:vendor-offer-make", args=[ask.pk]), form).status_code == 404
    assert ask.title not in client.get(reverse("asks:vendor-ask-list")).content.decode()


def test_vendor_offers_revises_once_and_withdraws_in_the_page(client, world):
    ask = open_ask(world)
    client.force_login(world.first.owner)
    url = reverse("asks:vendor-offer-make", args=[ask.pk])
    form = {"price": "2899", "valid_until": in_days(1).strftime("%Y-%m-%dT%H:%M"), "included": "Cable"}
    assert client.post(url, form).status_code == 302
    assert client.post(url, {**form, "price": "2799"}).status_code == 302
    page = client.get(reverse("asks:vendor-ask-detail", args=[ask.pk])).content.decode()
    assert "revised" in page and "Revise my offer" not in page
    bad = client.post(url, {**form, "price": "-3"})
    assert bad.status_code in (302, 400)
    assert Offer.objects.get().price == Decimal("2799.00")
    client.post(reverse("asks:vendor-offer-withdraw", args=[ask.pk]))
    assert Offer.objects.get().state == Offer.State.WITHDRAWN


def test_bad_offer_form_shows_errors_and_writes_nothing(client, world):
    ask = open_ask(world)
    client.force_login(world.first.owner)
    response = client.post(reverse("asks:vendor-offer-make", args=[ask.pk]), {"price": "abc", "valid_until": "x"})
    assert response.status_code == 400 and "Enter a number" in response.content.decode()
    assert not Offer.objects.exists()


def test_not_interested_in_the_page_is_counted_anonymously_for_the_consumer(client, world):
    ask = open_ask(world)
    client.force_login(world.second.owner)
    client.post(reverse("asks:vendor-not-interested", args=[ask.pk]))
    client.force_login(world.consumer)
    page = client.get(reverse("asks:detail", args=[ask.pk])).content.decode()
    assert "1 partner is not interested" in page and world.second.name not in page


def test_consumer_compares_and_accepts_an_offer_and_pays_it(client, world):
    ask = open_ask(world)
    offer(world.first, ask, "2899")
    chosen = offer(world.second, ask, "2750")
    client.force_login(world.consumer)
    page = client.get(reverse("asks:detail", args=[ask.pk])).content.decode()
    assert page.index("Player Planet") < page.index("Disc Hut")  # cheapest first
    response = client.post(
        reverse("asks:offer-accept", args=[ask.pk, chosen.pk]),
        {"ship_to_name": "Ada Asker", "ship_to_address": "1 Quay Street"},
    )
    order = Order.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "shop:checkout-pay", args=[order.checkout_id]
    )
    assert order.total == Decimal("2750.00") and order.vendor_id == world.second.pk
    client.force_login(world.first.owner)
    assert "Lapsed" in client.get(reverse("asks:vendor-ask-detail", args=[ask.pk])).content.decode()


def test_accept_without_delivery_details_shows_the_form_again(client, world):
    ask = open_ask(world)
    made = offer(world.first, ask)
    client.force_login(world.consumer)
    response = client.post(reverse("asks:offer-accept", args=[ask.pk, made.pk]), {"ship_to_name": ""})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    assert not Order.objects.exists()


def test_cancel_and_report_in_the_page_reach_the_moderators(client, world, moderator):
    ask = open_ask(world)
    made = offer(world.first, ask, "1")
    client.force_login(world.consumer)
    client.post(reverse("asks:offer-report", args=[ask.pk, made.pk]), {"text": "Never in stock"})
    client.post(reverse("asks:cancel", args=[ask.pk]))
    assert Ask.objects.get().state == Ask.State.CANCELLED
    assert client.get(reverse("asks:moderation")).status_code == 403
    client.force_login(moderator)
    page = client.get(reverse("asks:moderation")).content.decode()
    assert "Never in stock" in page and ask.title in page


def test_another_consumer_gets_404_for_my_ask(client, world, other_consumer):
    ask = open_ask(world)
    client.force_login(other_consumer)
    assert client.get(reverse("asks:detail", args=[ask.pk])).status_code == 404


def test_vendor_turns_off_new_ask_emails(client, world, django_capture_on_commit_callbacks):
    from django.core import mail

    client.force_login(world.first.owner)
    client.post(reverse("asks:vendor-ask-settings"), {})
    with django_capture_on_commit_callbacks(execute=True):
        open_ask(world)
    assert [m.to[0] for m in mail.outbox] == [world.second.owner.email]


def test_insights_page_suppresses_small_figures(client, world):
    ask = open_ask(world)
    offer(world.first, ask)
    client.force_login(world.first.owner)
    page = client.get(reverse("asks:vendor-ask-insights")).content.decode()
    assert page.count("too few to show") >= 4


def test_page_lists_run_the_same_queries_for_one_ask_as_for_many(client, world, settings):
    settings.MARKETPLACE = {**settings.MARKETPLACE, "ASKS_OPEN_PER_CATEGORY": 100}
    first = open_ask(world, title="First")
    offer(world.first, first)
    pages = [
        (world.consumer, reverse("asks:list")),
        (world.first.owner, reverse("asks:vendor-ask-list")),
        (world.consumer, reverse("asks:detail", args=[first.pk])),
        (world.consumer, reverse("asks:partners")),
    ]

    def counts() -> list[int]:
        found = []
        for user, url in pages:
            client.force_login(user)
            found.append(len(queries_of(client, url)))
        return found

    counts()
    few = counts()
    for i in range(8):
        ask = open_ask(world, title=f"More {i}")
        offer(world.first, ask)
    offer(world.second, first)
    assert counts() == few


def test_consumer_keeps_a_partner_out_of_asks_from_the_list_page_with_htmx(client, world):
    client.force_login(world.consumer)
    listing = client.get(reverse("asks:list")).content.decode()
    assert f'href="{reverse("asks:partners")}"' in listing and "Keep Player Planet" not in listing
    page = client.get(reverse("asks:partners")).content.decode()
    assert "Keep Player Planet out of my asks" in page and "Keep Disc Hut out of my asks" in page
    assert world.outsider.name not in page
    row = client.post(reverse("asks:mute", args=[world.second.pk]), {"muted": "on"}, HTTP_HX_REQUEST="true")
    assert row.status_code == 200 and "Let Player Planet see my asks" in row.content.decode()
    assert open_ask(world).audience_size == 1
    assert client.post(reverse("asks:mute", args=[world.outsider.pk]), {"muted": "on"}).status_code == 404


def test_admin_shows_asks_and_offers_read_only(client, world):
    from tests.factories import UserFactory

    ask = open_ask(world)
    made = offer(world.first, ask)
    client.force_login(UserFactory(email="root@test.example", is_staff=True, is_superuser=True))
    for name, pk in (("ask", ask.pk), ("offer", made.pk)):
        assert client.get(reverse(f"admin:asks_{name}_changelist")).status_code == 200
        change = reverse(f"admin:asks_{name}_change", args=[pk])
        assert client.get(change).status_code == 200
        assert client.post(change, {"state": "cancelled"}).status_code == 403
    assert client.get(reverse("admin:asks_ask_add")).status_code == 403
    assert Ask.objects.get(pk=ask.pk).state == Ask.State.OPEN


def test_demo_seeds_open_and_awarded_asks_once(world):
    from marketplace.demo.asks import demo_asks_create
    from portfolios.services import membership_start
    from tests.factories import UserFactory

    for _ in range(3):
        membership_start(consumer=UserFactory(), vendor_id=world.first.pk)
    assert demo_asks_create(demo_consumer=world.consumer, demo_vendor=world.first) == 4
    states = sorted(Ask.objects.values_list("state", flat=True))
    assert states == ["awarded", "awarded", "open", "open"]
    assert Order.objects.filter(vendor=world.first, status=Order.Status.PAID).count() == 2
    assert demo_asks_create(demo_consumer=world.consumer, demo_vendor=world.first) == 0


def test_which_partners_see_my_asks_pages_through_every_partner(client, world):
    """A consumer with more partners than a page finds the rest on the next page (the page once stopped at 200)."""
    from portfolios.services import membership_start
    from tests.factories import VendorFactory

    for i in range(25):
        membership_start(consumer=world.consumer, vendor_id=VendorFactory(name=f"Zeta Shop {i:02d}").pk)
    client.force_login(world.consumer)
    first = client.get(reverse("asks:partners")).content.decode()
    second = client.get(reverse("asks:partners") + "?page=2").content.decode()
    names = [f"Zeta Shop {i:02d}" for i in range(25)]
    assert all((name in first) != (name in second) for name in names)
    assert "?page=2" in first and "Keep Zeta Shop 24 out of my asks" in second
    assert client.get(reverse("asks:partners") + "?page=x").status_code == 404
