"""The demo marketplace has vendors whose catalogue is written in Chinese, so both readers see a real
marketplace: their names, descriptions and products in Chinese, found by a Chinese search, and the demo
categories named in both languages."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from vendors.models import Category, Product, Vendor

pytestmark = pytest.mark.django_db

SMALL = ["--consumers", "20", "--vendors", "4", "--products-per-vendor", "2", "--memberships-per-consumer", "2"]


def test_the_demo_has_vendors_writing_in_chinese(client):
    call_command("seed_demo", *SMALL, "--seed", "3", "--no-progress", verbosity=0)
    tea = Vendor.objects.get(slug="shancheng-tea")
    assert tea.is_approved and tea.name == "山城茶行" and "高山烏龍" in tea.description
    assert tea.products.filter(name="阿里山高山烏龍茶").exists()
    assert Vendor.objects.approved().filter(name__regex=r"^[\u4e00-\u9fff]").count() >= 3
    bilingual = Vendor.objects.get(slug="formosa-cycle-works")
    assert (bilingual.name, bilingual.name_zh_hant) == ("Formosa Cycle Works", "福爾摩沙單車工坊")
    assert not Category.objects.filter(name_zh_hant="").exists()
    # A second run adds nothing
    before = (Vendor.objects.count(), Product.objects.count())
    call_command("seed_demo", *SMALL, "--seed", "3", "--no-progress", verbosity=0)
    assert (Vendor.objects.count(), Product.objects.count()) == before
    # Both readers see them; a Chinese search finds them
    english = client.get(
        reverse("shop:vendor-detail", kwargs={"slug": "formosa-cycle-works"}), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Formosa Cycle Works" in english.content.decode()
    chinese = client.get(
        reverse("shop:vendor-detail", kwargs={"slug": "formosa-cycle-works"}), HTTP_ACCEPT_LANGUAGE="zh-Hant"
    )
    page = chinese.content.decode()
    assert "福爾摩沙單車工坊" in page and "單車尾燈" in page and "Chain lube" in page  # no Chinese name: English
    found = client.get(reverse("shop:search"), {"q": "烏龍"}, HTTP_ACCEPT_LANGUAGE="zh-Hant").content.decode()
    assert "阿里山高山烏龍茶" in found and "凍頂烏龍茶（傳統焙火）" in found
