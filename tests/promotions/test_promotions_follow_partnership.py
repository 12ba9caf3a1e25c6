"""Rule 3: a running partners-only promotion follows the partnership. A consumer who becomes (or becomes
again) a current, unmuted partner while it runs, and is in its audience, receives it at once, within their
weekly cap, in the feed and at checkout; ending or muting withdraws it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from marketplace.accounts.models import Region
from marketplace.accounts.services import profile_update
from marketplace.shop.models import Order
from portfolios.services import membership_end, membership_set_muted, membership_start
from promotions import services as promo
from promotions.models import Promotion, PromotionDelivery
from promotions.selectors import AudienceSpec, audience_consumers, promotion_feed_for_consumer
from tests.factories import ProductFactory, UserFactory, VendorFactory
from tests.helpers import running_promotion

SHIP = {"ship_to_name": "Sam", "ship_to_address": "1 High Street"}


@pytest.fixture
def dairy(db):
    vendor = VendorFactory(name="Daisy Dairy", slug="daisy-dairy")
    ProductFactory(vendor=vendor, name="Farm butter", price=Decimal("20.00"), stock=50)
    return vendor


@pytest.fixture
def butter(dairy):
    return dairy.products.get()


def _start_partners_promotion(vendor, **extra) -> Promotion:
    """A partners-only promotion that has started: delivered, as the clock does, to the audience of the time."""
    promotion = running_promotion(
        vendor, kind=Promotion.Kind.PARTNERS, title=extra.pop("title", "Butter club 10%"), **extra
    )
    promo.promotion_deliver(promotion=promotion)
    return promotion


def _received(promotion) -> set[int]:
    return set(PromotionDelivery.objects.filter(promotion=promotion).values_list("consumer_id", flat=True))


def _share(consumer, *, region: str = "london", cap: int = 5) -> None:
    profile_update(
        user=consumer,
        region=Region.objects.get(code=region),
        age_band="35-44",
        interests=[],
        share_region=True,
        share_age_band=True,
        share_interests=False,
        weekly_promotion_cap=cap,
    )


@pytest.mark.django_db
def test_consumer_who_becomes_a_partner_during_a_running_promotion_gets_it_at_once_in_feed_and_checkout(
    consumer_client, consumer, dairy, butter, django_capture_on_commit_callbacks
):
    # Given a partners-only promotion already running, delivered to the partners of its start
    early = UserFactory()
    membership_start(consumer=early, vendor_id=dairy.pk)
    promotion = _start_partners_promotion(dairy)
    assert _received(promotion) == {early.pk}

    # When the consumer adds the vendor to their partners (the page's button)
    with django_capture_on_commit_callbacks(execute=True):
        consumer_client.post(reverse("portfolios:add", args=[dairy.pk]))

    # Then they hold it at once, see it in their feed ...
    assert _received(promotion) == {early.pk, consumer.pk}
    assert "Butter club 10%" in consumer_client.get(reverse("portfolios:portfolio")).content.decode()

    # ... and checkout shows it before the order and charges the discounted total
    consumer_client.post(reverse("shop:cart-add", args=[butter.pk]), {"quantity": 1})
    page = consumer_client.get(reverse("shop:checkout")).content.decode()
    assert "Butter club 10%" in page and "Total to pay: £18.00" in page
    with django_capture_on_commit_callbacks(execute=True):
        consumer_client.post(reverse("shop:checkout"), {**SHIP, "idempotency_key": "page-1", "promotion_code": ""})
    order = Order.objects.get(consumer=consumer)
    assert (order.subtotal, order.discount, order.total) == (Decimal("20.00"), Decimal("2.00"), Decimal("18.00"))
    assert order.redemption.promotion == promotion


@pytest.mark.django_db
def test_new_partner_through_the_api_sees_the_promotion_in_cart_and_pays_the_discounted_total(
    consumer, dairy, butter, django_capture_on_commit_callbacks
):
    promotion = _start_partners_promotion(dairy)
    api = APIClient()
    api.force_authenticate(consumer)
    with django_capture_on_commit_callbacks(execute=True):
        assert api.post("/api/v1/portfolio/", {"vendor_id": dairy.pk}, format="json").status_code == 201

    assert [p["title"] for p in api.get("/api/v1/portfolio/feed/").json()["promotions"]] == [promotion.title]
    api.post("/api/v1/cart/items/", {"product_id": butter.pk, "quantity": 2}, format="json")
    cart = api.get("/api/v1/cart/").json()
    assert cart["vendors"][0]["promotion"]["title"] == "Butter club 10%"
    assert (cart["total"], cart["discount"], cart["total_to_pay"]) == ("40.00", "4.00", "36.00")
    with django_capture_on_commit_callbacks(execute=True):
        bought = api.post("/api/v1/checkout/", SHIP, format="json", HTTP_IDEMPOTENCY_KEY="api-1")
    assert bought.status_code == 201
    assert bought.json()["orders"][0]["total"] == "36.00" == cart["total_to_pay"]


@pytest.mark.django_db
def test_a_new_partner_at_their_weekly_cap_receives_nothing_and_pays_full_price(
    consumer, dairy, django_capture_on_commit_callbacks
):
    # Given a consumer who accepts one promotion a week and got one from another partner this week
    _share(consumer, cap=1)
    bakery = VendorFactory()
    membership_start(consumer=consumer, vendor_id=bakery.pk)
    _start_partners_promotion(bakery, title="Bread club")
    assert PromotionDelivery.objects.filter(consumer=consumer).count() == 1
    promotion = _start_partners_promotion(dairy)

    # When they become the dairy's partner
    with django_capture_on_commit_callbacks(execute=True):
        membership_start(consumer=consumer, vendor_id=dairy.pk)

    # Then they are over their cap: no delivery, nothing in the feed, no discount
    assert consumer.pk not in _received(promotion)
    assert promotion not in promotion_feed_for_consumer(consumer=consumer)
    assert promo.promotion_best_for_order(consumer=consumer, vendor_id=dairy.pk, subtotal=Decimal("20.00")) == (
        None,
        Decimal("0.00"),
    )


@pytest.mark.django_db
def test_two_running_promotions_are_given_within_the_cap_in_the_order_they_started(consumer, dairy):
    _share(consumer, cap=1)
    first = _start_partners_promotion(dairy, title="First")
    _start_partners_promotion(dairy, title="Second")
    membership_start(consumer=consumer, vendor_id=dairy.pk)

    assert promo.promotion_deliveries_for_new_partner(consumer_id=consumer.pk, vendor_id=dairy.pk) == 1
    assert list(PromotionDelivery.objects.filter(consumer=consumer).values_list("promotion", flat=True)) == [first.pk]
    # idempotent: a second call (a repeated signal) adds nothing
    assert promo.promotion_deliveries_for_new_partner(consumer_id=consumer.pk, vendor_id=dairy.pk) == 0


@pytest.mark.django_db
def test_only_consumers_in_the_audience_receive_it_exactly_as_the_audience_counts(
    dairy, django_capture_on_commit_callbacks
):
    # Given a running promotion for London partners only
    promotion = _start_partners_promotion(
        dairy, audience=Promotion.Audience.SEGMENT, segment_region=Region.objects.get(code="london")
    )
    londoner, scot, private = UserFactory(), UserFactory(), UserFactory()
    _share(londoner, region="london")
    _share(scot, region="scotland")
    profile_update(
        user=private,
        region=Region.objects.get(code="london"),
        age_band="",
        interests=[],
        share_region=False,
        share_age_band=False,
        share_interests=False,
        weekly_promotion_cap=5,
    )
    spec = AudienceSpec.of(promotion)

    # When all three become partners
    with django_capture_on_commit_callbacks(execute=True):
        for consumer in (londoner, scot, private):
            membership_start(consumer=consumer, vendor_id=dairy.pk)

    # Then only the Londoner who shares their region receives it; the audience agrees on the others
    assert _received(promotion) == {londoner.pk}
    assert not audience_consumers(spec=spec).filter(pk__in=[scot.pk, private.pk]).exists()


@pytest.mark.django_db
def test_ending_withdraws_it_muting_withdraws_it_and_unmuting_gives_a_missed_one(
    consumer, dairy, butter, django_capture_on_commit_callbacks
):
    # Given a partner who received the running promotion on joining
    promotion = _start_partners_promotion(dairy)
    with django_capture_on_commit_callbacks(execute=True):
        membership_start(consumer=consumer, vendor_id=dairy.pk)
    assert list(promotion_feed_for_consumer(consumer=consumer)) == [promotion]
    best = promo.promotion_best_for_order(consumer=consumer, vendor_id=dairy.pk, subtotal=Decimal("20.00"))
    assert best == (promotion, Decimal("2.00"))

    # When they end the partnership, it is gone from the feed and from checkout
    with django_capture_on_commit_callbacks(execute=True):
        membership_end(consumer=consumer, vendor_id=dairy.pk, reason="price")
    assert list(promotion_feed_for_consumer(consumer=consumer)) == []
    assert promo.promotion_best_for_order(consumer=consumer, vendor_id=dairy.pk, subtotal=Decimal("20.00"))[0] is None

    # Given another partner who had muted the dairy when a second promotion started
    muted = UserFactory()
    membership_start(consumer=muted, vendor_id=dairy.pk)
    membership_set_muted(consumer=muted, vendor_id=dairy.pk, muted=True)
    later = _start_partners_promotion(dairy, title="Cream club")
    assert muted.pk not in _received(later)

    # When they unmute, they receive the running ones at once
    with django_capture_on_commit_callbacks(execute=True):
        membership_set_muted(consumer=muted, vendor_id=dairy.pk, muted=False)
    assert {promotion.pk, later.pk} == set(
        PromotionDelivery.objects.filter(consumer=muted).values_list("promotion", flat=True)
    )
    # and muting again withdraws them from their feed and their checkout
    with django_capture_on_commit_callbacks(execute=True):
        membership_set_muted(consumer=muted, vendor_id=dairy.pk, muted=True)
    assert list(promotion_feed_for_consumer(consumer=muted)) == []
    assert promo.promotion_best_for_order(consumer=muted, vendor_id=dairy.pk, subtotal=Decimal("20.00"))[0] is None


@pytest.mark.django_db
def test_a_promotion_that_is_not_running_is_not_given_on_joining(consumer, dairy, django_capture_on_commit_callbacks):
    # Given the dairy's partners-only promotions that are scheduled, paused or over, and a public ad
    others = [
        running_promotion(dairy, kind=Promotion.Kind.PARTNERS, title=state, state=state)
        for state in (Promotion.State.SCHEDULED, Promotion.State.PAUSED, Promotion.State.ENDED)
    ]
    Promotion.objects.filter(pk=others[0].pk).update(starts_at=others[0].ends_at - timedelta(hours=1))
    others.append(running_promotion(dairy, title="Public ad"))

    # When the consumer becomes a partner, none of them is delivered
    with django_capture_on_commit_callbacks(execute=True):
        membership_start(consumer=consumer, vendor_id=dairy.pk)
    assert not PromotionDelivery.objects.filter(promotion__in=others).exists()
