"""Content in the reader's language: categories, regions, interests and reasons for ending have names in both
languages; a vendor's and a product's name and description are shown in the reader's language where the vendor
gave it, else in the other. Pages and the API alike, and a kept card made for one language serves the other."""

from __future__ import annotations

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from marketplace.accounts.models import Interest, Region
from marketplace.kernel.languages import in_reader_language
from portfolios.models import EndReason
from portfolios.services import membership_start
from tests.factories import CategoryFactory, ProductFactory, VendorFactory

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-Hant"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def harbour():
    """An English vendor that gave its shop's and one product's Chinese, a product only in English, in a category
    with a Chinese name, serving London."""
    category = CategoryFactory(name="Coffee & Tea", slug="coffee-tea", name_zh_hant="咖啡與茶")
    vendor = VendorFactory(
        name="Harbour Roasters",
        name_zh_hant="港口烘豆坊",
        slug="harbour",
        description="Small-batch coffee.",
        description_zh_hant="小批次烘焙的咖啡。",
        category=category,
    )
    vendor.regions.set(Region.objects.filter(code="london"))
    ProductFactory(
        vendor=vendor,
        name="Espresso beans",
        name_zh_hant="義式咖啡豆",
        description="Dark and sweet.",
        description_zh_hant="深焙，帶甜味。",
        price=Decimal("9.00"),
    )
    ProductFactory(vendor=vendor, name="Paper filters", description="Unbleached.", price=Decimal("3.00"))
    return vendor


@pytest.fixture
def tea_house():
    """A vendor that writes only in Chinese (its main fields hold Chinese)."""
    vendor = VendorFactory(name="山城茶行", slug="shancheng", description="阿里山高山茶。")
    ProductFactory(vendor=vendor, name="高山烏龍茶", description="手工焙火。", price=Decimal("12.00"))
    return vendor


def test_the_reference_rows_have_chinese_names():
    assert Region.objects.get(code="london").name_zh_hant == "倫敦"
    assert Region.objects.get(code="scotland").name_zh_hant == "蘇格蘭"
    assert Interest.objects.get(slug="cooking").name_zh_hant == "烹飪"
    assert not Region.objects.filter(name_zh_hant="").exists()
    assert not Interest.objects.filter(name_zh_hant="").exists()
    with translation.override("zh-hant"):
        assert str(Region.objects.get(code="london")) == "倫敦"
    with translation.override("en"):
        assert str(Region.objects.get(code="london")) == "London"


def test_the_data_migration_names_existing_categories_in_chinese():
    CategoryFactory(name="Bakery", slug="bakery")
    CategoryFactory(name="Own category", slug="own-category")
    importlib.import_module("vendors.migrations.0008_bilingual_names").add_chinese_names(apps, None)
    names = dict(apps.get_model("vendors", "Category").objects.values_list("slug", "name_zh_hant"))
    assert names["bakery"] == "烘焙坊"
    assert names["own-category"] == ""  # not one of the marketplace's own: its admin names it


def test_reasons_for_ending_read_in_chinese():
    with translation.override("zh-hant"):
        assert str(EndReason.BAD_SERVICE.label) == "服務不佳"
        assert [str(label) for _, label in EndReason.choices] == ["服務不佳", "價格", "品質", "不再需要", "其他"]
    with translation.override("en"):
        assert str(EndReason.BAD_SERVICE.label) == "Bad service"


@pytest.mark.parametrize(
    ("language", "main", "chinese", "shown"),
    [
        ("en", "Harbour", "港口", "Harbour"),
        ("zh-hant", "Harbour", "港口", "港口"),
        ("zh-hant", "Harbour", "", "Harbour"),  # no Chinese given: the English one
        ("en", "", "港口", "港口"),  # only Chinese given (a description): the Chinese one
        ("en", "山城茶行", "", "山城茶行"),  # a vendor writing only in Chinese keeps it in the main field
    ],
)
def test_in_reader_language_falls_back_to_the_other(language, main, chinese, shown):
    with translation.override(language):
        assert in_reader_language(main, chinese) == shown


