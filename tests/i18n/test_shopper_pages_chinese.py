"""The shopper's side in Traditional Chinese: a consumer who chose 繁體中文 reads every page of their journey (home,
vendors, a vendor, a product, search, cart, checkout, orders, an order, My partners, the digest, ending a
partnership, the account) in Chinese, with none of the English words those pages write in English; the shop's
and portfolio's API answers its errors in Chinese under `Accept-Language: zh-Hant`."""

from __future__ import annotations

import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from marketplace.shop.services import cart_add
from portfolios.services import membership_start
from tests.factories import CategoryFactory, ProductFactory, UserFactory, VendorFactory
from tests.helpers import place_order

pytestmark = pytest.mark.django_db


class _VisibleText(HTMLParser):
    """What a reader sees of a page's <main>: its text and the words of its placeholders, labels and alt texts."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        self.parts += [value or "" for name, value in attrs if name in ("placeholder", "aria-label", "alt", "title")]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _main_text(html: str) -> str:
    main = html[html.index('<main id="main"') : html.index("</main>")]
    parser = _VisibleText()
    parser.feed(main)
    return " ".join(" ".join(parser.parts).split())


@pytest.fixture
def shop():
    """A vendor with a Chinese catalogue, and a consumer who reads Chinese and is its partner, with a paid order
    and something in their cart."""
    category = CategoryFactory(name="咖啡", slug="kafei")
    vendor = VendorFactory(name="山嵐咖啡", slug="shanlan", category=category, description="自家烘焙的咖啡豆。")
    product = ProductFactory(vendor=vendor, name="手沖咖啡豆", price=Decimal("350.00"), stock=20)
    consumer = UserFactory(email="mei@test.example", language="zh-hant")
    membership_start(consumer=consumer, vendor_id=vendor.pk)
    order = place_order(consumer, product, key="zh-1", quantity=1)
    cart_add(consumer=consumer, product_id=product.pk, quantity=2)
    return {"vendor": vendor, "product": product, "consumer": consumer, "order": order}


def _pages(shop) -> dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """Each page: its address, Chinese words it must show, and the English words it writes in English."""
    vendor, product, order = shop["vendor"], shop["product"], shop["order"]
    return {
        "home": (reverse("shop:home"), ("由您選擇與誰交易", "精選商家", "搜尋商家"), ("Featured vendors", "Search")),
        "vendor list": (
            reverse("shop:vendor-list"),
            ("顯示商家", "比較勾選的商家", "位夥伴", "評分數量尚不足"),
            ("Show vendors", "Compare", "partners", "not enough ratings"),
        ),
        "vendor page": (
            vendor.get_absolute_url(),
            ("公開資訊", "服務評分", "結束的主要原因", "加入日期", "您的夥伴之一", "買家評價", "少於 5"),
            ("Public facts", "Service rating", "Joined", "fewer than", "Reviews by buyers", "Add to cart"),
        ),
        "product page": (
            product.get_absolute_url(),
            ("有庫存", "加入購物車", "數量", "免運費"),
            ("In stock", "Add to cart", "Quantity", "Free delivery"),
        ),
        "search": (
            reverse("shop:search"),
            ("商品（夥伴優先）", "只看我的夥伴", "排序方式", "篩選條件", "來自", "您的夥伴"),
            ("Products, partners first", "Sort by", "Filters", "Best match", "Your partner", "from "),
        ),
        "cart": (
            reverse("shop:cart"),
            ("您的購物車", "商品", "數量", "總計", "前往結帳", "山嵐咖啡 小計"),
            ("Your cart", "Product", "Quantity", "Remove", "Go to checkout", "Subtotal"),
        ),
        "checkout": (
            reverse("shop:checkout"),
            ("結帳", "您的訂單", "優惠前總計", "應付總額", "收件人姓名", "下單並付款"),
            ("Checkout", "Your orders", "Total to pay", "Deliver to", "Place order", "Elsewhere"),
        ),
        "orders": (
            reverse("shop:order-list"),
            ("您的訂單", "下單時間", "狀態", "已付款", f"{order.created_at:%Y}年"),
            ("Your orders", "Placed", "Status", "Paid", "Total"),
        ),
        "order detail": (
            order.get_absolute_url(),
            (f"山嵐咖啡 的訂單 #{order.pk}", "狀態：", "已付款", "付款", "取消這筆訂單並退款", "為服務評分"),
            ("Order #", "Status", "Payment", "Cancel this order", "Rate the service", "by the card ending"),
        ),
        "my partners": (
            reverse("portfolios:portfolio"),
            ("我的夥伴", "目前的夥伴（1）", "結束夥伴關係", "將優惠活動設為靜音", "新商品", "來自 山嵐咖啡"),
            ("My partners", "Current partners", "End partnership", "Mute promotions", "New products"),
        ),
        "digest": (
            reverse("portfolios:digest"),
            ("夥伴寄給您的內容", "給您的優惠活動", "摘要郵件", "以電子郵件寄送這份摘要給我", "每週"),
            ("What your partners sent you", "Promotions for you", "digest", "Weekly", "Save"),
        ),
        "end partnership": (
            reverse("portfolios:end", args=[vendor.pk]),
            ("結束您與 山嵐咖啡 的夥伴關係", "您為什麼要結束？", "服務不佳", "不再需要", "留言（選填）", "保留"),
            ("End your partnership", "Why are you ending it", "Bad service", "Comment", "Keep it"),
        ),
        "account": (
            reverse("account:profile"),
            ("您的帳號", "您與夥伴分享的資訊", "地區", "年齡層", "不願透露", "收件地址", "下載我的資料"),
            ("Your account", "What you share", "Region", "Age band", "Prefer not to say", "Delivery addresses"),
        ),
    }


PAGES = (
    "home",
    "vendor list",
    "vendor page",
    "product page",
    "search",
    "cart",
    "checkout",
    "orders",
    "order detail",
    "my partners",
    "digest",
    "end partnership",
    "account",
)


@pytest.mark.parametrize("page", PAGES)
def test_a_chinese_reader_reads_the_shoppers_page_in_chinese(client, shop, page):
    url, chinese, english = _pages(shop)[page]
    client.force_login(shop["consumer"])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")  # their saved choice wins over the browser
    assert response.status_code == 200
    text = _main_text(response.content.decode())
    for words in chinese:
        assert words in text, f"{page}: {words!r} missing from {text!r}"
    for words in english:
        assert words not in text, f"{page}: English {words!r} in {text!r}"


@pytest.mark.parametrize("page", PAGES)
def test_the_same_pages_stay_english_for_an_english_reader(client, shop, page):
    shop["consumer"].language = "en"
    shop["consumer"].save(update_fields=["language"])
    url, chinese, _english = _pages(shop)[page]
    client.force_login(shop["consumer"])
    text = _main_text(client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    # The Chinese of the pages' own words is gone (the catalogue's names, 山嵐咖啡 and 咖啡, stay as written).
    for words in chinese:
        if not any(name in words for name in ("山嵐咖啡", "咖啡")):
            assert words not in text, f"{page}: {words!r} in English {text!r}"


def test_no_ascii_word_the_product_wrote_is_left_on_the_vendor_page(client, shop):
    """Beyond the lists: every Latin word left in the vendor page's main text is a name, a unit or a number."""
    client.force_login(shop["consumer"])
    text = _main_text(client.get(shop["vendor"].get_absolute_url()).content.decode())
    assert re.findall(r"[A-Za-z]{2,}", text) == []


