"""The vendor's and the moderators' side in Traditional Chinese: a vendor or moderator who chose 繁體中文 reads
their pages in it (key words present, none of the English ones they replace), the insights charts' labels come
from the JavaScript catalogue in their language, the CSV import names a bad row in Chinese, and every e-mail goes
out in its recipient's language, whoever caused it."""

from __future__ import annotations

import gettext
import io
import json
import shutil
import subprocess
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from promotions import services as promo
from tests.factories import ProductFactory, UserFactory, VendorFactory
from tests.helpers import outbox_html, outbox_to, place_order
from vendors import models as vendor_models
from vendors.moderation import services as moderation

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hant" / "LC_MESSAGES"
needs_msgfmt = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")


@pytest.fixture
def chinese_vendor(category):
    owner = UserFactory(email="chen@test.example", language="zh-hant")
    return VendorFactory(owner=owner, name="陳記茶行", slug="chen-tea", category=category)


@pytest.fixture
def shop(chinese_vendor, consumer):
    """The Chinese vendor with a product, a paid order and a draft promotion."""
    product = ProductFactory(vendor=chinese_vendor, name="凍頂烏龍", partner_price=Decimal("8.00"), stock=20)
    order = place_order(consumer, product)
    now = timezone.now()
    promotion = promo.promotion_create(
        vendor=chinese_vendor,
        title="春季優惠",
        discount_value=Decimal("5"),
        starts_at=now + timedelta(days=1),
        ends_at=now + timedelta(days=8),
    )
    return {"product": product, "order": order, "promotion": promotion}


