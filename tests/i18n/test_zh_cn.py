"""A visitor whose browser asks for Simplified Chinese (zh-CN) gets Traditional Chinese, as docs/i18n.md decides:
the page's language, the content's Chinese names and the API's messages and names."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import CategoryFactory, ProductFactory, VendorFactory

pytestmark = pytest.mark.django_db

ZH_CN = {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9,en;q=0.8"}


@pytest.fixture
def harbour():
    category = CategoryFactory(name="Coffee & Tea", slug="coffee-tea", name_zh_hant="咖啡與茶")
    vendor = VendorFactory(name="Harbour Roasters", name_zh_hant="港口烘豆坊", slug="harbour", category=category)
    ProductFactory(vendor=vendor, name="Espresso beans", name_zh_hant="義式咖啡豆")
    return vendor


def test_a_zh_cn_visitor_reads_pages_and_content_in_traditional_chinese(client, harbour):
    response = client.get(reverse("shop:vendor-detail", kwargs={"slug": harbour.slug}), **ZH_CN)
    page = response.content.decode()
    assert '<html lang="zh-hant"' in page
    assert "港口烘豆坊" in page and "義式咖啡豆" in page and "咖啡與茶" in page
    assert "Harbour Roasters" not in page


def test_a_zh_cn_api_client_gets_traditional_chinese_messages_and_names(harbour):
    api = APIClient()
    assert api.get(f"/api/v1/vendors/{harbour.slug}/", **ZH_CN).json()["name"] == "港口烘豆坊"
    response = api.get("/api/v1/portfolio/", **ZH_CN)
    assert response["Content-Language"] == "zh-hant"
    assert response.json()["detail"] == "未提供身分驗證憑證。"
