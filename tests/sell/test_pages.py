"""Workspace list pages run the same number of queries for a few rows or many."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from marketplace.shop.services import cart_add
from promotions import services as promo
from tests.factories import ProductFactory, UserFactory, VendorFactory
from tests.payments import checkout_and_pay

PAGES = [
    "sell:product-list",
    "sell:order-list",
    "sell:promotion-list",
    "sell:insights",
    "sell:workspace",
    "sell:payouts",
]


def _grow(vendor, n: int) -> None:
    now = timezone.now()
    for i in range(n):
        product = ProductFactory(vendor=vendor, stock=5, partner_price=Decimal("8.00"))
        buyer = UserFactory()
        cart_add(consumer=buyer, product_id=product.pk)
        checkout_and_pay(buyer, f"k{i}", ship_to_name="B", ship_to_address="Street 1")
        promo.promotion_create(
            vendor=vendor, title=f"P{i}", discount_value=Decimal("5"), starts_at=now, ends_at=now + timedelta(days=1)
        )


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
def test_workspace_pages_query_count_does_not_grow_with_rows(client, page):
    # Given a vendor with 2 products, orders and promotions, its page read once before they were written (so
    # both reads below are first renders after writes: what is kept for the page was renewed by them)
    vendor = VendorFactory()
    client.force_login(vendor.owner)
    url = reverse(page)
    client.get(url)
    _grow(vendor, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200

    # When it has 12 of each
    _grow(vendor, 10)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    # Then the page runs the same number of queries
    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.django_db
def test_workspace_pages_send_anonymous_users_to_log_in_and_non_vendors_to_apply(client):
    for page in PAGES:
        assert client.get(reverse(page)).status_code == 302
    client.force_login(UserFactory())
    response = client.get(reverse("sell:product-list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("sell:apply"))


# --- Catalogue and orders a page at a time ---------------------------------------------------------------


def _catalogue(vendor, n: int, prefix: str = "Tea") -> None:  # type: ignore[no-untyped-def]
    for i in range(n):
        ProductFactory(vendor=vendor, name=f"{prefix} {i:02}", stock=5)


def _orders(vendor, n: int, prefix: str = "Buyer") -> None:  # type: ignore[no-untyped-def]
    """n orders of one unit each, placed one after the other (so the newest is `prefix n-1`)."""
    product = ProductFactory(vendor=vendor, stock=n)
    for i in range(n):
        buyer = UserFactory()
        cart_add(consumer=buyer, product_id=product.pk)
        checkout_and_pay(buyer, f"{prefix}{i}", ship_to_name=f"{prefix} {i:02}", ship_to_address="Lane 1")


def _page_queries(client, url: str, params: dict[str, str]) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_catalogue_shows_fifty_products_a_page_and_only_the_vendors_own(client):
    # Given a vendor with 60 products and another vendor with products of the same names
    vendor = VendorFactory()
    _catalogue(vendor, 60)
    _catalogue(VendorFactory(), 3, prefix="Rival")
    client.force_login(vendor.owner)
    url = reverse("sell:product-list")

    # When the vendor opens the catalogue
    first = client.get(url).content.decode()

    # Then page 1 shows the first 50 by name, a Next link and no Previous link
    assert "Tea 00" in first and "Tea 49" in first and "Tea 50" not in first
    assert 'rel="next"' in first and "page=2" in first and 'rel="prev"' not in first
    assert "Products 1–50" in first and "Rival" not in first

    # And page 2 shows the other 10, a Previous link and no Next link
    second = client.get(url, {"page": 2}).content.decode()
    assert "Tea 50" in second and "Tea 59" in second and "Tea 49" not in second
    assert 'rel="prev"' in second and 'rel="next"' not in second and "Rival" not in second
    assert client.get(url, {"page": 3}).status_code == 404


@pytest.mark.django_db
def test_catalogue_pages_keep_the_search(client):
    vendor = VendorFactory()
    _catalogue(vendor, 55)
    _catalogue(vendor, 5, prefix="Coffee")
    client.force_login(vendor.owner)
    url = reverse("sell:product-list")

    first = client.get(url, {"q": "tea"}).content.decode()
    assert "q=tea&amp;page=2" in first and "Coffee" not in first

    second = client.get(url, {"q": "tea", "page": 2}).content.decode()
    assert "Tea 54" in second and "Coffee" not in second and "q=tea&amp;page=1" in second


@pytest.mark.django_db
def test_catalogue_stock_and_sale_forms_return_to_the_same_page(client):
    # Given a vendor on page 2 of its catalogue
    vendor = VendorFactory()
    _catalogue(vendor, 60)
    client.force_login(vendor.owner)
    here = reverse("sell:product-list") + "?q=Tea&page=2"
    page = client.get(here).content.decode()
    assert 'name="next" value="/sell/products/?q=Tea&amp;page=2"' in page
    product = vendor.products.get(name="Tea 55")

    # When they adjust a product's stock and hide it from there
    stocked = client.post(reverse("sell:product-stock", args=[product.pk]), {"delta": "3", "next": here})
    hidden = client.post(reverse("sell:product-active", args=[product.pk]), {"next": here})

    # Then both take them back to the same page, with the changes made
    assert stocked.status_code == 302 and stocked["Location"] == here
    assert hidden.status_code == 302 and hidden["Location"] == here
    product.refresh_from_db()
    assert product.stock == 8 and not product.active
    # A bad amount also goes back there; a `next` off this site goes to the catalogue instead
    stock_url = reverse("sell:product-stock", args=[product.pk])
    assert client.post(stock_url, {"delta": "x", "next": here})["Location"] == here
    away = client.post(stock_url, {"delta": "1", "next": "https://evil.example/"})
    assert away["Location"] == reverse("sell:product-list")


@pytest.mark.django_db
def test_orders_show_twenty_five_a_page_newest_first_and_only_the_vendors_own(client):
    # Given a vendor with 30 orders and another vendor with orders of its own
    vendor = VendorFactory()
    _orders(vendor, 30)
    _orders(VendorFactory(), 2, prefix="Stranger")
    client.force_login(vendor.owner)
    url = reverse("sell:order-list")

    # When the vendor opens its orders
    first = client.get(url).content.decode()

    # Then page 1 shows the newest 25 and a Next link; page 2 the oldest 5 and a Previous link
    assert "Buyer 29" in first and "Buyer 05" in first and "Buyer 04" not in first
    assert 'rel="next"' in first and 'rel="prev"' not in first and "Stranger" not in first
    second = client.get(url, {"page": 2}).content.decode()
    assert "Buyer 04" in second and "Buyer 00" in second and "Buyer 05" not in second
    assert 'rel="prev"' in second and 'rel="next"' not in second and "Stranger" not in second


@pytest.mark.django_db
def test_order_pages_keep_the_status_filter(client):
    vendor = VendorFactory()
    _orders(vendor, 30)
    client.force_login(vendor.owner)
    url = reverse("sell:order-list")
    first = client.get(url, {"status": "paid"}).content.decode()
    assert "status=paid&amp;page=2" in first
    assert "status=paid&amp;page=1" in client.get(url, {"status": "paid", "page": 2}).content.decode()
    # Another state has none of them, and no page links
    shipped = client.get(url, {"status": "shipped"}).content.decode()
    assert "No orders in this state" in shipped and 'rel="next"' not in shipped


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("page", "fill", "pages_of_60"), [("sell:product-list", _catalogue, 2), ("sell:order-list", _orders, 3)]
)
def test_workspace_list_pages_run_the_same_queries_for_30_rows_as_for_60(client, page, fill, pages_of_60):
    vendor = VendorFactory()
    client.force_login(vendor.owner)
    url = reverse(page)
    fill(vendor, 30, "A")
    client.get(url)  # warm per-session lookups
    few = _page_queries(client, url, {})
    fill(vendor, 30, "B")
    # Every page of 60 rows, full ones and the last, shorter one, runs what page 1 of 30 ran
    many = [_page_queries(client, url, {"page": str(n)}) for n in range(1, pages_of_60 + 1)]
    assert many == [few] * pages_of_60


@pytest.mark.django_db
def test_a_catalogue_row_shows_its_change_on_the_next_page_and_its_forms_carry_the_visitors_own_token():
    import re

    from django.test import Client

    vendor = VendorFactory()
    _catalogue(vendor, 3)
    product = vendor.products.order_by("name").first()
    client = Client(enforce_csrf_checks=True)
    client.force_login(vendor.owner)
    url = reverse("sell:product-list")
    page = client.get(url).content.decode()
    assert "__csrf_token__" not in page
    token = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[0]
    client.post(
        reverse("sell:product-stock", args=[product.pk]), {"delta": "7", "next": url, "csrfmiddlewaretoken": token}
    )
    client.post(reverse("sell:product-active", args=[product.pk]), {"next": url, "csrfmiddlewaretoken": token})
    product.refresh_from_db()
    assert not product.active
    rows = client.get(url).content.decode().split("<tr>")
    row = next(r for r in rows if f'id="delta-{product.pk}"' in r)
    assert f"<td>{product.stock}" in row and product.stock == 12 and "Hidden" in row and "Put on sale" in row


@pytest.mark.django_db
def test_the_orders_page_counts_each_orders_items(client):
    import re

    vendor = VendorFactory()
    buyer = UserFactory()
    for name in ("Honey", "Jam"):
        cart_add(consumer=buyer, product_id=ProductFactory(vendor=vendor, name=name, stock=5).pk)
    checkout_and_pay(buyer, "two-lines", ship_to_name="Ann", ship_to_address="Street 1")
    client.force_login(vendor.owner)
    page = client.get(reverse("sell:order-list")).content.decode()
    row = re.search(r"<td>Ann[^<]*</td>\s*<td>(\d+)</td>", page)
    assert row is not None and row.group(1) == "2"
