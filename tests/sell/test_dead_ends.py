"""No dead ends in the workspace: an approved vendor edits its profile, the CSV import takes categories as the
pages write them, and money shows in pence."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from rest_framework.test import APIClient

from marketplace.accounts.models import Region
from marketplace.sell.selectors import PromotionResults
from promotions.models import Promotion
from tests.factories import CategoryFactory, VendorFactory
from vendors.models import Product, Vendor
from vendors.services import catalogue_import_csv
from vendors.services.application import vendor_profile_update

# --- The vendor's profile ----------------------------------------------------------------------------------------


@pytest.fixture
def regions(db):  # type: ignore[no-untyped-def]
    return list(Region.objects.order_by("code")[:3])


@pytest.mark.django_db
def test_vendor_profile_update_from_the_page_is_saved_and_audited(client, vendor, regions):
    vendor.regions.set([regions[0]])
    client.force_login(vendor.owner)
    page = client.get(reverse("sell:profile"))
    assert page.status_code == 200 and b"Save profile" in page.content
    response = client.post(
        reverse("sell:profile"),
        {"description": "Single-origin beans, roasted every Monday.", "regions": [regions[1].pk, regions[2].pk]},
    )
    assert response.status_code == 302
    vendor.refresh_from_db()
    assert vendor.description == "Single-origin beans, roasted every Monday."
    assert set(vendor.regions.all()) == {regions[1], regions[2]}
    public = client.get(vendor.get_absolute_url()).content.decode()
    assert "Single-origin beans, roasted every Monday." in public
    (entry,) = LogEntry.objects.filter(object_id=str(vendor.pk), content_type__model="vendor")
    assert entry.user_id == vendor.owner_id and entry.action_flag == CHANGE
    message = entry.get_change_message()
    assert "description (was: “A vendor for tests.”)" in message
    assert f"was: {regions[0].name}" in message and regions[1].name in message


def _png(name: str = "logo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.mark.django_db
def test_vendor_profile_logo_is_uploaded_reencoded_and_removed(client, vendor):
    client.force_login(vendor.owner)
    uploaded = client.post(reverse("sell:profile"), {"description": vendor.description, "logo": _png()})
    assert uploaded.status_code == 302
    vendor.refresh_from_db()
    assert vendor.logo and vendor.logo.name.startswith("vendors/logos/") and vendor.logo.name.endswith(".png")
    assert "logo.png" not in vendor.logo.name  # stored under a new name, as re-encoded
    assert f'src="{vendor.logo.url}"' in client.get(reverse("sell:profile")).content.decode()
    removed = client.post(reverse("sell:profile"), {"description": vendor.description, "remove_logo": "on"})
    assert removed.status_code == 302
    vendor.refresh_from_db()
    assert not vendor.logo
    messages = [e.get_change_message() for e in LogEntry.objects.order_by("id")]
    assert messages == [
        "Profile changed by the owner: logo (a new image).",
        "Profile changed by the owner: logo (removed).",
    ]


@pytest.mark.django_db
def test_vendor_profile_refuses_a_logo_that_is_not_an_image(client, vendor):
    client.force_login(vendor.owner)
    fake = SimpleUploadedFile("logo.png", b"not a picture at all", content_type="image/png")
    response = client.post(reverse("sell:profile"), {"description": vendor.description, "logo": fake})
    assert response.status_code == 400
    vendor.refresh_from_db()
    assert not vendor.logo and not LogEntry.objects.exists()


@pytest.mark.django_db
def test_vendor_profile_update_that_changes_nothing_writes_no_audit_entry(vendor):
    vendor_profile_update(owner=vendor.owner, description=vendor.description, regions=list(vendor.regions.all()))
    assert not LogEntry.objects.exists()


@pytest.mark.django_db
def test_vendor_profile_update_refuses_bad_input_and_changes_nothing(client, vendor):
    client.force_login(vendor.owner)
    page = client.post(reverse("sell:profile"), {"description": "x" * 4001, "regions": ["999999"]})
    assert page.status_code == 400
    api = client.patch(reverse("api:sell-profile"), {"regions": ["nowhere"]}, content_type="application/json")
    assert api.status_code == 400 and "regions" in api.json()
    vendor.refresh_from_db()
    assert vendor.description == "A vendor for tests." and not LogEntry.objects.exists()


@pytest.mark.django_db
def test_vendor_profile_api_patch_changes_only_what_is_sent(vendor, regions):
    vendor.regions.set([regions[0]])
    api = APIClient()
    api.force_authenticate(vendor.owner)
    response = api.patch(reverse("api:sell-profile"), {"description": "Now with decaf."}, format="json")
    assert response.status_code == 200
    assert response.json()["description"] == "Now with decaf."
    assert response.json()["regions"] == [regions[0].code]
    assert LogEntry.objects.filter(user=vendor.owner).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Vendor.Status.PENDING, Vendor.Status.SUSPENDED])
def test_vendor_profile_update_is_for_approved_vendors_only(status):
    vendor = VendorFactory(status=status)
    api = APIClient()
    api.force_authenticate(vendor.owner)
    response = api.patch(reverse("api:sell-profile"), {"description": "Changed"}, format="json")
    assert response.status_code == 409
    vendor.refresh_from_db()
    assert vendor.description == "A vendor for tests."


# --- CSV import categories -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_catalogue_import_csv_takes_a_category_by_its_name_or_its_slug(vendor):
    tea = CategoryFactory(name="Coffee & Tea", slug="coffee-tea")
    csv = (
        "sku,name,price,category\n"
        "A1,Assam,4.00,Coffee & Tea\n"
        "A2,Darjeeling,5.00,coffee-tea\n"
        "A3,Oolong,6.00,COFFEE & TEA\n"
    )
    result = catalogue_import_csv(vendor=vendor, file=io.BytesIO(csv.encode()))
    assert result.created == 3
    assert set(Product.objects.filter(vendor=vendor).values_list("category__name", flat=True)) == {"Coffee & Tea"}
    assert tea.products.count() == 3


@pytest.mark.django_db
def test_csv_import_page_lists_the_categories_and_names_an_unknown_one(client, vendor):
    CategoryFactory(name="Coffee & Tea", slug="coffee-tea")
    client.force_login(vendor.owner)
    page = client.get(reverse("sell:product-import")).content.decode()
    assert "Coffee &amp; Tea" in page and "<code>coffee-tea</code>" in page
    upload = io.BytesIO(b"name,price,category\nMystery,4.00,Biscuits\n")
    upload.name = "c.csv"
    refused = client.post(reverse("sell:product-import"), {"file": upload}).content.decode()
    assert "Line 2, column category: unknown category &#x27;biscuits&#x27;" in refused
    assert "Coffee &amp; Tea" in refused  # the list is there to pick from
    assert not Product.objects.filter(vendor=vendor).exists()


# --- Money in pence ----------------------------------------------------------------------------------------------


def _long_decimals(promotion: Promotion) -> PromotionResults:
    """Results with more decimal places than money has (as SUM gave them on the SQLite of an earlier embedded
    mode): pages and the API still show pence."""
    return PromotionResults(
        promotion=promotion,
        min_group=5,
        reached=None,
        redemptions=7,
        discount_total=Decimal("12.5"),
        revenue=Decimal("330.410000000000"),
    )


@pytest.fixture
def promotion(vendor):  # type: ignore[no-untyped-def]
    now = timezone.now()
    return Promotion.objects.create(
        vendor=vendor, title="Ten off", discount_value=10, starts_at=now, ends_at=now + timedelta(days=3)
    )


@pytest.mark.django_db
def test_promotion_results_page_shows_money_with_two_decimals(client, vendor, promotion, monkeypatch):
    monkeypatch.setattr("marketplace.sell.views.orders.promotion_results", _long_decimals)
    client.force_login(vendor.owner)
    page = client.get(reverse("sell:promotion-results", args=[promotion.pk])).content.decode()
    assert "£330.41" in page and "330.4100" not in page
    assert "£12.50" in page


@pytest.mark.django_db
def test_promotion_results_api_shows_money_with_two_decimals(vendor, promotion, monkeypatch):
    monkeypatch.setattr("marketplace.sell.api.views.orders.promotion_results", _long_decimals)
    api = APIClient()
    api.force_authenticate(vendor.owner)
    body = api.get(reverse("api:sell-promotion-results", args=[promotion.pk])).json()
    assert (body["revenue"], body["discount_total"]) == ("330.41", "12.50")
