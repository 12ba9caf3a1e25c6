"""Finding 2: the public vendor page showed "ended in 90 days: 1" with its reason, and a rating averaged over one
rating, while insights suppressed the same figures. Public facts now pass through marketplace.kernel.privacy on every
page that shows them (vendor page, directory card, home, compare) and in the API (null and a flag)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from marketplace.kernel.sql import Scope
from marketplace.shop.models import Order
from marketplace.shop.services import order_rate
from marketplace.shop.services.stats import sales_stats_refresh
from portfolios.selectors import vendor_public_facts
from portfolios.selectors.insights import insights_get
from portfolios.services import membership_end
from portfolios.services.stats import stats_reconcile_all
from tests.factories import VendorFactory
from tests.helpers import buy, partners, product_of
from vendors.models import Vendor

# Expectations here are exact released figures: their noise is off (tests/conftest.py exact_release; noise is
# tested in tests/privacy/test_calibration.py).
pytestmark = pytest.mark.usefixtures("exact_release")


@pytest.fixture
def shop(reference_data):
    return VendorFactory(name="Open Book Shop", slug="open-book")


def _end(consumers, shop, reason: str = "price") -> None:
    for consumer in consumers:
        membership_end(consumer=consumer, vendor_id=shop.pk, reason=reason)


def _rate(consumers, shop, score: int) -> None:
    product = product_of(shop)
    for n, consumer in enumerate(consumers):
        order = buy(consumer, product, f"rate-{consumer.pk}-{n}")
        Order.objects.filter(pk=order.pk).update(status=Order.Status.DELIVERED)
        order_rate(consumer=consumer, order_id=order.pk, score=score)
    sales_stats_refresh(scope=Scope.ids([shop.pk]))


@pytest.fixture
def one_of_each(shop):
    """7 partners, one of whom ended for "price", one rating of 1/5: the finding's page."""
    consumers = partners(shop, 7)
    _end(consumers[:1], shop)
    _rate(consumers[1:2], shop, score=1)
    stats_reconcile_all()
    return consumers


@pytest.mark.django_db
def test_vendor_page_hides_one_ending_its_reason_and_a_single_rating(client, shop, one_of_each):
    page = client.get(shop.get_absolute_url()).content.decode()
    assert "<dt>Partnerships ended (last 90 days)</dt><dd>fewer than 5</dd>" in page
    assert "not shown: fewer than 5 partnerships ended" in page and "Price" not in page
    assert "<dt>Service rating</dt><dd>not enough ratings yet</dd>" in page and "1.0 / 5" not in page
    assert "<dt>Partners</dt><dd>5–9</dd>" in page  # 6 current partners, a range of K


@pytest.mark.django_db
def test_vendor_page_and_insights_agree_on_the_same_figures(client, shop, one_of_each):
    # Public facts vs insights: the ended count under K is suppressed on both.
    insights = insights_get(vendor=shop)
    assert insights.ended_90d is None and vendor_public_facts(vendor=shop)["ended_recent"] is None
    assert insights.current_partners == vendor_public_facts(vendor=shop)["partner_count"] == 5

    # And at K endings both show the same rounded figure, with the reason on the page.
    _end(one_of_each[1:5], shop)
    stats_reconcile_all()
    shop = Vendor.objects.get(pk=shop.pk)  # not the statistics row cached above
    insights = insights_get(vendor=shop)
    assert insights.ended_90d == vendor_public_facts(vendor=shop)["ended_recent"] == 5
    page = client.get(shop.get_absolute_url()).content.decode()
    assert "<dt>Partnerships ended (last 90 days)</dt><dd>5–9</dd>" in page
    assert "Price (5–9)" in page
    assert "<dt>Partners</dt><dd>fewer than 5</dd>" in page  # 2 left


@pytest.mark.django_db
def test_vendor_page_shows_rating_from_k_ratings(client, shop):
    consumers = partners(shop, 5)
    _rate(consumers, shop, score=4)
    stats_reconcile_all()
    page = client.get(shop.get_absolute_url()).content.decode()
    assert "<dt>Service rating</dt><dd>4.0 / 5 (5–9 ratings)</dd>" in page


@pytest.mark.django_db
def test_a_reason_given_fewer_than_k_times_is_not_listed_even_when_the_total_is_shown(client, shop):
    consumers = partners(shop, 9)
    _end(consumers[:5], shop, reason="price")
    _end(consumers[5:6], shop, reason="quality")
    stats_reconcile_all()
    facts = vendor_public_facts(vendor=shop)
    assert facts["ended_recent"] == 5 and facts["top_end_reasons"] == [("Price", 5)]
    page = client.get(shop.get_absolute_url()).content.decode()
    assert "Price (5–9)" in page and "Quality" not in page


@pytest.mark.django_db
def test_api_public_facts_are_null_with_a_flag_under_k(shop, one_of_each):
    api = APIClient()
    detail = api.get(f"/api/v1/vendors/{shop.slug}/").json()
    facts = detail["facts"]
    assert facts["min_group"] == 5
    assert facts["ended_recent"] is None and facts["ended_recent_suppressed"] is True
    assert facts["top_end_reasons"] == []
    assert facts["rating_average"] is None and facts["rating_count"] is None and facts["rating_suppressed"] is True
    assert facts["partner_count"] == 5 and facts["partner_count_suppressed"] is False
    assert detail["rating_average"] is None and detail["rating_suppressed"] is True

    listed = {v["slug"]: v for v in api.get("/api/v1/vendors/").json()["results"]}[shop.slug]
    assert listed["rating_average"] is None and listed["rating_count"] is None and listed["rating_suppressed"]
    assert listed["partner_count"] == 5 and listed["min_group"] == 5


@pytest.mark.django_db
def test_api_public_facts_show_rounded_figures_at_k(shop):
    consumers = partners(shop, 12)
    _rate(consumers[:6], shop, score=5)
    _end(consumers[6:12], shop, reason="not_needed")
    stats_reconcile_all()
    facts = APIClient().get(f"/api/v1/vendors/{shop.slug}/").json()["facts"]
    assert facts["partner_count"] == 5 and facts["ended_recent"] == 5
    assert facts["top_end_reasons"] == [{"reason": "No longer needed", "count": 5}]
    assert Decimal(facts["rating_average"]) == Decimal("5.00") and facts["rating_count"] == 5


@pytest.mark.django_db
def test_directory_home_and_compare_show_public_facts_only(client, shop, one_of_each):
    other = VendorFactory(name="Second Shop", slug="second-shop")
    partners(other, 2)
    stats_reconcile_all()
    directory = client.get(reverse("shop:vendor-list")).content.decode()
    assert "5–9 partners" in directory and "fewer than 5 partners" in directory
    assert "not enough ratings yet" in directory and "★ 1.0" not in directory
    home = client.get(reverse("shop:home")).content.decode()
    assert "5–9 partners" in home and "★ 1.0" not in home
    compare = client.get(reverse("shop:vendor-compare"), {"v": [shop.slug, other.slug]}).content.decode()
    assert "<td>5–9</td>" in compare and "<td>fewer than 5</td>" in compare
    assert "not shown: fewer than 5 partnerships ended" in compare and "Price" not in compare
    assert "1.0 / 5" not in compare
