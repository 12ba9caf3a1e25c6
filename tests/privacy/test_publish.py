"""Finding 1: a partners-only promotion for a tiny audience could be published and delivered, and the one buyer
who redeemed it then appeared on the vendor's order, placing that person in the segment. Publishing (page,
API, service) and the clock's scheduled start now refuse any audience under K."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from marketplace.accounts.models import Region
from marketplace.kernel.errors import ConflictError
from portfolios.services import membership_end, membership_set_muted
from portfolios.services.stats import stats_reconcile_all
from promotions import services as promo
from promotions.models import Promotion, PromotionDelivery
from promotions.selectors import AudienceSpec, audience_preview
from tests.factories import VendorFactory
from tests.helpers import draft, partners

# Expectations here are exact released figures: their noise is off (tests/conftest.py exact_release; noise is
# tested in tests/privacy/test_calibration.py).
pytestmark = pytest.mark.usefixtures("exact_release")


@pytest.fixture
def shop(reference_data):
    return VendorFactory(name="Tiny Segment Shop")


@pytest.fixture
def owner_client(client, shop):
    client.force_login(shop.owner)
    return client


@pytest.fixture
def api(shop) -> APIClient:
    client = APIClient()
    client.force_authenticate(shop.owner)
    return client


def _delivered(promotion: Promotion) -> int:
    return PromotionDelivery.objects.filter(promotion=promotion).count()


@pytest.mark.django_db
def test_promotion_publish_refuses_a_segment_of_one_and_delivers_nothing(shop):
    # Given 8 partners, only one of them in the North, aged 25–34 (finding 1: "fewer than 5")
    partners(shop, 7)
    partners(shop, 1, region="north", age_band="25-34", interest="cycling")
    stats_reconcile_all()
    promotion = draft(
        shop,
        audience=Promotion.Audience.SEGMENT,
        segment_region=Region.objects.get(code="north"),
        segment_age_band="25-34",
    )
    assert audience_preview(spec=AudienceSpec.of(promotion)).text == "Fewer than 5 partners"

    # When the vendor publishes it anyway
    with pytest.raises(ConflictError) as refused:
        promo.promotion_publish(vendor=shop, promotion_id=promotion.pk)

    # Then it is refused with the reason, stays a draft, and reached nobody (so nobody can redeem it)
    assert refused.value.code == "audience_too_small"
    assert "fewer than 5 partners" in str(refused.value)
    promotion.refresh_from_db()
    assert promotion.state == Promotion.State.DRAFT and _delivered(promotion) == 0


@pytest.mark.django_db
def test_promotion_publish_counts_the_live_audience_with_every_delivery_rule(shop):
    # Given 6 partners in the statistics (the preview says 5–9), then two of them mute the vendor
    consumers = partners(shop, 6)
    stats_reconcile_all()
    promotion = draft(shop)
    assert audience_preview(spec=AudienceSpec.of(promotion)).text == "5–9 partners"
    for consumer in consumers[:2]:
        membership_set_muted(consumer=consumer, vendor_id=shop.pk, muted=True)

    # When publishing: the live count (unmuted partners under their cap) is 4
    with pytest.raises(ConflictError):
        promo.promotion_publish(vendor=shop, promotion_id=promotion.pk)
    assert _delivered(promotion) == 0

    # And with one more partner it is 5: published and delivered to exactly those 5
    partners(shop, 1)
    published = promo.promotion_publish(vendor=shop, promotion_id=promotion.pk)
    assert published.state == Promotion.State.RUNNING and _delivered(promotion) == 5


@pytest.mark.django_db
def test_promotion_publish_for_later_refuses_an_audience_under_k_now(shop):
    partners(shop, 4)
    promotion = draft(shop, starts_in=timedelta(days=1))
    with pytest.raises(ConflictError):
        promo.promotion_publish(vendor=shop, promotion_id=promotion.pk)
    promotion.refresh_from_db()
    assert promotion.state == Promotion.State.DRAFT


@pytest.mark.django_db
def test_promotion_states_advance_holds_a_start_whose_audience_fell_under_k(shop, owner_client):
    # Given a promotion scheduled for tomorrow while 5 partners could be reached
    consumers = partners(shop, 5)
    promotion = draft(shop, starts_in=timedelta(days=1))
    promo.promotion_publish(vendor=shop, promotion_id=promotion.pk)
    membership_end(consumer=consumers[0], vendor_id=shop.pk, reason="price")

    # When the clock passes its start with only 4 left
    at_start = promotion.starts_at + timedelta(minutes=1)
    assert promo.promotion_states_advance(now=at_start) == {"started": 0, "ended": 0, "failed": 0, "held": 1}

    # Then nothing was sent, it is still scheduled, and the designer page says why
    promotion.refresh_from_db()
    assert promotion.state == Promotion.State.SCHEDULED and _delivered(promotion) == 0
    Promotion.objects.filter(pk=promotion.pk).update(starts_at=timezone.now() - timedelta(minutes=1))  # time passes
    page = owner_client.get(reverse("sell:promotion-edit", args=[promotion.pk])).content.decode()
    assert "Not started" in page and "fewer than 5 partners" in page

    # And once a fifth partner can be reached, the next run starts it
    partners(shop, 1)
    assert promo.promotion_states_advance(now=at_start + timedelta(minutes=1))["started"] == 1
    promotion.refresh_from_db()
    assert promotion.state == Promotion.State.RUNNING and _delivered(promotion) == 5


@pytest.mark.django_db
def test_promotion_designer_disables_publish_and_says_why_under_k(shop, owner_client):
    # Given a draft whose audience is 4 partners
    partners(shop, 4)
    stats_reconcile_all()
    promotion = draft(shop)
    url = reverse("sell:promotion-edit", args=[promotion.pk])

    # Then the Publish button is disabled and the reason is next to it
    page = owner_client.get(url).content.decode()
    assert '<button type="submit" disabled aria-describedby="publish-why">Publish</button>' in page
    assert "cannot be published" in page

    # And posting publish anyway (an old tab) is refused with the same reason, changing nothing
    response = owner_client.post(reverse("sell:promotion-action", args=[promotion.pk, "publish"]), follow=True)
    assert "cannot be published" in response.content.decode()
    promotion.refresh_from_db()
    assert promotion.state == Promotion.State.DRAFT and _delivered(promotion) == 0

    # And at K partners the button is enabled
    partners(shop, 1)
    stats_reconcile_all()
    page = owner_client.get(url).content.decode()
    assert '<button type="submit">Publish</button>' in page and "publish-why" not in page


@pytest.mark.django_db
def test_promotion_api_publish_under_k_answers_409_with_the_reason(shop, api):
    partners(shop, 3)
    stats_reconcile_all()
    promotion = draft(shop)
    preview = api.get(f"/api/v1/sell/promotions/{promotion.pk}/preview/").json()
    assert preview["size"] is None and preview["suppressed"] is True
    assert preview["publishable"] is False and "cannot be published" in preview["publish_refusal"]

    response = api.post(f"/api/v1/sell/promotions/{promotion.pk}/publish/")
    assert response.status_code == 409
    assert response.json()["code"] == "audience_too_small"
    assert "fewer than 5 partners" in response.json()["detail"]
    assert api.get(f"/api/v1/sell/promotions/{promotion.pk}/").json()["state"] == "draft"
    assert _delivered(promotion) == 0


@pytest.mark.django_db
def test_public_ads_publish_without_an_audience(shop):
    promotion = draft(shop, kind=Promotion.Kind.PUBLIC)
    assert promo.promotion_publish(vendor=shop, promotion_id=promotion.pk).state == Promotion.State.RUNNING
