"""Promotions: the clock that moves states, who receives a partners promotion, and the designer's API."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from marketplace.accounts.models import Region
from marketplace.accounts.services import profile_update
from marketplace.kernel.errors import ConflictError
from portfolios.models import PartnerMembership
from portfolios.services import membership_end, membership_start
from promotions import services as promo
from promotions.models import Promotion, PromotionDelivery
from promotions.selectors import AudienceSpec, audience_consumers, audience_preview, promotion_feed_for_consumer
from tests.factories import UserFactory, VendorFactory

# Expectations here are exact released figures: their noise is off (tests/conftest.py exact_release; noise is
# tested in tests/privacy/test_calibration.py).
pytestmark = pytest.mark.usefixtures("exact_release")


@pytest.fixture
def shop(reference_data):
    return VendorFactory(name="Promo Shop")


def _partners(vendor, n: int, *, cap: int = 5) -> list:
    region = Region.objects.get(code="london")
    consumers = []
    for _ in range(n):
        consumer = UserFactory()
        profile_update(
            user=consumer,
            region=region,
            age_band="35-44",
            interests=[],
            share_region=True,
            share_age_band=True,
            share_interests=False,
            weekly_promotion_cap=cap,
        )
        membership_start(consumer=consumer, vendor_id=vendor.pk)
        consumers.append(consumer)
    return consumers


def _draft(vendor, *, starts_in: timedelta = timedelta(minutes=-1), **extra) -> Promotion:
    now = timezone.now()
    return promo.promotion_create(
        vendor=vendor,
        title=extra.pop("title", "Ten off"),
        discount_value=Decimal("10"),
        starts_at=now + starts_in,
        ends_at=now + starts_in + timedelta(days=3),
        **extra,
    )


def _received(promotion: Promotion) -> set[int]:
    return set(PromotionDelivery.objects.filter(promotion=promotion).values_list("consumer_id", flat=True))


@pytest.mark.django_db
def test_promotion_states_advance_starts_on_time_delivers_once_and_ends(shop):
    # Given a partners promotion published for tomorrow (K = 5 partners: publishing refuses fewer)
    partners = _partners(shop, 5)
    promotion = _draft(shop, starts_in=timedelta(days=1))
    promo.promotion_publish(vendor=shop, promotion_id=promotion.pk)
    promotion.refresh_from_db()
    assert promotion.state == Promotion.State.SCHEDULED and not _received(promotion)

    # When the clock passes its start, twice (beat may overlap)
    at_start = promotion.starts_at + timedelta(minutes=1)
    assert promo.promotion_states_advance(now=at_start) == {"started": 1, "ended": 0, "failed": 0, "held": 0}
    assert promo.promotion_states_advance(now=at_start) == {"started": 0, "ended": 0, "failed": 0, "held": 0}

    # Then it runs, every partner received it exactly once
    promotion.refresh_from_db()
    assert promotion.state == Promotion.State.RUNNING
    assert _received(promotion) == {c.pk for c in partners}
    assert PromotionDelivery.objects.filter(promotion=promotion).count() == 5

    # And at its end it ends
    assert promo.promotion_states_advance(now=promotion.ends_at)["ended"] == 1
    promotion.refresh_from_db()
    assert promotion.state == Promotion.State.ENDED


@pytest.mark.django_db
def test_promotion_states_advance_task_is_the_beat_entry(settings):
    from promotions.tasks import promotion_states_advance_task

    entry = settings.CELERY_BEAT_SCHEDULE["promotion-states-advance"]
    assert entry["task"] == promotion_states_advance_task.name == "promotions.tasks.promotion_states_advance_task"
    assert promotion_states_advance_task.delay().get() == {"started": 0, "ended": 0, "failed": 0, "held": 0}


@pytest.mark.django_db
def test_audience_consumers_skips_consumers_over_their_weekly_cap(shop):
    # Given six partners; one accepts a single promotion a week and already got one this week
    relaxed = _partners(shop, 5)
    strict = _partners(shop, 1, cap=1)[0]
    other_shop = VendorFactory()
    _partners(other_shop, 4)
    membership_start(consumer=strict, vendor_id=other_shop.pk)
    promo.promotion_publish(vendor=other_shop, promotion_id=_draft(other_shop).pk)
    assert PromotionDelivery.objects.filter(consumer=strict).count() == 1

    # When this shop publishes a partners promotion
    promotion = promo.promotion_publish(vendor=shop, promotion_id=_draft(shop).pk)

    # Then only the partners under their cap receive it
    assert _received(promotion) == {c.pk for c in relaxed}


@pytest.mark.django_db
def test_audience_preview_of_lapsed_partners_is_a_live_count_equal_to_delivery(shop):
    # Given 12 partners: 6 bought yesterday, 6 last bought 40 days ago
    partners = _partners(shop, 12)
    now = timezone.now()
    recent, lapsed = partners[:6], partners[6:]
    PartnerMembership.objects.filter(vendor=shop).update(started_at=now - timedelta(days=100))
    PartnerMembership.objects.filter(vendor=shop, consumer__in=recent).update(last_order_at=now - timedelta(days=1))
    PartnerMembership.objects.filter(vendor=shop, consumer__in=lapsed).update(last_order_at=now - timedelta(days=40))

    # When the vendor targets partners who have not bought for 30 days
    promotion = _draft(shop, audience=Promotion.Audience.LAPSED, lapsed_days=30)
    preview = audience_preview(spec=AudienceSpec.of(promotion))
    promo.promotion_publish(vendor=shop, promotion_id=promotion.pk)

    # Then the preview says how it was counted, and is who received it (6) rounded down to a multiple of K
    assert preview.source == "live count"
    assert preview.size == 5 and preview.text == "5–9 partners" and len(_received(promotion)) == 6
    assert _received(promotion) == {c.pk for c in lapsed}


@pytest.mark.django_db
def test_promotion_feed_for_consumer_drops_a_partner_the_consumer_ended(shop):
    consumer, *_ = _partners(shop, 5)
    promotion = promo.promotion_publish(vendor=shop, promotion_id=_draft(shop).pk)
    assert list(promotion_feed_for_consumer(consumer=consumer)) == [promotion]

    membership_end(consumer=consumer, vendor_id=shop.pk, reason="quality")

    assert list(promotion_feed_for_consumer(consumer=consumer)) == []
    assert not audience_consumers(spec=AudienceSpec.of(promotion)).filter(pk=consumer.pk).exists()


@pytest.mark.django_db
def test_promotion_update_refuses_a_published_promotion(shop):
    _partners(shop, 5)
    promotion = promo.promotion_publish(vendor=shop, promotion_id=_draft(shop).pk)
    with pytest.raises(ConflictError):
        promo.promotion_update(vendor=shop, promotion_id=promotion.pk, title="Changed")
    promotion.refresh_from_db()
    assert promotion.title == "Ten off"


@pytest.fixture
def api(shop) -> APIClient:
    client = APIClient()
    client.force_authenticate(shop.owner)
    return client


@pytest.mark.django_db
def test_promotion_api_bad_input_answers_400_with_field_errors_and_creates_nothing(api):
    now = timezone.now()
    response = api.post(
        "/api/v1/sell/promotions/",
        {
            "title": "Broken",
            "discount_type": "percent",
            "discount_value": "150",
            "starts_at": now.isoformat(),
            "ends_at": (now - timedelta(days=1)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 400
    assert {"discount_value", "ends_at"} <= set(response.json())
    assert not Promotion.objects.exists()

    segment_without_dimension = api.post(
        "/api/v1/sell/promotions/",
        {
            "title": "Nobody",
            "audience": "segment",
            "discount_value": "5",
            "starts_at": now.isoformat(),
            "ends_at": (now + timedelta(days=1)).isoformat(),
        },
        format="json",
    )
    assert segment_without_dimension.status_code == 400 and "audience" in segment_without_dimension.json()
    assert api.post("/api/v1/sell/promotions/", {"title": ""}, format="json").status_code == 400


@pytest.mark.django_db
def test_promotion_api_answers_404_for_another_vendors_promotion(api):
    other = VendorFactory()
    theirs = _draft(other, title="Theirs")
    base = f"/api/v1/sell/promotions/{theirs.pk}"
    assert api.get(f"{base}/").status_code == 404
    assert api.patch(f"{base}/", {"title": "Mine now"}, format="json").status_code == 404
    assert api.get(f"{base}/preview/").status_code == 404
    assert api.post(f"{base}/publish/").status_code == 404
    assert api.post(f"{base}/end/").status_code == 404
    assert api.get(f"{base}/results/").status_code == 404
    assert api.delete(f"{base}/").status_code == 404
    assert [p["title"] for p in api.get("/api/v1/sell/promotions/").json()["results"]] == []
    theirs.refresh_from_db()
    assert theirs.title == "Theirs" and theirs.state == Promotion.State.DRAFT


@pytest.mark.django_db
def test_promotion_api_publish_twice_answers_409(api, shop):
    _partners(shop, 5)
    promotion = _draft(shop)
    assert api.post(f"/api/v1/sell/promotions/{promotion.pk}/publish/").json()["state"] == "running"
    second = api.post(f"/api/v1/sell/promotions/{promotion.pk}/publish/")
    assert second.status_code == 409 and second.json()["code"] == "conflict"


@pytest.mark.django_db
def test_promotion_states_advance_skips_a_broken_promotion_and_starts_the_others(shop):
    """One vendor cannot stop the clock: a promotion that fails to start (a row written before its fields
    were bounded, with an audience window that overflows) is logged and skipped; the others start."""
    other = VendorFactory(name="Neighbour")
    partners = _partners(other, 6)
    _partners(shop, 6)
    now = timezone.now()
    window = {"starts_at": now - timedelta(minutes=1), "ends_at": now + timedelta(days=1)}
    broken = Promotion.objects.create(
        vendor=shop,
        title="Broken",
        kind=Promotion.Kind.PARTNERS,
        audience=Promotion.Audience.LAPSED,
        lapsed_days=2147483647,
        discount_value=5,
        state=Promotion.State.SCHEDULED,
        **window,
    )
    good = Promotion.objects.create(
        vendor=other,
        title="Good",
        kind=Promotion.Kind.PARTNERS,
        discount_value=5,
        state=Promotion.State.SCHEDULED,
        **window,
    )
    assert promo.promotion_states_advance() == {"started": 1, "ended": 0, "failed": 1, "held": 0}
    broken.refresh_from_db()
    good.refresh_from_db()
    assert broken.state == Promotion.State.SCHEDULED and not _received(broken)
    assert good.state == Promotion.State.RUNNING and _received(good) == {c.pk for c in partners}
