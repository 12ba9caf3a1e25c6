"""The vendor's workspace: own data only, all-or-nothing CSV, checked images, fulfilment, promotions."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from rest_framework.test import APIClient

from marketplace.accounts.models import Region
from marketplace.accounts.services import api_token_create, profile_update
from marketplace.shop.models import Order
from marketplace.shop.services import cart_add
from portfolios.services import membership_end, membership_set_muted, membership_start
from portfolios.services.stats import stats_reconcile_all
from promotions import services as promo
from promotions.models import Promotion, PromotionDelivery
from promotions.selectors import AudienceSpec, audience_preview
from tests.factories import ProductFactory, UserFactory, VendorFactory
from tests.payments import checkout_and_pay
from vendors.models import Product, Vendor

# Expectations here are exact released figures: their noise is off (tests/conftest.py exact_release; noise is
# tested in tests/privacy/test_calibration.py).
pytestmark = pytest.mark.usefixtures("exact_release")


@pytest.fixture
def shop(reference_data):
    return VendorFactory(name="Own Shop")


@pytest.fixture
def owner_client(client, shop):
    client.force_login(shop.owner)
    return client


def _png(size: tuple[int, int] = (20, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.django_db
def test_vendor_never_sees_or_changes_another_vendors_products_orders_promotions(owner_client, shop):
    other = VendorFactory(name="Other Shop")
    theirs = ProductFactory(vendor=other, name="Their Product", stock=5)
    buyer = UserFactory()
    cart_add(consumer=buyer, product_id=theirs.pk)
    order = checkout_and_pay(buyer, "o", ship_to_name="B", ship_to_address="A").orders[0]
    now = timezone.now()
    promotion = Promotion.objects.create(
        vendor=other, title="Theirs", discount_value=5, starts_at=now, ends_at=now + timedelta(days=1)
    )
    assert "Their Product" not in owner_client.get(reverse("sell:product-list")).content.decode()
    assert owner_client.get(reverse("sell:product-edit", args=[theirs.pk])).status_code == 404
    assert owner_client.post(reverse("sell:product-stock", args=[theirs.pk]), {"delta": -5}).status_code == 404
    assert owner_client.get(reverse("sell:order-detail", args=[order.pk])).status_code == 404
    assert owner_client.post(reverse("sell:order-detail", args=[order.pk]), {"action": "cancel"}).status_code == 404
    assert owner_client.get(reverse("sell:promotion-edit", args=[promotion.pk])).status_code == 404
    assert owner_client.get(reverse("sell:promotion-results", args=[promotion.pk])).status_code == 404
    api = APIClient()
    api.force_authenticate(shop.owner)
    for url in [
        f"/api/v1/sell/products/{theirs.pk}/",
        f"/api/v1/sell/orders/{order.pk}/",
        f"/api/v1/sell/promotions/{promotion.pk}/",
        f"/api/v1/sell/promotions/{promotion.pk}/preview/",
    ]:
        assert api.get(url).status_code == 404, url
    assert api.post(f"/api/v1/sell/orders/{order.pk}/cancel/").status_code == 404
    theirs.refresh_from_db()
    order.refresh_from_db()
    assert theirs.stock == 4 and order.status == Order.Status.PAID


@pytest.mark.django_db
def test_catalogue_import_csv_with_bad_rows_changes_nothing_and_names_each_row(owner_client, shop):
    ProductFactory(vendor=shop, sku="KEEP", name="Keep me", price=Decimal("2.00"))
    csv = (
        b"sku,name,price,stock,partner_price\nKEEP,Changed,3.00,5,\nNEW1,,4.00,2,\n"
        b"NEW2,Ok,abc,1,\nNEW3,Fine,5.00,-2,9\n"
    )
    response = owner_client.post(reverse("sell:product-import"), {"file": SimpleUploadedFile("c.csv", csv)})
    assert response.status_code == 400
    problems = response.context["problems"]
    assert any(p.startswith("Line 3, column name") for p in problems)
    assert any(p.startswith("Line 4, column price") for p in problems)
    assert any(p.startswith("Line 5, column stock") for p in problems)
    assert list(Product.objects.filter(vendor=shop).values_list("name", "price")) == [("Keep me", Decimal("2.00"))]


@pytest.mark.django_db
def test_catalogue_import_csv_good_file_creates_and_updates_then_exports(owner_client, shop):
    ProductFactory(vendor=shop, sku="KEEP", name="Keep me", price=Decimal("2.00"))
    csv = b"sku,name,price,stock,partner_price\nKEEP,Changed,3.00,5,\nNEW1,New one,4.00,2,3.50\n"
    response = owner_client.post(reverse("sell:product-import"), {"file": SimpleUploadedFile("c.csv", csv)})
    assert response.status_code == 302
    assert dict(Product.objects.filter(vendor=shop).values_list("sku", "name")) == {
        "KEEP": "Changed",
        "NEW1": "New one",
    }
    exported = owner_client.get(reverse("sell:product-export")).content.decode()
    assert "NEW1,New one,,4.00,3.50,2" in exported


@pytest.mark.django_db
def test_product_image_not_an_image_or_too_large_is_refused(owner_client, shop, settings):
    form = {"name": "Mug", "price": "8.00", "stock": "3", "active": "on"}
    fake = SimpleUploadedFile("mug.png", b"this is not a picture", content_type="image/png")
    response = owner_client.post(reverse("sell:product-create"), {**form, "image": fake})
    assert response.status_code == 400 and not Product.objects.filter(vendor=shop).exists()
    settings.MARKETPLACE = {**settings.MARKETPLACE, "MAX_IMAGE_BYTES": 100}
    big = SimpleUploadedFile("big.png", _png((300, 300)), content_type="image/png")
    response = owner_client.post(reverse("sell:product-create"), {**form, "image": big})
    assert response.status_code == 400 and not Product.objects.filter(vendor=shop).exists()
    settings.MARKETPLACE = {**settings.MARKETPLACE, "MAX_IMAGE_BYTES": 2 * 1024 * 1024}
    good = SimpleUploadedFile("mug.png", _png(), content_type="image/png")
    assert owner_client.post(reverse("sell:product-create"), {**form, "image": good}).status_code == 302
    assert Product.objects.get(vendor=shop).image.name.endswith(".png")
    assert "<img" in owner_client.get(reverse("sell:product-list")).content.decode()


@pytest.mark.django_db
def test_order_fulfilment_ship_deliver_and_cancel_returns_stock(owner_client, shop):
    product = ProductFactory(vendor=shop, stock=5)
    buyer = UserFactory()
    cart_add(consumer=buyer, product_id=product.pk, quantity=2)
    first = checkout_and_pay(buyer, "1", ship_to_name="B", ship_to_address="A").orders[0]
    cart_add(consumer=buyer, product_id=product.pk, quantity=1)
    second = checkout_and_pay(buyer, "2", ship_to_name="B", ship_to_address="A").orders[0]
    url = reverse("sell:order-detail", args=[first.pk])
    owner_client.post(url, {"action": "deliver"})  # not shipped yet: refused
    first.refresh_from_db()
    assert first.status == Order.Status.PAID
    owner_client.post(url, {"action": "ship"})
    owner_client.post(url, {"action": "deliver"})
    first.refresh_from_db()
    assert first.status == Order.Status.DELIVERED
    owner_client.post(reverse("sell:order-detail", args=[second.pk]), {"action": "cancel"})
    second.refresh_from_db()
    product.refresh_from_db()
    assert second.status == Order.Status.CANCELLED and product.stock == 3
    assert second.refunds.get().amount_minor == 1000  # and the buyer is refunded


def _audience_market(vendor, n: int):
    london = Region.objects.get(code="london")
    consumers = []
    for i in range(n):
        consumer = UserFactory()
        profile_update(
            user=consumer,
            region=london,
            age_band="25-34",
            interests=[],
            share_region=i % 3 != 0,
            share_age_band=True,
            share_interests=False,
            weekly_promotion_cap=5,
        )
        membership_start(consumer=consumer, vendor_id=vendor.pk)
        consumers.append(consumer)
    return consumers, london


@pytest.mark.django_db
@pytest.mark.parametrize("segment", [False, True])
def test_audience_preview_equals_consumers_who_receive_and_excludes_ended_and_muted(shop, segment):
    consumers, london = _audience_market(shop, 15)
    membership_end(consumer=consumers[1], vendor_id=shop.pk, reason="price")
    membership_set_muted(consumer=consumers[2], vendor_id=shop.pk, muted=True)
    stats_reconcile_all()
    now = timezone.now()
    extra = {"audience": Promotion.Audience.SEGMENT, "segment_region": london} if segment else {}
    promotion = promo.promotion_create(
        vendor=shop,
        title="For you",
        discount_value=Decimal("10"),
        starts_at=now - timedelta(minutes=1),
        ends_at=now + timedelta(days=2),
        **extra,
    )
    preview = audience_preview(spec=AudienceSpec.of(promotion))
    promo.promotion_publish(vendor=shop, promotion_id=promotion.pk)
    received = set(PromotionDelivery.objects.filter(promotion=promotion).values_list("consumer_id", flat=True))
    assert preview.size is not None and preview.size >= 5
    # The preview is the audience delivered, rounded down to a multiple of K (never the exact count).
    assert preview.size <= len(received) < preview.size + 5 and preview.size % 5 == 0
    assert consumers[1].pk not in received and consumers[2].pk not in received
    if segment:
        from marketplace.accounts.models import ConsumerProfile

        assert not ConsumerProfile.objects.filter(user_id__in=received, share_region=False).exists()
        assert len(received) < 13  # those who do not share their region are not in the segment


@pytest.mark.django_db
def test_audience_preview_is_suppressed_under_k(shop):
    _audience_market(shop, 3)
    stats_reconcile_all()
    now = timezone.now()
    promotion = promo.promotion_create(
        vendor=shop, title="Tiny", discount_value=Decimal("5"), starts_at=now, ends_at=now + timedelta(days=1)
    )
    preview = audience_preview(spec=AudienceSpec.of(promotion))
    assert preview.size is None and preview.text == "Fewer than 5 partners"


@pytest.mark.django_db
def test_suspended_vendor_cannot_publish_and_workspace_says_why(owner_client, shop):
    now = timezone.now()
    promotion = promo.promotion_create(
        vendor=shop, title="Nope", discount_value=Decimal("5"), starts_at=now, ends_at=now + timedelta(days=1)
    )
    Vendor.objects.filter(pk=shop.pk).update(status=Vendor.Status.SUSPENDED, status_reason="Unpaid fees")
    response = owner_client.post(reverse("sell:promotion-action", args=[promotion.pk, "publish"]), follow=True)
    assert "suspended" in response.content.decode() and "Unpaid fees" in response.content.decode()
    promotion.refresh_from_db()
    assert promotion.state == Promotion.State.DRAFT


@pytest.mark.django_db
def test_insights_page_reads_statistics_and_hides_small_groups(owner_client, shop):
    _audience_market(shop, 7)
    stats_reconcile_all()
    page = owner_client.get(reverse("sell:insights")).content.decode()
    assert 'id="insights-data"' in page and "chart.umd.min.js" in page
    # All 7 share their age band: shown. Only 4 share their region (London): fewer than K, hidden.
    assert "25–34" in page
    assert "London" not in page


@pytest.mark.django_db
def test_application_pending_then_rejected_then_resubmitted(client):
    from vendors.moderation.services import vendor_reject

    applicant = UserFactory()
    client.force_login(applicant)
    form = {
        "name": "Fig Deli",
        "description": "Figs",
        "category": VendorFactory().category.pk,
        "contact_email": "figs@example.com",
    }
    assert client.post(reverse("sell:apply"), form).status_code == 302
    vendor = Vendor.objects.get(owner=applicant)
    assert vendor.status == Vendor.Status.PENDING
    moderator = UserFactory(is_superuser=True)
    vendor_reject(moderator=moderator, vendor_id=vendor.pk, reason="Add your address")
    page = client.get(reverse("sell:workspace")).content.decode()
    assert "Add your address" in page
    assert client.post(reverse("sell:apply"), {**form, "description": "Figs, 1 Market St"}).status_code == 302
    vendor.refresh_from_db()
    assert vendor.status == Vendor.Status.PENDING and vendor.description == "Figs, 1 Market St"
    assert client.post(reverse("sell:apply"), {**form, "contact_email": "bad"}).status_code == 400


@pytest.mark.django_db
def test_api_vendor_journey_products_orders_ship_insights_publish(reference_data, django_capture_on_commit_callbacks):
    owner = UserFactory()
    _, key = api_token_create(user=owner, name="shop script")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    category = VendorFactory().category
    applied = api.post(
        "/api/v1/sell/application/",
        {"name": "Script Shop", "category": category.slug, "contact_email": "s@example.com"},
        format="json",
    )
    assert applied.status_code == 201 and applied.json()["status"] == "pending"
    Vendor.objects.filter(owner=owner).update(status=Vendor.Status.APPROVED)
    vendor = Vendor.objects.get(owner=owner)
    created = api.post(
        "/api/v1/sell/products/", {"name": "Tea", "price": "3.00", "stock": 10, "partner_price": "2.50"}, format="json"
    )
    assert created.status_code == 201
    assert api.post("/api/v1/sell/products/", {"name": "", "price": "-1"}, format="json").status_code == 400
    csv = SimpleUploadedFile("c.csv", b"sku,name,price,stock\nT2,Green tea,4.00,5\n")
    assert api.post("/api/v1/sell/products/import/", {"file": csv}, format="multipart").json() == {
        "created": 1,
        "updated": 0,
    }
    consumers, _ = _audience_market(vendor, 6)
    cart_add(consumer=consumers[0], product_id=created.json()["id"], quantity=2)
    with django_capture_on_commit_callbacks(execute=True):
        checkout_and_pay(consumers[0], "x", ship_to_name="C", ship_to_address="A")
    orders = api.get("/api/v1/sell/orders/").json()["results"]
    assert len(orders) == 1 and orders[0]["total"] == "5.00" and orders[0]["buyer_was_partner"] is True
    assert api.post(f"/api/v1/sell/orders/{orders[0]['id']}/ship/").json()["status"] == "shipped"
    stats_reconcile_all()
    insights = api.get("/api/v1/sell/insights/").json()
    assert insights["current_partners"] == 5 and insights["partner_sales_share"] == 1.0  # 6, rounded to K
    now = timezone.now()
    draft = api.post(
        "/api/v1/sell/promotions/",
        {
            "title": "Partners 10%",
            "kind": "partners",
            "audience": "all",
            "discount_type": "percent",
            "discount_value": "10",
            "starts_at": (now - timedelta(minutes=1)).isoformat(),
            "ends_at": (now + timedelta(days=7)).isoformat(),
        },
        format="json",
    )
    assert draft.status_code == 201
    assert api.get(f"/api/v1/sell/promotions/{draft.json()['id']}/preview/").json()["size"] == 5
    assert api.post(f"/api/v1/sell/promotions/{draft.json()['id']}/publish/").json()["state"] == "running"
    feed = APIClient()
    feed.force_authenticate(consumers[3])
    assert [p["title"] for p in feed.get("/api/v1/portfolio/feed/").json()["promotions"]] == ["Partners 10%"]
    bad = api.post(
        "/api/v1/sell/promotions/",
        {
            "title": "Bad",
            "discount_type": "percent",
            "discount_value": "150",
            "starts_at": now.isoformat(),
            "ends_at": now.isoformat(),
        },
        format="json",
    )
    assert bad.status_code == 400
