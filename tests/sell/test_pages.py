"""Workspace list pages run the same number of queries for a few rows or many."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from marketplace.shop.services import cart_add, checkout_place
from promotions import services as promo
from tests.factories import ProductFactory, UserFactory, VendorFactory

PAGES = ["sell:product-list", "sell:order-list", "sell:promotion-list", "sell:insights", "sell:workspace"]


def _grow(vendor, n: int) -> None:
    now = timezone.now()
    for i in range(n):
        product = ProductFactory(vendor=vendor, stock=5, partner_price=Decimal("8.00"))
        buyer = UserFactory()
        cart_add(consumer=buyer, product_id=product.pk)
        checkout_place(consumer=buyer, idempotency_key=f"k{i}", ship_to_name="B", ship_to_address="Street 1")
        promo.promotion_create(
            vendor=vendor, title=f"P{i}", discount_value=Decimal("5"), starts_at=now, ends_at=now + timedelta(days=1)
        )


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
def test_workspace_pages_query_count_does_not_grow_with_rows(client, page):
    # Given a vendor with 2 products, orders and promotions
    vendor = VendorFactory()
    client.force_login(vendor.owner)
    _grow(vendor, 2)
    url = reverse(page)
    client.get(url)  # warm per-session lookups
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
