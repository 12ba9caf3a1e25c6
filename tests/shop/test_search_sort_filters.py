"""Product search sorts (best match, price either way, newest, vendor rating) and filters (price range, in
stock, category), in the page and the API, partners' products still first, each partner at their own price."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from portfolios.services import membership_start
from tests.factories import CategoryFactory, ProductFactory, UserFactory, VendorFactory
from vendors.models import Product

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf():
    mugs, hats = CategoryFactory(name="Mugs", slug="mugs"), CategoryFactory(name="Hats", slug="hats")
    potter, other = VendorFactory(name="Clay Potter"), VendorFactory(name="Other Shop")
    rows = [
        (potter, "Blue mug", "12.00", "8.00", 5, mugs, 3),
        (other, "Green mug", "9.00", None, 0, mugs, 2),
        (other, "Red mug", "15.00", None, 4, mugs, 1),
        (other, "Wool hat mug", "20.00", None, 7, hats, 0),
    ]
    now = timezone.now()
    for vendor, name, price, partner_price, stock, category, days_old in rows:
        product = ProductFactory(
            vendor=vendor,
            name=name,
            price=Decimal(price),
            partner_price=Decimal(partner_price) if partner_price else None,
            stock=stock,
            category=category,
        )
        Product.objects.filter(pk=product.pk).update(created_at=now - timedelta(days=days_old))
    return {"potter": potter}


def _names(client, url: str) -> list[str]:  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 200, url
    return re.findall(r'<h2 class="h3"><a href="[^"]+">([^<]+)</a>', response.content.decode())


def _api(client, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    response = client.get(f"/api/v1/products/?{query}")
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


def test_sorts_by_price_either_way_and_by_newest(client, shelf):
    assert _names(client, "/search/?q=mug&sort=price") == ["Green mug", "Blue mug", "Red mug", "Wool hat mug"]
    assert _names(client, "/search/?q=mug&sort=-price") == ["Wool hat mug", "Red mug", "Blue mug", "Green mug"]
    assert _names(client, "/search/?sort=newest") == ["Wool hat mug", "Red mug", "Green mug", "Blue mug"]
    assert _api(client, "sort=price") == ["Green mug", "Blue mug", "Red mug", "Wool hat mug"]


def test_a_partner_sees_their_partners_products_first_sorted_by_the_price_they_pay(client, shelf, consumer):
    membership_start(consumer=consumer, vendor_id=shelf["potter"].pk)
    client.force_login(consumer)
    assert _names(client, "/search/?q=mug&sort=price") == ["Blue mug", "Green mug", "Red mug", "Wool hat mug"]
    # Their partner price (8.00) is what the price filter reads for them; everyone else pays 12.00.
    assert _names(client, "/search/?q=mug&max_price=10") == ["Blue mug", "Green mug"]
    client.force_login(UserFactory())
    assert _names(client, "/search/?q=mug&max_price=10") == ["Green mug"]


def test_filters_narrow_by_price_range_stock_and_category_in_the_page_and_the_api(client, shelf):
    assert _names(client, "/search/?q=mug&min_price=10&max_price=16&sort=price") == ["Blue mug", "Red mug"]
    assert "Green mug" not in _names(client, "/search/?q=mug&in_stock=on")
    assert _names(client, "/search/?category=hats") == ["Wool hat mug"]
    assert _api(client, "q=mug&category=mugs&in_stock=true&sort=-price") == ["Red mug", "Blue mug"]


def test_bad_filters_are_explained_and_change_nothing(client, shelf):
    page = client.get("/search/?q=mug&min_price=30&max_price=5").content.decode()
    assert "The highest price must not be below the lowest." in page
    assert client.get("/search/?min_price=abc&sort=cheapest").status_code == 200
    bad = client.get("/api/v1/products/?min_price=30&max_price=5&sort=cheapest")
    assert bad.status_code == 400
    assert set(bad.json()) >= {"sort"} or set(bad.json()) >= {"max_price"}
    assert client.get("/api/v1/products/?min_price=abc").status_code == 400
    assert client.get("/api/v1/products/?min_price=30&max_price=5").json() == {
        "max_price": ["The highest price must not be below the lowest."]
    }


def test_a_filtered_search_page_is_kept_for_anonymous_visitors_by_its_filters(client, shelf, settings):
    settings.DEBUG = True  # X-Page-Cache is sent only in debug
    url = "/search/?q=mug&sort=price&in_stock=on"
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert client.get("/search/?q=mug&sort=-price&in_stock=on")["X-Page-Cache"] == "miss"