def _page(client, user, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert '<html lang="zh-hant"' in html
    return html


VENDOR_PAGES = {
    "workspace": (
        lambda s: reverse("sell:workspace"),
        ["工作區", "商品目錄", "運送", "撥款", "洞察報表", "優惠活動", "服務地區", "查看您的公開頁面"],
        [">Workspace<", ">Catalogue<", ">Payouts<", ">Insights<", "Regions served", "See your public page"],
    ),
    "products": (
        lambda s: reverse("sell:product-list"),
        ["新增商品", "匯入 CSV", "匯出 CSV", "夥伴價", "庫存", "販售中", "調整", "下架"],
        ["Add a product", "Import CSV", "Partner price", ">Adjust<", "On sale", ">Deactivate<", "by name"],
    ),
    "product form": (
        lambda s: reverse("sell:product-edit", args=[s["product"].pk]),
        ["編輯「凍頂烏龍」", "名稱", "說明", "庫存", "分類", "只有您目前的夥伴能看到", "儲存商品"],
        ["Save product", "Only your current partners", "SKU (optional)", ">Stock<", "megapixels"],
    ),
    "orders": (
        lambda s: reverse("sell:order-list"),
        ["訂單", "下單時間", "買家", "品項", "總計", "最新的在前"],
        [">Placed<", ">Buyer<", ">Items<", "newest first", ">All<"],
    ),
    "order": (
        lambda s: reverse("sell:order-detail", args=[s["order"].pk]),
        ["送至：", "小計", "物流業者（選填）", "標示為已出貨", "取消、退款給買家並歸還庫存"],
        ["Deliver to:", "Subtotal", "Carrier (optional)", "Mark shipped", "Cancel, refund", "For you:"],
    ),
    "promotions": (
        lambda s: reverse("sell:promotion-list"),
        ["設計優惠活動", "標題", "受眾", "春季優惠"],
        ["Design a promotion", ">Title<", ">Audience<", ">When<"],
    ),
    "promotion": (
        lambda s: reverse("sell:promotion-edit", args=[s["promotion"].pk]),
        ["受眾（僅限夥伴）", "折扣", "時程", "開始", "結束", "儲存草稿並預覽受眾", "刪除草稿", "每位消費者可用次數"],
        ["Save draft and preview audience", "Delete draft", ">Schedule<", "Audience (partners only)", "Uses per"],
    ),
    "insights": (
        lambda s: reverse("sell:insights"),
        ["誰是 陳記茶行 的夥伴", "目前夥伴", "累計夥伴", "夥伴關係結束的原因", "您的夥伴是誰", "以表格檢視趨勢"],
        ["Who holds", "Current partners", "Why partnerships ended", "Who your partners are", "Partners over"],
    ),
    "payouts": (
        lambda s: reverse("sell:payouts"),
        ["撥款帳戶", "餘額", "待撥款", "已退款給買家", "手續費"],
        ["Payout account", ">Balance<", "Refunded to buyers", "marketplace's fee", ">Gross<"],
    ),
    "shipping": (
        lambda s: reverse("sell:shipping"),
        ["運費", "每筆訂單運費", "免運門檻", "各地區運費（選填）", "儲存運費"],
        ["Delivery charges", "Delivery per order", "Free delivery over", "Save delivery charges"],
    ),
}


@pytest.mark.parametrize("name", list(VENDOR_PAGES))
def test_a_chinese_vendor_reads_their_workspace_in_chinese(client, shop, chinese_vendor, name):
    url, chinese, english = VENDOR_PAGES[name]
    html = _page(client, chinese_vendor.owner, url(shop))
    for words in chinese:
        assert words in html, f"{name}: {words}"
    for words in english:
        assert words not in html, f"{name}: {words}"


def test_the_promotion_form_takes_dates_from_the_browsers_picker_in_chinese(client, shop, chinese_vendor):
    # Given a vendor reading Chinese, whose form shows the browser's own date and time pickers
    html = _page(client, chinese_vendor.owner, reverse("sell:promotion-edit", args=[shop["promotion"].pk]))
    assert html.count('type="datetime-local"') == 2

    # When they save the draft with the ISO values those pickers send
    response = client.post(
        reverse("sell:promotion-edit", args=[shop["promotion"].pk]),
        {
            "title": "春季優惠",
            "kind": "partners",
            "audience": "all",
            "discount_type": "percent",
            "discount_value": "10",
            "uses_per_consumer": "1",
            "starts_at": "2031-03-01T09:00",
            "ends_at": "2031-03-15T21:00",
        },
    )

    # Then the dates are read as typed, in any language
    assert response.status_code == 302
    shop["promotion"].refresh_from_db()
    assert timezone.localtime(shop["promotion"].starts_at).strftime("%Y-%m-%d %H:%M") == "2031-03-01 09:00"


def test_the_insights_charts_read_their_labels_from_the_javascript_catalogue(client, shop, chinese_vendor):
    # The page loads the catalogue before the charts' script, both from this origin (the CSP's script-src 'self')
    html = _page(client, chinese_vendor.owner, reverse("sell:insights"))
    catalogue_url = reverse("javascript-catalog")
    assert f'<script src="{catalogue_url}"></script>' in html
    assert html.index(catalogue_url) < html.index("js/insights.js")

    # The catalogue a Chinese reader gets has the charts' words in Chinese; an English reader's has none
    chinese = client.get(catalogue_url).content.decode()
    for english, words in (
        ("Partners", "夥伴"),
        ("Added", "新增"),
        ("Ended", "結束"),
        ("fewer than %(k)s", "少於 %(k)s"),
    ):
        assert f"{json.dumps(english)}: {json.dumps(words)}" in chinese, english
    client.logout()
    english = client.get(catalogue_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert json.dumps("夥伴") not in english
    assert 'gettext("Partners")' in (Path(settings.BASE_DIR) / "static" / "js" / "insights.js").read_text()


@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_the_csv_import_names_a_bad_row_in_the_vendors_language(client, chinese_vendor, language):
    chinese_vendor.owner.language = language
    chinese_vendor.owner.save(update_fields=["language"])
    client.force_login(chinese_vendor.owner)
    upload = io.BytesIO("name,price,stock\n凍頂烏龍,,3\n高山茶,12,many\n".encode())
    upload.name = "catalogue.csv"

    response = client.post(reverse("sell:product-import"), {"file": upload})

    html = response.content.decode()
    if language == "zh-hant":
        assert "第 2 行，price 欄：為必填。" in html
        assert "第 3 行，stock 欄：&#x27;many&#x27; 不是整數。" in html
        assert "沒有匯入任何資料。" in html and "Nothing was imported" not in html
    else:
        assert "Line 2, column price: is required." in html
        assert "Line 3, column stock: &#x27;many&#x27; is not a whole number." in html
    assert not chinese_vendor.products.exists()


MODERATOR_PAGES = {
    "queue": (
        lambda v: reverse("moderation:queue"),
        [
            "審核佇列",
            "預警（0）",
            "待審申請（1），最早的在前",
            "申請時間",
            "核准",
            "退件",
            "稽核紀錄",
            "沒有被標記的商家。",
        ],
        ["Moderation queue", "Early warnings", "Applications waiting", ">Approve<", ">Reject<", "Audit log"],
    ),
    "vendor detail": (
        lambda v: reverse("moderation:vendor-detail", args=[v.pk]),
        ["擁有者", "分類", "服務地區", "加入日期", "停權", "待處理的檢舉（0）", "歷程", "尚無審核動作。"],
        [">Owner<", ">Joined<", ">Suspend<", "Open reports", ">History<", "No moderation action yet"],
    ),
}


@pytest.mark.parametrize("name", list(MODERATOR_PAGES))
def test_a_chinese_moderator_reads_the_queue_and_a_vendor_in_chinese(client, moderator, vendor, category, name):
    moderator.language = "zh-hant"
    moderator.save(update_fields=["language"])
    VendorFactory(name="Pending Tea", category=category, status=vendor_models.Vendor.Status.PENDING, approved_at=None)
    url, chinese, english = MODERATOR_PAGES[name]
    html = _page(client, moderator, url(vendor))
    for words in chinese:
        assert words in html, f"{name}: {words}"
    for words in english:
        assert words not in html, f"{name}: {words}"


def test_an_order_mails_the_chinese_buyer_in_chinese_and_the_english_vendor_in_english(
    category, django_capture_on_commit_callbacks
):
    # Given a buyer who reads Chinese and a vendor whose owner saved no language (English)
    buyer = UserFactory(email="mei@test.example", language="zh-hant")
    product = ProductFactory(vendor=VendorFactory(name="Bean There", category=category), name="House Blend")

    # When the buyer's order is placed and paid (in a request of theirs, in Chinese)
    with django_capture_on_commit_callbacks(execute=True):
        order = place_order(buyer, product)

    # Then the buyer's copy is Chinese, subject included, and the vendor's English
    (to_buyer,) = outbox_to(buyer.email)
    assert to_buyer.subject == f"您已向 Bean There 下訂單 #{order.pk}"
    assert "感謝您向 Bean There 訂購" in to_buyer.body and "2 × House Blend，單價" in to_buyer.body
    assert "Thank you" not in to_buyer.body and "Total" not in to_buyer.body
    assert '<html lang="zh-hant">' in outbox_html(to_buyer) and "商品" in outbox_html(to_buyer)
    (to_vendor,) = outbox_to(product.vendor.owner.email)
    assert to_vendor.subject == f"New order #{order.pk} for Bean There"
    assert "has a new paid order" in to_vendor.body and "2 × House Blend at" in to_vendor.body
    assert "訂單" not in to_vendor.body and '<html lang="en-GB">' in outbox_html(to_vendor)


def test_a_moderators_action_mails_the_owner_in_the_owners_language(
    moderator, chinese_vendor, django_capture_on_commit_callbacks
):
    # An English-reading moderator suspends the Chinese-reading owner's vendor
    with django_capture_on_commit_callbacks(execute=True):
        moderation.vendor_suspend(moderator=moderator, vendor_id=chinese_vendor.pk, reason="Counterfeit tea.")

    (message,) = outbox_to(chinese_vendor.owner.email)
    assert message.subject.startswith("陳記茶行：")
    assert "陳記茶行 已被停權。" in message.body and "原因：Counterfeit tea." in message.body
    assert "has been suspended" not in message.body


@needs_msgfmt
def test_the_scripts_catalogue_is_translated_and_compiled(tmp_path):
    po = CATALOGUE / "djangojs.po"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(tmp_path / "djangojs.mo"), str(po)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr
    with (tmp_path / "djangojs.mo").open("rb") as fresh, (CATALOGUE / "djangojs.mo").open("rb") as committed:
        expected, found = gettext.GNUTranslations(fresh), gettext.GNUTranslations(committed)
    assert found._catalog == expected._catalog, "run `make messages` and commit locale/"  # type: ignore[attr-defined]
