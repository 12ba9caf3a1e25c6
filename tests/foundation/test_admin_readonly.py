"""The admin cannot skip a rule: models written by services are read-only in /admin/, even for a superuser,
and the few changes it offers are actions that call the services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from marketplace.shop.models import Order
from marketplace.shop.services import cart_add
from promotions.models import Promotion, PromotionDelivery
from tests.factories import ProductFactory, UserFactory, VendorFactory
from tests.helpers import gif_then_html
from tests.payments import checkout_and_pay
from vendors.models import ModerationAction, Product, Vendor


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(email="root@test.example", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def moderator_client(client, reference_data):
    moderator = UserFactory(email="mod@test.example", is_staff=True)
    moderator.groups.add(reference_data)
    client.force_login(moderator)
    return client


def _promotion(vendor: Vendor, **fields: object) -> Promotion:
    now = timezone.now()
    defaults: dict[str, object] = {
        "title": "Spring offer",
        "discount_value": 10,
        "starts_at": now - timedelta(days=1),
        "ends_at": now + timedelta(days=6),
    }
    return Promotion.objects.create(vendor=vendor, **{**defaults, **fields})


def _order(vendor: Vendor) -> tuple[Order, Product]:
    product = ProductFactory(vendor=vendor, stock=5)
    buyer = UserFactory()
    cart_add(consumer=buyer, product_id=product.pk, quantity=2)
    order = checkout_and_pay(buyer, "k1", ship_to_name="B", ship_to_address="1 Quay").orders[0]
    return order, product


@pytest.mark.django_db
def test_admin_promotion_change_form_post_is_refused_and_the_promotion_is_unchanged(superuser_client):
    promotion = _promotion(VendorFactory(), state=Promotion.State.DRAFT)
    url = reverse("admin:promotions_promotion_change", args=[promotion.pk])

    response = superuser_client.post(url, {"title": "Hijacked", "state": Promotion.State.RUNNING, "_save": "Save"})

    assert response.status_code == 403
    promotion.refresh_from_db()
    assert (promotion.title, promotion.state) == ("Spring offer", Promotion.State.DRAFT)
    assert not PromotionDelivery.objects.exists()


@pytest.mark.django_db
def test_admin_cannot_add_a_promotion_delivery_for_a_consumer_who_is_no_partner(superuser_client):
    promotion = _promotion(VendorFactory(), state=Promotion.State.RUNNING)
    stranger = UserFactory(email="stranger@test.example")
    data = {
        "promotion": promotion.pk,
        "consumer": stranger.pk,
        "delivered_at_0": timezone.now().date().isoformat(),
        "delivered_at_1": "10:00:00",
    }

    response = superuser_client.post(reverse("admin:promotions_promotiondelivery_add"), data)

    assert response.status_code == 403
    assert not PromotionDelivery.objects.filter(consumer=stranger).exists()


@pytest.mark.django_db
def test_admin_promotion_delivery_change_form_post_is_refused(superuser_client):
    promotion = _promotion(VendorFactory(), state=Promotion.State.RUNNING)
    partner, stranger = UserFactory(), UserFactory()
    delivery = PromotionDelivery.objects.create(promotion=promotion, consumer=partner, delivered_at=timezone.now())
    url = reverse("admin:promotions_promotiondelivery_change", args=[delivery.pk])

    response = superuser_client.post(url, {"promotion": promotion.pk, "consumer": stranger.pk, "_save": "Save"})

    assert response.status_code == 403
    delivery.refresh_from_db()
    assert delivery.consumer_id == partner.pk


@pytest.mark.django_db
def test_admin_order_status_cannot_be_changed_so_stock_and_status_stay(superuser_client):
    order, product = _order(VendorFactory())
    url = reverse("admin:shop_order_change", args=[order.pk])

    response = superuser_client.post(url, {"status": Order.Status.CANCELLED, "_save": "Save"})

    assert response.status_code == 403
    order.refresh_from_db()
    product.refresh_from_db()
    assert order.status == Order.Status.PAID and product.stock == 3
    page = superuser_client.get(url).content.decode()
    assert 'name="status"' not in page  # shown, not editable


@pytest.mark.django_db
def test_admin_vendor_form_cannot_change_owner_slug_contact_email_or_logo(superuser_client):
    vendor = VendorFactory(name="Harbour Teas", slug="harbour-teas", contact_email="shop@harbour.example")
    original_owner = vendor.owner
    intruder = UserFactory(email="intruder@test.example")
    url = reverse("admin:vendors_vendor_change", args=[vendor.pk])

    response = superuser_client.post(
        url,
        {
            "name": "Harbour Teas Ltd",
            "description": vendor.description,
            "category": vendor.category_id,
            "owner": intruder.pk,
            "slug": "stolen",
            "contact_email": "intruder@test.example",
            "status": Vendor.Status.SUSPENDED,
            "logo": SimpleUploadedFile("logo.gif", gif_then_html(), content_type="image/gif"),
            "_save": "Save",
        },
    )

    assert response.status_code == 302
    vendor.refresh_from_db()
    assert vendor.name == "Harbour Teas Ltd"  # the form still edits what carries no rule
    assert (vendor.owner_id, vendor.slug, vendor.contact_email, vendor.status) == (
        original_owner.pk,
        "harbour-teas",
        "shop@harbour.example",
        Vendor.Status.APPROVED,
    )
    assert not vendor.logo  # an upload here would skip the re-encoding of images
    assert superuser_client.get(reverse("admin:vendors_vendor_add")).status_code == 403


@pytest.mark.django_db
def test_admin_product_change_form_post_is_refused(superuser_client):
    product = ProductFactory(price="10.00", stock=4)
    url = reverse("admin:vendors_product_change", args=[product.pk])

    response = superuser_client.post(url, {"name": "Renamed", "price": "0.01", "stock": 999, "_save": "Save"})

    assert response.status_code == 403
    product.refresh_from_db()
    assert (product.price, product.stock) == (10, 4)


@pytest.mark.django_db
def test_admin_end_selected_promotions_ends_them_through_the_service_and_logs_who(superuser_client):
    running = _promotion(VendorFactory(), state=Promotion.State.RUNNING, title="Running one")
    draft = _promotion(VendorFactory(), state=Promotion.State.DRAFT, title="Draft one")

    response = superuser_client.post(
        reverse("admin:promotions_promotion_changelist"),
        {"action": "end_selected_promotions", "_selected_action": [running.pk, draft.pk]},
        follow=True,
    )

    page = response.content.decode()
    assert "End selected promotions: 1 done." in page and "Draft one: A draft promotion cannot be ended." in page
    running.refresh_from_db()
    draft.refresh_from_db()
    assert (running.state, draft.state) == (Promotion.State.ENDED, Promotion.State.DRAFT)
    entry = LogEntry.objects.get(object_id=str(running.pk))
    assert entry.user.email == "root@test.example" and "Ended" in entry.get_change_message()


@pytest.mark.django_db
def test_admin_moderator_deactivates_products_with_a_reason_through_the_audited_service(moderator_client):
    product = ProductFactory(name="Fake Watch")

    refused = moderator_client.post(
        reverse("admin:vendors_product_changelist"),
        {"action": "deactivate_selected_products", "_selected_action": [product.pk], "reason": ""},
        follow=True,
    )
    assert "Fake Watch: Give a reason" in refused.content.decode()
    product.refresh_from_db()
    assert product.active and not ModerationAction.objects.exists()

    moderator_client.post(
        reverse("admin:vendors_product_changelist"),
        {"action": "deactivate_selected_products", "_selected_action": [product.pk], "reason": "Counterfeit"},
        follow=True,
    )

    product.refresh_from_db()
    assert not product.active
    action = ModerationAction.objects.get()
    assert action.kind == ModerationAction.Kind.PRODUCT_DEACTIVATE and action.vendor_id == product.vendor_id
    assert "Fake Watch" in action.reason and "Counterfeit" in action.reason


@pytest.mark.django_db
def test_admin_lists_every_registered_model_and_shows_an_order_read_only(superuser_client):
    from django.contrib import admin

    order, _ = _order(VendorFactory())
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert superuser_client.get(url).status_code == 200, url
    page = superuser_client.get(reverse("admin:shop_order_change", args=[order.pk])).content.decode()
    assert "1 Quay" in page and 'type="submit"' not in page.split('id="content-main"')[1].split("</form>")[0]
