"""Money is written one way on every page (marketplace/kernel/money.py): the currency's symbol, a thousands
separator and two decimals, on the pages that once showed "£10.8000000000000" and "£4.5": My partners' new
products, search with partner prices, and the cart."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from marketplace.kernel.money import format_money
from marketplace.shop.services import cart_add
from portfolios.services import membership_start
from tests.factories import ProductFactory

# A price with another number of decimals than two, anywhere on a page: "£4.5", "£10.8000000000000", "£16".
BAD_PRICE = re.compile(r"£\d[\d,]*(?:\.\d(?!\d)|\.\d{3,}|(?![\d.,]))")


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (Decimal("1376.4"), "£1,376.40"),
        (Decimal("10.8000000000000"), "£10.80"),
        (Decimal("4.5"), "£4.50"),
        (16, "£16.00"),
        (Decimal("0"), "£0.00"),
        (None, "—"),
        ("NaN", "—"),
        ("sNaN", "—"),
        ("Infinity", "—"),
    ],
)
def test_format_money_writes_two_decimals_and_a_thousands_separator(amount, shown):
    assert format_money(amount) == shown
    assert Template("{{ amount|money }}").render(Context({"amount": amount})) == shown


def test_an_amount_is_written_in_each_readers_language_and_currency_even_when_written_before():
    # Amounts are kept once written (money._formatted): the key holds the language and the currency.
    assert format_money(Decimal("1376.4")) == "£1,376.40"
    with override_settings(MARKETPLACE={**settings.MARKETPLACE, "CURRENCY": "TWD"}):
        english = format_money(Decimal("1376.4"))
        with translation.override("zh-hant"):
            chinese = format_money(Decimal("1376.4"))
    assert (english, chinese) == ("NT$1,376.40", "$1,376.40")
    assert format_money(Decimal("1376.4")) == "£1,376.40"


@pytest.fixture
def partner_product(consumer, vendor):
    membership_start(consumer=consumer, vendor_id=vendor.pk)
    return ProductFactory(
        vendor=vendor, name="Espresso grinder", price=Decimal("1376.40"), partner_price=Decimal("1200.5"), stock=9
    )


@pytest.mark.django_db
def test_my_partners_new_products_show_partner_prices_with_two_decimals(consumer_client, partner_product):
    page = consumer_client.get(reverse("portfolios:portfolio")).content.decode()
    assert "Espresso grinder" in page
    assert "£1,200.50" in page
    assert not BAD_PRICE.findall(page)


@pytest.mark.django_db
def test_search_shows_partner_price_beside_the_price_with_two_decimals(consumer_client, partner_product):
    page = consumer_client.get(reverse("shop:search"), {"q": "grinder"}).content.decode()
    assert "£1,200.50" in page and "£1,376.40" in page
    assert not BAD_PRICE.findall(page)


@pytest.mark.django_db
def test_cart_shows_prices_and_totals_with_two_decimals(consumer, consumer_client, partner_product):
    cart_add(consumer=consumer, product_id=partner_product.pk, quantity=2)
    page = consumer_client.get(reverse("shop:cart")).content.decode()
    assert "£1,200.50" in page and "£2,401.00" in page
    assert not BAD_PRICE.findall(page)