def test_vendor_page_reads_in_the_readers_language(client, harbour):
    url = reverse("shop:vendor-detail", kwargs={"slug": harbour.slug})
    chinese = client.get(url, **ZH).content.decode()
    for text in ("港口烘豆坊", "小批次烘焙的咖啡。", "咖啡與茶", "倫敦", "義式咖啡豆", "Paper filters"):
        assert text in chinese
    assert "Harbour Roasters" not in chinese and "Espresso beans" not in chinese
    english = client.get(url, **EN).content.decode()
    for text in ("Harbour Roasters", "Small-batch coffee.", "Coffee &amp; Tea", "London", "Espresso beans"):
        assert text in english
    assert "港口烘豆坊" not in english and "義式咖啡豆" not in english


def test_product_page_reads_in_the_readers_language(client, harbour):
    product = harbour.products.get(name="Espresso beans")
    url = reverse("shop:product-detail", kwargs={"pk": product.pk})
    chinese = client.get(url, **ZH).content.decode()
    assert "<h1>義式咖啡豆</h1>" in chinese and "深焙，帶甜味。" in chinese and "港口烘豆坊" in chinese
    english = client.get(url, **EN).content.decode()
    assert "<h1>Espresso beans</h1>" in english and "Dark and sweet." in english


def test_a_vendor_writing_only_in_chinese_is_shown_in_chinese_to_english_readers(client, tea_house):
    page = client.get(reverse("shop:vendor-detail", kwargs={"slug": tea_house.slug}), **EN).content.decode()
    assert "<h1>山城茶行</h1>" in page and "高山烏龍茶" in page


def test_directory_cards_kept_for_one_language_serve_the_other_its_names(client, harbour):
    """The cards' kept values carry both names: an English visit first, then a Chinese one, each sees its own."""
    url = reverse("shop:vendor-list")
    assert "Harbour Roasters" in client.get(url, **EN).content.decode()
    chinese = client.get(url, **ZH).content.decode()
    assert "港口烘豆坊" in chinese and "Harbour Roasters" not in chinese
    assert "咖啡與茶" in chinese and "倫敦" in chinese
    assert "Harbour Roasters" in client.get(url, **EN).content.decode()


def test_search_results_read_in_the_readers_language(client, harbour):
    chinese = client.get(reverse("shop:search"), {"q": "espresso"}, **ZH).content.decode()
    assert "義式咖啡豆" in chinese and "港口烘豆坊" in chinese


def test_the_api_answers_names_in_the_requests_language(harbour, tea_house):
    api = APIClient()
    vendor = api.get(f"/api/v1/vendors/{harbour.slug}/", **ZH).json()
    assert (vendor["name"], vendor["description"]) == ("港口烘豆坊", "小批次烘焙的咖啡。")
    assert api.get(f"/api/v1/vendors/{harbour.slug}/", **EN).json()["name"] == "Harbour Roasters"
    products = {p["name"]: p for p in api.get("/api/v1/products/", {"q": "espresso"}, **ZH).json()["results"]}
    assert set(products) == {"義式咖啡豆"}
    assert products["義式咖啡豆"]["vendor_name"] == "港口烘豆坊"
    assert products["義式咖啡豆"]["description"] == "深焙，帶甜味。"
    english = api.get(f"/api/v1/vendors/{tea_house.slug}/", **EN).json()
    assert english["name"] == "山城茶行"  # only Chinese given


def test_portfolio_shows_partners_in_the_readers_language(client, consumer, harbour):
    membership_start(consumer=consumer, vendor_id=harbour.pk)
    client.force_login(consumer)
    consumer.language = ""
    consumer.save(update_fields=["language"])
    page = client.get(reverse("portfolios:portfolio"), **ZH).content.decode()
    assert "港口烘豆坊" in page and "咖啡與茶" in page
