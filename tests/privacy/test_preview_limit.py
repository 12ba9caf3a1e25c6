"""A vendor may ask for PREVIEW_DAILY_LIMIT fresh audience previews a day (marketplace.kernel.privacy.preview_ask): each
fresh question about the data draws new noise, so their number is the budget. A re-read is free (the same answer);
over the limit the last answer to the question comes back, marked, or a clear message: never an error page."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from marketplace.accounts.models import AgeBand, Region
from promotions import services as promo
from promotions.models import Promotion
from promotions.selectors import AudienceSpec, audience_preview
from tests.factories import VendorFactory
from tests.helpers import draft, partners

LIMIT = 3


@pytest.fixture
def shop(reference_data, settings):
    settings.MARKETPLACE = {**settings.MARKETPLACE, "STATS_MIN_GROUP": 5, "PREVIEW_DAILY_LIMIT": LIMIT}
    shop = VendorFactory(name="Busy Designer")
    partners(shop, 30, region="london", age_band="35-44")
    return shop


def _segment(shop, age_band: str) -> Promotion:
    london = Region.objects.get(code="london")
    return draft(shop, audience=Promotion.Audience.SEGMENT, segment_region=london, segment_age_band=age_band)


@pytest.mark.django_db
def test_fresh_previews_stop_at_the_daily_limit_and_re_reads_stay_free(shop, client):
    drafts = [_segment(shop, band) for band in list(AgeBand.values)[: LIMIT + 1]]
    first = [audience_preview(spec=AudienceSpec.of(p)) for p in drafts[:LIMIT]]
    assert not any(p.limited for p in first)

    # Re-reading an answered question costs nothing and reads the same
    again = audience_preview(spec=AudienceSpec.of(drafts[0]))
    assert (again.size, again.too_frequent, again.text, again.limited) == (
        first[0].size,
        first[0].too_frequent,
        first[0].text,
        False,
    )

    # A new question past the limit is not answered: no figure, a message, and the page and API still answer
    over = audience_preview(spec=AudienceSpec.of(drafts[LIMIT]))
    assert over.limited and over.size is None and over.text == "No fresh preview left today"
    client.force_login(shop.owner)
    page = client.get(reverse("sell:promotion-edit", args=[drafts[LIMIT].pk]))
    assert page.status_code == 200 and "fresh audience previews today" in page.content.decode()
    api = APIClient()
    api.force_authenticate(shop.owner)
    answer = api.get(f"/api/v1/sell/promotions/{drafts[LIMIT].pk}/preview/")
    assert answer.status_code == 200 and answer.json()["limited"] is True and answer.json()["size"] is None


@pytest.mark.django_db
def test_past_the_limit_a_changed_audience_shows_its_last_answer(shop):
    promotion = _segment(shop, "35-44")
    answered = audience_preview(spec=AudienceSpec.of(promotion))
    for band in ("18-24", "25-34"):
        audience_preview(spec=AudienceSpec.of(_segment(shop, band)))

    # When the audience changes (a new partner), asking again is a fresh question: over the limit, the last
    # answer comes back, marked
    partners(shop, 1, region="london", age_band="35-44")
    again = audience_preview(spec=AudienceSpec.of(promotion))
    assert again.limited and again.size == answered.size and again.too_frequent == answered.too_frequent


@pytest.mark.django_db
def test_publishing_a_new_audience_past_the_limit_waits_with_a_clear_refusal(shop):
    for band in ("18-24", "25-34", "45-54"):
        audience_preview(spec=AudienceSpec.of(_segment(shop, band)))
    promotion = _segment(shop, "35-44")
    api = APIClient()
    api.force_authenticate(shop.owner)
    answer = api.post(f"/api/v1/sell/promotions/{promotion.pk}/publish/")
    assert answer.status_code == 409 and answer.json()["code"] == "preview_limit"
    assert Promotion.objects.get(pk=promotion.pk).state == Promotion.State.DRAFT
    with pytest.raises(promo.PreviewLimitError):
        promo.promotion_publish(vendor=shop, promotion_id=promotion.pk)
