"""Vendors write their shop's and products' names and descriptions in either language or both: the optional
Traditional Chinese fields in the workspace's forms, the seller API and the CSV import (and export)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from marketplace.accounts.models import Region
from tests.factories import CategoryFactory, ProductFactory, UserFactory, VendorFactory
from vendors.models import Product, Vendor
from vendors.selectors import product_csv_export

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    category = CategoryFactory(name="Coffee & Tea", slug="coffee-tea", name_zh_hant="咖啡與茶")
    return VendorFactory(name="Harbour Roasters", category=category)


@pytest.fixture
def owner_client(client, shop):
    client.force_login(shop.owner)
    return client


@pytest.fixture
def owner_api(shop):
    api = APIClient()
    api.force_authenticate(shop.owner)
    return api


def test_product_form_takes_a_chinese_name_and_description(owner_client, shop):
    form = owner_client.get(reverse("sell:product-create")).content.decode()
    assert 'name="name_zh_hant"' in form and 'name="description_zh_hant"' in form
    response = owner_client.post(
        reverse("sell:product-create"),
        {
            "name": "Espresso beans",
            "name_zh_hant": "義式咖啡豆",
            "description": "Dark.",
            "description_zh_hant": "深焙。",
            "price": "9.00",
            "stock": "5",
            "active": "on",
        },
    )
    assert response.status_code == 302
    product = Product.objects.get(vendor=shop)
    assert (product.name_zh_hant, product.description_zh_hant) == ("義式咖啡豆", "深焙。")
    edit = owner_client.get(reverse("sell:product-edit", kwargs={"pk": product.pk})).content.decode()
    assert 'value="義式咖啡豆"' in edit


def test_product_form_refuses_a_chinese_name_too_long(owner_client, shop):
    response = owner_client.post(
        reverse("sell:product-create"), {"name": "Beans", "name_zh_hant": "豆" * 161, "price": "9.00", "stock": "1"}
    )
    assert response.status_code == 400
    assert "Ensure this value has at most 160 characters" in response.content.decode()
    assert not Product.objects.filter(vendor=shop).exists()


def test_application_and_profile_take_the_shops_chinese_name_and_description(client, shop):
    applicant = UserFactory()
    client.force_login(applicant)
    response = client.post(
        reverse("sell:apply"),
        {
            "name": "山城茶行",
            "name_zh_hant": "",
            "description": "阿里山高山茶。",
            "category": shop.category.pk,
            "regions": [Region.objects.get(code="london").pk],
            "contact_email": "tea@example.com",
        },
    )
    assert response.status_code == 302
    vendor = Vendor.objects.get(owner=applicant)
    assert (vendor.name, vendor.name_zh_hant, vendor.slug) == ("山城茶行", "", "vendor")
    client.force_login(shop.owner)
    page = client.get(reverse("sell:profile")).content.decode()
    assert 'name="description_zh_hant"' in page
    response = client.post(
        reverse("sell:profile"),
        {"description": "Small-batch coffee.", "description_zh_hant": "小批次烘焙的咖啡。", "regions": []},
    )
    assert response.status_code == 302
    shop.refresh_from_db()
    assert shop.description_zh_hant == "小批次烘焙的咖啡。"


def test_seller_api_writes_and_reads_both_languages(owner_api, shop):
    created = owner_api.post(
        "/api/v1/sell/products/",
        {"name": "Espresso beans", "name_zh_hant": "義式咖啡豆", "price": "9.00", "stock": 3},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["name_zh_hant"] == "義式咖啡豆"
    pk = created.json()["id"]
    changed = owner_api.patch(f"/api/v1/sell/products/{pk}/", {"description_zh_hant": "深焙。"}, format="json")
    assert changed.status_code == 200
    assert changed.json()["name_zh_hant"] == "義式咖啡豆"  # left as it was
    assert changed.json()["description_zh_hant"] == "深焙。"
    too_long = owner_api.patch(f"/api/v1/sell/products/{pk}/", {"name_zh_hant": "豆" * 161}, format="json")
    assert too_long.status_code == 400
    assert "name_zh_hant" in too_long.json()
    profile = owner_api.patch("/api/v1/sell/profile/", {"description_zh_hant": "咖啡。"}, format="json")
    assert profile.status_code == 200, profile.json()
    own = owner_api.get("/api/v1/sell/application/").json()
    assert own["description_zh_hant"] == "咖啡。" and own["name_zh_hant"] == ""


def test_application_api_takes_a_chinese_name():
    api = APIClient()
    api.force_authenticate(UserFactory())
    category = CategoryFactory()
    response = api.post(
        "/api/v1/sell/application/",
        {
            "name": "Mountain Tea",
            "name_zh_hant": "山城茶行",
            "description_zh_hant": "高山茶。",
            "category": category.slug,
            "contact_email": "t@example.com",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["name_zh_hant"], response.json()["description_zh_hant"]) == ("山城茶行", "高山茶。")


def _upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("catalogue.csv", text.encode())


def test_csv_import_reads_the_chinese_columns_and_a_chinese_category_name(owner_client, shop):
    csv = (
        "sku,name,name_zh_hant,description_zh_hant,price,category\nE1,Espresso beans,義式咖啡豆,深焙。,9.00,咖啡與茶\n"
    )
    response = owner_client.post(reverse("sell:product-import"), {"file": _upload(csv)})
    assert response.status_code == 302
    product = Product.objects.get(vendor=shop, sku="E1")
    assert (product.name_zh_hant, product.description_zh_hant) == ("義式咖啡豆", "深焙。")
    assert product.category.slug == "coffee-tea"


def test_csv_import_without_the_chinese_columns_keeps_the_chinese_text(owner_client, shop):
    ProductFactory(vendor=shop, sku="E1", name="Espresso", name_zh_hant="義式咖啡豆", price=Decimal("9.00"))
    csv = "sku,name,price\nE1,Espresso,10.00\n"
    response = owner_client.post(reverse("sell:product-import"), {"file": _upload(csv)})
    assert response.status_code == 302
    product = Product.objects.get(vendor=shop, sku="E1")
    assert (product.price, product.name_zh_hant) == (Decimal("10.00"), "義式咖啡豆")


def test_csv_import_names_a_chinese_cell_too_long(owner_api, shop):
    csv = f"sku,name,name_zh_hant,price\nE1,Espresso,{'豆' * 161},9.00\n"
    response = owner_api.post("/api/v1/sell/products/import/", {"file": _upload(csv)}, format="multipart")
    assert response.status_code == 400
    assert response.json() == {"file": ["Line 2, column name_zh_hant: is longer than 160 characters."]}
    assert not Product.objects.filter(vendor=shop).exists()


def test_csv_export_writes_the_chinese_columns_and_imports_back(owner_client, shop):
    ProductFactory(vendor=shop, sku="E1", name="Espresso", name_zh_hant="義式咖啡豆", description_zh_hant="深焙。")
    exported = product_csv_export(vendor=shop)
    header, row = exported.splitlines()[:2]
    assert header.endswith(",name_zh_hant,description_zh_hant")
    assert row.endswith(",義式咖啡豆,深焙。")
    Product.objects.filter(vendor=shop).update(name_zh_hant="", description_zh_hant="")
    assert owner_client.post(reverse("sell:product-import"), {"file": _upload(exported)}).status_code == 302
    assert Product.objects.get(vendor=shop, sku="E1").name_zh_hant == "義式咖啡豆"
