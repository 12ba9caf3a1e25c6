"""Finding 4: the suppression rule lived in four places. marketplace/kernel/privacy.py is now its one home, and every
surface follows settings.MARKETPLACE["STATS_MIN_GROUP"] through it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from marketplace.kernel import privacy
from marketplace.kernel.errors import ConflictError
from marketplace.sell.selectors import promotion_results
from portfolios.models import VendorSegmentStat
from portfolios.selectors.insights import insights_get
from portfolios.services import membership_end
from portfolios.services.stats import stats_reconcile_all
from promotions import services as promo
from promotions.selectors import AudienceSpec, audience_preview
from tests.factories import VendorFactory
from tests.helpers import buy, draft, partners, product_of
from vendors.models import Vendor

# Expectations here are exact released figures: their noise is off (tests/conftest.py exact_release; noise is
# tested in tests/privacy/test_calibration.py).
pytestmark = pytest.mark.usefixtures("exact_release")


def test_suppress_hides_every_count_under_k_zero_included(settings):
    settings.MARKETPLACE = {**settings.MARKETPLACE, "STATS_MIN_GROUP": 5}
    assert [privacy.suppress(n) for n in (None, 0, 1, 4, 5, 6)] == [None, None, None, None, 5, 6]
    assert privacy.count_text(privacy.suppress(0)) == privacy.count_text(privacy.suppress(4)) == "fewer than 5"


def test_round_total_rounds_down_to_a_multiple_of_k_and_is_idempotent(settings):
    settings.MARKETPLACE = {**settings.MARKETPLACE, "STATS_MIN_GROUP": 5}
    assert [privacy.round_total(n) for n in (4, 5, 9, 10, 21, 22, 24, 25)] == [None, 5, 5, 10, 20, 20, 20, 25]
    assert all(privacy.round_total(privacy.round_total(n)) == privacy.round_total(n) for n in range(60))
    assert privacy.count_text(20) == "20–24" and privacy.count_text(1230) == "1,230–1,234"


def test_public_facts_is_idempotent(settings):
    settings.MARKETPLACE = {**settings.MARKETPLACE, "STATS_MIN_GROUP": 5}
    raw = {"partner_count": 23, "ended_recent": 7, "top_end_reasons": [("Price", 6), ("Quality", 1)]}
    once = privacy.public_facts_from({**raw, "rating_average": 4.5, "rating_count": 6})
    assert once["partner_count"] == 20 and once["top_end_reasons"] == [("Price", 5)]
    assert privacy.public_facts_from(once) == once


@pytest.mark.django_db
def test_every_surface_follows_the_one_setting(reference_data, settings, client):
    # Given a vendor with 4 partners in London, one of whom ended for "price": 3 current partners
    shop = VendorFactory(name="Three Shop", slug="three-shop")
    consumers = partners(shop, 4)
    membership_end(consumer=consumers[0], vendor_id=shop.pk, reason="price")
    product = product_of(shop)
    api = APIClient()
    vendor_api = APIClient()
    vendor_api.force_authenticate(shop.owner)

    # With K = 5 every surface suppresses the 3
    settings.MARKETPLACE = {**settings.MARKETPLACE, "STATS_MIN_GROUP": 5}
    stats_reconcile_all()
    promotion = draft(shop)
    assert insights_get(vendor=shop).current_partners is None
    assert vendor_api.get("/api/v1/sell/insights/").json()["current_partners"] is None
    assert audience_preview(spec=AudienceSpec.of(promotion)).size is None
    assert "<dt>Partners</dt><dd>fewer than 5</dd>" in client.get(shop.get_absolute_url()).content.decode()
    assert api.get(f"/api/v1/vendors/{shop.slug}/").json()["facts"]["partner_count"] is None
    assert not VendorSegmentStat.objects.filter(vendor=shop, value="london").exists()
    with pytest.raises(ConflictError):
        promo.promotion_publish(vendor=shop, promotion_id=promotion.pk)

    # When the setting says K = 3
    settings.MARKETPLACE = {**settings.MARKETPLACE, "STATS_MIN_GROUP": 3}
    stats_reconcile_all()
    shop = Vendor.objects.get(pk=shop.pk)

    # Then every surface shows the 3, as a range of 3: statistics, insights, preview, public page, API, publish
    assert VendorSegmentStat.objects.get(vendor=shop, dimension="region", value="london").partners == 3
    insights = insights_get(vendor=shop)
    assert insights.current_partners == 3 and insights.current_partners_text == "3–5"
    assert [row.label for row in insights.segments["region"]] == ["London"]
    assert vendor_api.get("/api/v1/sell/insights/").json()["current_partners"] == 3
    preview = audience_preview(spec=AudienceSpec.of(promotion))
    assert preview.size == 3 and preview.text == "3–5 partners" and preview.publishable
    assert "<dt>Partners</dt><dd>3–5</dd>" in client.get(shop.get_absolute_url()).content.decode()
    facts = api.get(f"/api/v1/vendors/{shop.slug}/").json()["facts"]
    assert facts["partner_count"] == 3 and facts["min_group"] == 3
    published = promo.promotion_publish(vendor=shop, promotion_id=promotion.pk)
    for n, consumer in enumerate(consumers[1:]):
        buy(consumer, product, f"k3-{n}")
    results = promotion_results(promotion=published)
    assert results.reached == 3 and results.redemptions == 3
    client.force_login(shop.owner)
    assert "fewer than 3" in client.get(reverse("sell:insights")).content.decode()
