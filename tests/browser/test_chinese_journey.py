"""A new shopper who reads Traditional Chinese does the whole journey in Chromium: switches the site to 繁體中文
from the header, signs up, adds two shops to their partners, finds a product by its Chinese name, buys it and pays
with the fake provider's test card, then ends a partnership. Every step reads in Chinese, and the main content
never shows an English word the product wrote (allowed: the brand and what the shopper typed), in its text,
its placeholders, alternative texts and labels, or drawn in its pictures.

Screenshots of each step go to $JOURNEY_SCREENSHOTS when it is set (for a person to look at, or to attach to a
note), else to test-artifacts/screenshots/. The assertions read the page's text, not its pixels: no font needed."""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from marketplace.shop.models import Order
from marketplace.shop.payments.fake_delivery import http_transport, transport_set
from portfolios.models import PartnerMembership
from tests.factories import CategoryFactory, ProductFactory, VendorFactory
from tests.helpers import PROJECT_DIR

EMAIL = "mei.lin@example.com"
PASSWORD = "a-Long-and-new-passw0rd"
# What may stand in Latin letters on a Chinese page: the brand, and the words of what the shopper typed (their
# e-mail address). Everything else the product wrote must be Chinese.
BRAND = "Partner Marketplace"
ALLOWED_WORDS = {"mei", "lin", "example", "com"}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")
SVG_TEXT = re.compile(r"<text[^>]*>([^<]*)</text>")


@pytest.fixture
def webhooks_over_http(live_server, settings):
    """The fake provider posts its signed events over HTTP to the live server's webhook endpoint."""
    settings.SITE_URL = live_server.url
    previous = transport_set(http_transport)
    yield
    transport_set(previous)


class Journey:
    """Each step: the page is in Chinese, its screenshot is saved (numbered in the journey's order), and the English
    words of its main content are noted; the test asserts on all of them at the end, so one run lists every page
    that leaks rather than only the first."""

    def __init__(self, page: Page, folder: Path) -> None:
        self.page, self.folder = page, folder
        self.english: dict[str, list[str]] = {}
        self.steps: list[str] = []

    def __call__(self, name: str) -> None:
        expect(self.page.locator("html")).to_have_attribute("lang", "zh-hant")
        self.steps.append(name)
        self.page.screenshot(
            path=str(self.folder / f"chinese-journey-{len(self.steps):02d}-{name}.png"), full_page=True
        )
        main = self.page.locator("main")
        # What a reader meets besides the text: placeholders, alternative texts, labels and tooltips, and the words
        # drawn in the pictures (the SVGs) the page shows.
        attributes = main.evaluate(
            """main => [...main.querySelectorAll('[placeholder], [alt], [title], [aria-label]')].flatMap(node =>
                ['placeholder', 'alt', 'title', 'aria-label'].map(name => node.getAttribute(name) || ''))"""
        )
        pictures = main.evaluate(
            "main => [...new Set([...main.querySelectorAll(`img[src$='.svg']`)].map(img => img.src))]"
        )
        drawn = [SVG_TEXT.findall(self.page.request.get(url).text()) for url in pictures]
        text = "\n".join([main.inner_text(), *attributes, *(words for texts in drawn for words in texts)])
        text = text.replace(BRAND, "")
        words = sorted({word for word in LATIN_WORD.findall(text) if word.lower() not in ALLOWED_WORDS})
        if words:
            self.english[name] = words


