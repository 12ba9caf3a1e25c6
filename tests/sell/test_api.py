"""Catalogue API: bad input answers 400 with field errors and changes nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from tests.factories import ProductFactory, VendorFactory
from vendors.models import Product


@pytest.fixture
def shop(db):
    return VendorFactory(name="Api Shop")


@pytest.fixture
def api(shop) -> APIClient:
    client = APIClient()
    client.force_authenticate(shop.owner)
    return client


@pytest.mark.django_db
def test_product_api_bad_prices_answer_400_with_field_errors(api):
    not_a_number = api.post("/api/v1/sell/products/", {"name": "Tea", "price": "abc", "stock": 1}, format="json")
    assert not_a_number.status_code == 400 and "price" in not_a_number.json()

    partner_dearer = api.post(
        "/api/v1/sell/products/", {"name": "Tea", "price": "3.00", "partner_price": "4.00"}, format="json"
    )
    assert partner_dearer.status_code == 400 and "partner_price" in partner_dearer.json()
    assert not Product.objects.exists()


@pytest.mark.django_db
def test_product_stock_api_refuses_taking_more_than_is_in_stock(api, shop):
    product = ProductFactory(vendor=shop, stock=2)
    response = api.post(f"/api/v1/sell/products/{product.pk}/stock/", {"delta": -3}, format="json")
    assert response.status_code == 400 and "delta" in response.json()
    product.refresh_from_db()
    assert product.stock == 2


@pytest.mark.django_db
def test_catalogue_import_api_bad_row_answers_400_naming_the_line_and_imports_nothing(api):
    upload = SimpleUploadedFile("c.csv", b"name,price,stock\nGood,2.00,1\nBad,-1,x\n", content_type="text/csv")
    response = api.post("/api/v1/sell/products/import/", {"file": upload}, format="multipart")
    assert response.status_code == 400
    messages = " ".join(response.json()["file"])
    assert "Line 3, column price" in messages and "Line 3, column stock" in messages
    assert not Product.objects.exists()
