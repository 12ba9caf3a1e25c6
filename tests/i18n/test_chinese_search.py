"""Search finds Chinese text: PostgreSQL's parser keeps "有機烏龍茶" as one word, so the stored vectors also hold
each run of Chinese characters as overlapping pairs (vendors migration 0008) and a search asks for the pairs of
its own Chinese words. A two-character query finds a product and a vendor by their Chinese names and
descriptions, in either language's column, on the pages, in the API and in the partners-first search."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from rest_framework.test import APIClient

from marketplace.kernel.languages import han_grams_query, without_han
from marketplace.shop.selectors import product_search_partners_first
from marketplace.shop.selectors.directory import vendor_list_directory
from portfolios.services import membership_start
from tests.factories import ProductFactory, UserFactory, VendorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tea_house():
    """A vendor writing only in Chinese, and an English one whose Chinese name is in its second field."""
    chinese = VendorFactory(name="山城茶行", slug="shancheng", description="阿里山高山烏龍，手工焙火。")
    ProductFactory(vendor=chinese, name="有機烏龍茶", description="凍頂茶區的有機茶葉", price=Decimal("12.00"))
    ProductFactory(vendor=chinese, name="Jasmine green tea", name_zh_hant="茉莉綠茶", price=Decimal("8.00"))
    english = VendorFactory(name="Harbour Roasters", name_zh_hant="港口烘豆", slug="harbour", description="Coffee")
    ProductFactory(vendor=english, name="Espresso beans", description_zh_hant="深焙義式咖啡豆", price=Decimal("9.00"))
    return chinese, english


def _names(rows) -> list[str]:
    return [row.name for row in rows]


def test_han_grams_query_asks_for_each_chinese_word_as_its_pairs():
    assert han_grams_query("烏龍") == "(烏龍)"
    assert han_grams_query("烏龍茶 green 茶") == "(烏龍 <-> 龍茶) & 茶"
    assert han_grams_query("oolong") == ""
    assert without_han("烏龍 oolong，") == "oolong，"


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("烏龍", ["有機烏龍茶"]),  # two characters inside a longer name
        ("烏龍茶", ["有機烏龍茶"]),
        ("茶葉", ["有機烏龍茶"]),  # in the description
        ("綠茶", ["Jasmine green tea"]),  # the second-language name
        ("咖啡", ["Espresso beans"]),  # the second-language description
        ("港口", ["Espresso beans"]),  # the vendor's Chinese name
        ("茶", ["Jasmine green tea", "有機烏龍茶"]),  # one character
        ("有機 茶葉", ["有機烏龍茶"]),  # two words: both must match
    ],
)
def test_product_search_finds_chinese_names_and_descriptions(tea_house, query, found):
    rows = product_search_partners_first(consumer=AnonymousUser(), query=query, near_matches=False)
    assert sorted(_names(rows[:10])) == sorted(found)


def test_a_chinese_query_does_not_match_characters_out_of_order(tea_house):
    rows = product_search_partners_first(consumer=AnonymousUser(), query="龍烏", near_matches=False)
    assert _names(rows[:10]) == []


def test_mixed_english_and_chinese_query_needs_both(tea_house):
    rows = product_search_partners_first(consumer=AnonymousUser(), query="jasmine 綠茶", near_matches=False)
    assert _names(rows[:10]) == ["Jasmine green tea"]
    rows = product_search_partners_first(consumer=AnonymousUser(), query="espresso 綠茶", near_matches=False)
    assert _names(rows[:10]) == []


def test_partners_first_search_puts_the_partners_chinese_product_first(tea_house):
    chinese, english = tea_house
    ProductFactory(vendor=VendorFactory(name="別家茶舖"), name="烏龍茶包", price=Decimal("3.00"))
    consumer = UserFactory()
    membership_start(consumer=consumer, vendor_id=chinese.pk)
    rows = list(product_search_partners_first(consumer=consumer, query="烏龍")[:10])
    assert [row.name for row in rows] == ["有機烏龍茶", "烏龍茶包"]
    assert [row.from_partner for row in rows] == [True, False]


def test_vendor_search_finds_chinese_names_and_descriptions(tea_house):
    chinese, english = tea_house
    assert _names(vendor_list_directory(search="山城")[:10]) == ["山城茶行"]
    assert _names(vendor_list_directory(search="焙火")[:10]) == ["山城茶行"]
    assert _names(vendor_list_directory(search="烘豆")[:10]) == ["Harbour Roasters"]


def test_renaming_a_vendor_in_chinese_renews_its_products_search(tea_house):
    chinese, english = tea_house
    english.name_zh_hant = "海港咖啡"
    english.save(update_fields=["name_zh_hant"])
    rows = product_search_partners_first(consumer=AnonymousUser(), query="海港", near_matches=False)
    assert _names(rows[:10]) == ["Espresso beans"]


def test_search_page_directory_and_api_find_a_two_character_chinese_query(client, tea_house):
    search = client.get(reverse("shop:search"), {"q": "烏龍"}).content.decode()
    assert "有機烏龍茶" in search
    assert "Jasmine green tea" not in search
    directory = client.get(reverse("shop:vendor-list"), {"q": "山城"}).content.decode()
    assert "山城茶行" in directory
    assert "Harbour Roasters" not in directory
    api = APIClient()
    assert [p["name"] for p in api.get("/api/v1/products/", {"q": "烏龍"}).json()["results"]] == ["有機烏龍茶"]
    assert [v["slug"] for v in api.get("/api/v1/vendors/", {"q": "烘豆"}).json()["results"]] == ["harbour"]