@pytest.fixture
def step(page: Page) -> Journey:
    folder = Path(os.environ.get("JOURNEY_SCREENSHOTS") or PROJECT_DIR / "test-artifacts" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return Journey(page, folder)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_new_shopper_does_the_whole_journey_in_chinese(live_server, page: Page, step: Journey, webhooks_over_http):
    tea = CategoryFactory(name="Tea", name_zh_hant="茶", slug="tea")
    baking = CategoryFactory(name="Bakery", name_zh_hant="烘焙點心", slug="bakery")
    # A shop that writes only Chinese, and one that writes English with a Chinese name beside it.
    tea_house = VendorFactory(
        name="山嵐茶園", slug="shanlan-tea", category=tea, description="阿里山高山茶，自家茶園採摘與烘焙。"
    )
    bakery = VendorFactory(
        name="Harbour Bakery",
        name_zh_hant="港灣烘焙坊",
        slug="harbour-bakery",
        category=baking,
        description="Sourdough baked every morning.",
        description_zh_hant="每天早上出爐的酸種麵包。",
    )
    ProductFactory(
        vendor=tea_house,
        name="阿里山高山烏龍茶",
        description="手採茶菁，焙火香氣溫潤。",
        price=Decimal("12.00"),
        partner_price=Decimal("10.00"),
        stock=5,
    )
    ProductFactory(vendor=bakery, name="Pineapple cake", name_zh_hant="鳳梨酥禮盒", price=Decimal("8.00"), stock=5)

    # The site opens in English (the browser asks for it) and the shopper switches from the header.
    page.goto(f"{live_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="繁體中文").click()
    nav = page.get_by_role("navigation", name="主選單")
    expect(nav.get_by_role("link", name="商家")).to_be_visible()
    step("home")

    # Sign up.
    nav.get_by_role("link", name="註冊").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("註冊")
    step("sign-up")
    page.get_by_label("電子信箱").fill(EMAIL)
    page.get_by_label(re.compile(r"^密碼：$")).fill(PASSWORD)
    page.get_by_label("密碼(再次輸入)").fill(PASSWORD)
    page.get_by_role("button", name="註冊").click()
    expect(page.get_by_role("button", name=f"登出（{EMAIL}）")).to_be_visible()
    step("signed-up")

    # Two shops become partners: the tea house found by a Chinese word, the bakery by its Chinese name.
    nav.get_by_role("link", name="商家").click()
    page.get_by_label("搜尋商家").fill("高山茶")
    page.get_by_role("button", name="顯示商家").click()
    expect(page.get_by_role("link", name="山嵐茶園")).to_be_visible()
    expect(page.get_by_role("link", name="港灣烘焙坊")).to_have_count(0)
    step("vendor-search")
    page.get_by_role("link", name="山嵐茶園").click()
    page.get_by_role("button", name="加入我的夥伴").click()
    expect(page.get_by_text("您的夥伴之一")).to_be_visible()
    step("tea-house-partner")
    page.goto(f"{live_server.url}/vendors/harbour-bakery/")
    expect(page.get_by_role("heading", level=1)).to_have_text("港灣烘焙坊")
    expect(page.get_by_text("每天早上出爐的酸種麵包。")).to_be_visible()
    page.get_by_role("button", name="加入我的夥伴").click()
    expect(page.get_by_text("您的夥伴之一")).to_be_visible()
    step("bakery-partner")

    # Product search by a Chinese word inside the name: the partner's product, marked, at the partner price.
    page.goto(f"{live_server.url}/search/")
    page.get_by_label("搜尋商品").fill("烏龍")
    page.get_by_role("button", name="搜尋").click()
    first = page.locator("ol.results > li").first
    expect(first).to_contain_text("阿里山高山烏龍茶")
    expect(first).to_contain_text("您的夥伴")
    expect(first).to_contain_text("10.00")
    step("product-search")

    # Into the cart, through checkout, paid with the test card.
    first.get_by_role("link", name="阿里山高山烏龍茶").click()
    page.get_by_role("button", name="加入購物車").click()
    nav.get_by_role("link", name=re.compile("購物車")).click()
    expect(page.get_by_role("link", name="阿里山高山烏龍茶")).to_be_visible()
    step("cart")
    page.get_by_role("link", name="前往結帳").click()
    page.get_by_label("收件人姓名").fill("林美")
    page.get_by_label("地址").fill("台北市大安區復興南路一段 100 號")
    step("checkout")
    page.get_by_role("button", name="下單並付款").click()
    expect(page.get_by_text(re.compile("應付總額："))).to_be_visible()
    page.get_by_label("卡號").fill("4242 4242 4242 4242")
    step("pay")
    page.get_by_role("button", name=re.compile("^支付")).click()
    expect(page.get_by_text("謝謝您：1 筆訂單已成立並付款。")).to_be_visible()
    expect(page.get_by_role("cell", name="山嵐茶園")).to_be_visible()
    expect(page.get_by_role("cell", name="已付款", exact=True)).to_have_count(1)
    step("orders")
    assert Order.objects.get().status == Order.Status.PAID

    # End the bakery partnership with a reason.
    nav.get_by_role("link", name="我的夥伴").click()
    expect(page.get_by_role("heading", name="目前的夥伴（2）")).to_be_visible()
    step("partners")
    bakery_card = page.locator(".grid > *").filter(has_text="港灣烘焙坊")
    bakery_card.get_by_role("link", name="結束夥伴關係").click()
    page.get_by_label("服務不佳").check()
    page.get_by_label("留言（選填）").fill("麵包送到時已經不新鮮")
    step("end-partnership")
    page.get_by_role("button", name="結束夥伴關係").click()
    expect(page.get_by_text("與 港灣烘焙坊 的夥伴關係已結束。您可以從歷史紀錄中恢復。")).to_be_visible()
    expect(page.get_by_role("heading", name="目前的夥伴（1）")).to_be_visible()
    step("partnership-ended")
    assert PartnerMembership.objects.get(vendor=bakery).ended_at is not None

    assert len(step.steps) == 14
    assert not step.english, f"English words in the main content, by step: {step.english}"
