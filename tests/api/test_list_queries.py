"""Vendor and moderator API lists run a constant number of queries whatever the page size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from marketplace.shop.services import cart_add
from promotions.models import Promotion
from tests.factories import ProductFactory, UserFactory, VendorFactory
from tests.payments import checkout_and_pay
from vendors.models import Vendor
from vendors.moderation import services as moderation

LISTS = {
    "/api/v1/sell/products/": "vendor",
    "/api/v1/sell/orders/": "vendor",
    "/api/v1/sell/payouts/orders/": "vendor",
    "/api/v1/sell/promotions/": "vendor",
    "/api/v1/moderation/queue/": "moderator",
    "/api/v1/moderation/vendors/": "moderator",
    "/api/v1/moderation/audit/": "moderator",
    "/api/v1/moderation/reports/": "moderator",
    "/api/v1/portfolio/history/": "consumer",
}


@pytest.mark.django_db
@pytest.mark.parametrize("url", sorted(LISTS))
def test_api_list_queries_do_not_grow_with_rows(url, reference_data):
    shop = VendorFactory()
    moderator = UserFactory()
    moderator.groups.add(reference_data)
    consumer = UserFactory()
    users = {"vendor": shop.owner, "moderator": moderator, "consumer": consumer}

    def grow(n: int) -> None:
        from portfolios.services import membership_end, membership_start

        now = timezone.now()
        for _ in range(n):
            product = ProductFactory(vendor=shop, stock=5)
            buyer = UserFactory()
            cart_add(consumer=buyer, product_id=product.pk)
            checkout_and_pay(buyer, "k", ship_to_name="B", ship_to_address="A")
            Promotion.objects.create(
                vendor=shop, title="P", discount_value=5, starts_at=now, ends_at=now + timezone.timedelta(days=1)
            )
            pending = VendorFactory(status=Vendor.Status.PENDING)
            moderation.vendor_approve(moderator=moderator, vendor_id=pending.pk)
            VendorFactory(status=Vendor.Status.PENDING)
            moderation.report_create(reporter=buyer, vendor_id=shop.pk, reason="other", text="")
            other = VendorFactory()
            membership_start(consumer=consumer, vendor_id=other.pk)
            membership_end(consumer=consumer, vendor_id=other.pk, reason="price")

    def count() -> int:
        api = APIClient()
        api.force_authenticate(users[LISTS[url]])
        with CaptureQueriesContext(connection) as ctx:
            response = api.get(url, {"page_size": 100})
        assert response.status_code == 200
        return len(ctx.captured_queries)

    grow(2)
    few = count()
    grow(6)
    assert count() == few
