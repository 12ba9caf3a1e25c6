"""The consumer's whole journey through the API with a token, and the API's refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from marketplace.accounts.services import api_token_create
from marketplace.shop.models import Order
from portfolios.models import PartnerMembership
from tests.factories import ProductFactory, UserFactory, VendorFactory
from vendors.models import Vendor


@pytest.fixture
def token_client(consumer):
    _, key = api_token_create(user=consumer, name="journey")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


@pytest.mark.django_db
def test_api_consumer_journey_add_partners_search_buy_from_two_vendors_end_partnership(
    token_client, consumer, django_capture_on_commit_callbacks
):
    roaster = VendorFactory(name="Roast House")
    baker = VendorFactory(name="Bake House")
    beans = ProductFactory(vendor=roaster, name="Espresso beans", price=Decimal("9.00"), partner_price=Decimal("8.00"))
    ProductFactory(name="Espresso cups", price=Decimal("5.00"))
    bread = ProductFactory(vendor=baker, name="Sourdough loaf", price=Decimal("4.00"))

    with django_capture_on_commit_callbacks(execute=True):
        assert token_client.post("/api/v1/portfolio/", {"vendor_id": roaster.pk}, format="json").status_code == 201
    assert [m["vendor"] for m in token_client.get("/api/v1/portfolio/").json()["results"]] == [roaster.slug]

    results = token_client.get("/api/v1/products/", {"q": "espresso"}).json()["results"]
    assert results[0]["name"] == "Espresso beans" and results[0]["from_partner"] is True
    assert results[0]["your_price"] == "8.00"
    assert [r["from_partner"] for r in results] == sorted([r["from_partner"] for r in results], reverse=True)

    for product in (beans, bread):
        assert token_client.post("/api/v1/cart/items/", {"product_id": product.pk}, format="json").status_code == 201
    with django_capture_on_commit_callbacks(execute=True):
        bought = token_client.post(
            "/api/v1/checkout/",
            {"ship_to_name": "Sam", "ship_to_address": "1 Road"},
            format="json",
            HTTP_IDEMPOTENCY_KEY="journey-1",
        )
    assert bought.status_code == 201
    assert sorted(o["vendor"] for o in bought.json()["orders"]) == sorted([roaster.slug, baker.slug])
    orders = token_client.get("/api/v1/orders/").json()["results"]
    assert {o["total"] for o in orders} == {"8.00", "4.00"}

    with django_capture_on_commit_callbacks(execute=True):
        ended = token_client.post(f"/api/v1/portfolio/{roaster.pk}/end/", {"reason": "bad_service"}, format="json")
    assert ended.status_code == 200 and ended.json()["end_reason"] == "bad_service"
    assert token_client.get("/api/v1/portfolio/").json()["results"] == []
    assert [m["vendor"] for m in token_client.get("/api/v1/portfolio/history/").json()["results"]] == [roaster.slug]
    facts = token_client.get(f"/api/v1/vendors/{roaster.slug}/").json()["facts"]
    # One ending is fewer than K: neither its count nor its reason is public (rule 4).
    assert facts["ended_recent"] is None and facts["ended_recent_suppressed"] is True
    assert facts["top_end_reasons"] == []


@pytest.mark.django_db
def test_api_checkout_repeated_key_replays_and_out_of_stock_is_409(token_client, consumer):
    product = ProductFactory(stock=1)
    token_client.post("/api/v1/cart/items/", {"product_id": product.pk}, format="json")
    body = {"ship_to_name": "Sam", "ship_to_address": "1 Road"}
    first = token_client.post("/api/v1/checkout/", body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    again = token_client.post("/api/v1/checkout/", body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert (first.status_code, again.status_code) == (201, 200) and again.json()["replayed"] is True
    assert Order.objects.count() == 1

    other = UserFactory()
    api = APIClient()
    api.force_authenticate(other)
    ProductFactory  # noqa: B018
    from marketplace.shop.models import CartItem

    CartItem.objects.create(consumer=other, product=product, quantity=1, unit_price_seen=product.price)
    refused = api.post("/api/v1/checkout/", body, format="json", HTTP_IDEMPOTENCY_KEY="k2")
    assert refused.status_code == 409 and "out of stock" in refused.json()["detail"]


@pytest.mark.django_db
def test_api_bad_input_answers_400_with_field_errors_and_changes_nothing(token_client, vendor):
    assert token_client.post("/api/v1/portfolio/", {"vendor_id": "x"}, format="json").json().keys() == {"vendor_id"}
    token_client.post("/api/v1/portfolio/", {"vendor_id": vendor.pk}, format="json")
    response = token_client.post(f"/api/v1/portfolio/{vendor.pk}/end/", {"reason": "bored"}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    missing_key = token_client.post("/api/v1/checkout/", {"ship_to_name": "", "ship_to_address": ""}, format="json")
    assert missing_key.status_code == 400 and {"ship_to_name", "ship_to_address"} <= missing_key.json().keys()
    assert PartnerMembership.objects.active().count() == 1


@pytest.mark.django_db
def test_api_another_consumers_orders_and_cart_lines_answer_404(token_client, other_consumer):
    product = ProductFactory()
    api = APIClient()
    api.force_authenticate(other_consumer)
    api.post("/api/v1/cart/items/", {"product_id": product.pk}, format="json")
    api.post(
        "/api/v1/checkout/",
        {"ship_to_name": "O", "ship_to_address": "2 Road"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="other",
    )
    order = Order.objects.get(consumer=other_consumer)
    assert token_client.get(f"/api/v1/orders/{order.pk}/").status_code == 404
    assert token_client.post(f"/api/v1/orders/{order.pk}/rating/", {"score": 1}, format="json").status_code == 404
    assert token_client.get("/api/v1/orders/").json()["results"] == []


@pytest.mark.django_db
def test_api_suspended_and_pending_vendors_are_not_listed_addable_or_purchasable(token_client, vendor):
    hidden = [VendorFactory(status=Vendor.Status.SUSPENDED), VendorFactory(status=Vendor.Status.PENDING)]
    slugs = {v["slug"] for v in APIClient().get("/api/v1/vendors/").json()["results"]}
    assert vendor.slug in slugs and not slugs & {v.slug for v in hidden}
    for v in hidden:
        assert APIClient().get(f"/api/v1/vendors/{v.slug}/").status_code == 404
        assert token_client.post("/api/v1/portfolio/", {"vendor_id": v.pk}, format="json").status_code == 404
        product = ProductFactory(vendor=v)
        assert token_client.post("/api/v1/cart/items/", {"product_id": product.pk}, format="json").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/vendors/", "/api/v1/products/", "/api/v1/portfolio/", "/api/v1/orders/"])
def test_api_lists_run_constant_queries_whatever_the_page_size(token_client, consumer, url, settings):
    # What a list costs to read: kept data (marketplace/kernel/page_cache.py) would hide it.
    settings.MARKETPLACE = {**settings.MARKETPLACE, "PAGE_CACHE_SECONDS": 0}

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert token_client.get(url, {"page_size": 50}).status_code == 200
        return len(ctx.captured_queries)

    def grow(n: int) -> None:
        for _ in range(n):
            product = ProductFactory()
            PartnerMembership.objects.create(consumer=consumer, vendor=product.vendor, started_at=product.created_at)
            Order.objects.create(
                checkout=consumer.checkouts.create(idempotency_key=f"k{product.pk}"),
                consumer=consumer,
                vendor=product.vendor,
                ship_to_name="x",
                ship_to_address="y",
                subtotal=1,
                total=1,
            ).lines.create(product=product, product_name=product.name, unit_price=1, quantity=1)

    grow(2)
    count()  # the first request also stamps the token's last use
    few = count()
    grow(12)
    assert count() == few