def test_money_and_dates_are_written_the_chinese_way(client, shop):
    client.force_login(shop["consumer"])
    text = _main_text(client.get(reverse("shop:order-list")).content.decode())
    created = shop["order"].created_at
    assert f"{created:%Y}年{created.month}月{created.day}日" in text
    assert "£350.00" in text  # the configured currency, through the one money filter


def test_a_chinese_message_follows_an_action(client, shop):
    client.force_login(shop["consumer"])
    response = client.post(reverse("shop:cart-add", args=[shop["product"].pk]), {"quantity": "1"}, follow=True)
    assert "已將「手沖咖啡豆」加入購物車。" in response.content.decode()
    response = client.post(
        reverse("portfolios:end", args=[shop["vendor"].pk]), {"reason": "price", "comment": ""}, follow=True
    )
    assert "與 山嵐咖啡 的夥伴關係已結束。您可以從歷史紀錄中恢復。" in response.content.decode()


def test_a_form_error_comes_in_chinese(client, shop):
    client.force_login(shop["consumer"])
    response = client.get(reverse("shop:search"), {"min_price": "50", "max_price": "10"})
    assert "最高價格不可低於最低價格。" in response.content.decode()


@pytest.fixture
def api():
    consumer = UserFactory(email="api-mei@test.example", language="en")
    client = APIClient()
    client.force_authenticate(consumer)
    return client


def test_shop_api_errors_come_in_chinese_under_accept_language_zh_hant(api, shop):
    chinese = api.get("/api/v1/products/", {"min_price": "50", "max_price": "10"}, HTTP_ACCEPT_LANGUAGE="zh-Hant")
    assert chinese.status_code == 400
    assert chinese.json() == {"max_price": ["最高價格不可低於最低價格。"]}
    english = api.get("/api/v1/products/", {"min_price": "50", "max_price": "10"}, HTTP_ACCEPT_LANGUAGE="en")
    assert english.json() == {"max_price": ["The highest price must not be below the lowest."]}


def test_portfolio_api_domain_errors_come_in_chinese(api, shop):
    vendor = shop["vendor"]
    first = api.post("/api/v1/portfolio/", {"vendor_id": vendor.pk}, format="json")
    assert first.status_code == 201
    again = api.post("/api/v1/portfolio/", {"vendor_id": vendor.pk}, format="json", HTTP_ACCEPT_LANGUAGE="zh-Hant")
    assert again.status_code == 409
    assert "這家商家已經是您的夥伴。" in again.content.decode()
