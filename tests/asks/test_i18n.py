"""The asks speak Traditional Chinese to a user who chose it: the consumer's and the vendor's pages, the form and
domain errors, and the e-mails, each written in its recipient's saved language (not the sender's)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from marketplace.asks.models import Offer
from marketplace.asks.tasks import asks_clock_task

from .conftest import in_days, offer, open_ask

pytestmark = pytest.mark.django_db


def _chinese(*users) -> None:  # type: ignore[no-untyped-def]
    for user in users:
        user.language = "zh-hant"
        user.save(update_fields=["language"])


def _page(client, user, url: str) -> str:  # type: ignore[no-untyped-def]
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _check(page: str, chinese: tuple[str, ...], english: tuple[str, ...]) -> None:
    for words in chinese:
        assert words in page, words
    for words in english:
        assert words not in page, words


def test_the_consumer_s_asks_pages_read_in_chinese(client, world):
    _chinese(world.consumer)
    ask = open_ask(world)
    offer(world.first, ask, "2899")

    listing = _page(client, world.consumer, reverse("asks:list"))
    _check(
        listing,
        (
            "我的詢問",
            "詢問我的夥伴",
            "回覆期限",
            "有效報價",
            "開放中",
            "哪些夥伴會看到我的詢問",
        ),
        ("My asks", "Ask my partners", "Respond by", "Live offers", ">Open<", "Which partners see my asks"),
    )
    partners = _page(client, world.consumer, reverse("asks:partners"))
    _check(partners, ("哪些夥伴會看到我的詢問", "不讓 Disc Hut 看到我的詢問"), ("Which partners see my asks", "Keep "))
    detail = _page(client, world.consumer, reverse("asks:detail", args=[ask.pk]))
    _check(
        detail,
        (
            "報價",
            "已發送給 2 位夥伴。",
            "接受 Disc Hut 的",
            "檢舉為誘餌報價",
            "取消這則詢問",
            "收件人",
            "評分數量尚不足",
        ),
        ("Offers", "Addressed to", "Accept ", "Report as bait", "Cancel this ask", "Deliver to", "not enough ratings"),
    )
    form = _page(client, world.consumer, reverse("asks:create"))
    _check(form, ("說出您需要什麼", "存為草稿", "類別", "回覆期限"), ("Say what you need", "Save as draft"))


def test_the_vendor_s_asks_pages_read_in_chinese(client, world):
    _chinese(world.first.owner)
    ask = open_ask(world)
    listing = _page(client, world.first.owner, reverse("asks:vendor-ask-list"))
    _check(
        listing,
        (
            "夥伴的詢問",
            "詢問者 ",
            "尚未回覆",
            "開放中",
        ),
        ("Asks from your partners", "Asker ", "Not answered", ">Open<"),
    )
    mails = _page(client, world.first.owner, reverse("asks:vendor-ask-settings"))
    _check(mails, ("夥伴提出詢問時以電子郵件通知我", "我的報價失效時以電子郵件通知我"), ("E-mail me when",))
    detail = _page(client, world.first.owner, reverse("asks:vendor-ask-detail", args=[ask.pk]))
    _check(
        detail,
        ("來自詢問者", "您的回覆", "價格", "有效期限", "送出我的報價", "沒有興趣"),
        ("From Asker", "Your answer", "Send my offer", "Not interested", "Valid until"),
    )
    insights = _page(client, world.first.owner, reverse("asks:vendor-ask-insights"))
    _check(
        insights,
        ("您的夥伴詢問些什麼", "收到的詢問", "回覆時間中位數", "數量太少，不顯示"),
        ("What your partners ask", "Asks received", "too few to show"),
    )


def test_errors_of_the_asks_read_in_chinese(client, world):
    _chinese(world.consumer)
    client.force_login(world.consumer)
    response = client.post(
        reverse("asks:create"),
        {
            "category": world.first.category_id,
            "title": "DVD",
            "description": "Region-free",
            "respond_by": in_days(30).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 400
    assert "回覆期限最多只能是 14 天後。" in response.content.decode()

    ask = open_ask(world)
    api = APIClient()
    api.force_authenticate(world.first.owner)
    api.post(f"/api/v1/sell/asks/{ask.pk}/not-interested/")
    again = api.post(f"/api/v1/sell/asks/{ask.pk}/not-interested/", HTTP_ACCEPT_LANGUAGE="zh-Hant")
    assert again.status_code == 409 and "您已經回覆過這則詢問。" in again.content.decode()


def test_each_asks_e_mail_goes_out_in_its_recipient_s_language(world, django_capture_on_commit_callbacks):
    _chinese(world.first.owner, world.consumer)  # the second vendor's owner keeps English
    with django_capture_on_commit_callbacks(execute=True):
        ask = open_ask(world, title="DVD 播放機")
    by_address = {m.to[0]: m for m in mail.outbox}
    chinese, english = by_address[world.first.owner.email], by_address[world.second.owner.email]
    assert chinese.subject == "一位夥伴提出詢問：DVD 播放機"
    assert "的一位夥伴在「Electronics」提出詢問" in chinese.body and "Hello" not in chinese.body
    assert "提出詢問" in chinese.alternatives[0][0]
    assert english.subject == "A partner asks: DVD 播放機" and "partners asks" in english.body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        made = offer(world.second, ask)  # sent by an English-speaking vendor, read by a Chinese-speaking consumer
    assert [m.subject for m in mail.outbox] == ["您的詢問有一份新報價：DVD 播放機"]

    Offer.objects.filter(pk=made.pk).update(valid_until=timezone.now() - timedelta(minutes=1))
    offer(world.first, ask)
    Offer.objects.filter(vendor=world.first).update(valid_until=timezone.now() - timedelta(minutes=1))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        asks_clock_task()
    by_address = {m.to[0]: m for m in mail.outbox}
    assert "已超過有效期限。" in by_address[world.first.owner.email].body
    assert "Its valid-until passed." in by_address[world.second.owner.email].body


def test_the_api_gives_a_lapsed_offer_s_reason_in_the_request_s_language(world):
    ask = open_ask(world)
    made = offer(world.first, ask)
    Offer.objects.filter(pk=made.pk).update(state=Offer.State.LAPSED, lapse_reason="Its valid-until passed.")
    api = APIClient()
    api.force_authenticate(world.first.owner)
    chinese = api.get(f"/api/v1/sell/asks/{ask.pk}/", HTTP_ACCEPT_LANGUAGE="zh-Hant").json()
    english = api.get(f"/api/v1/sell/asks/{ask.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert chinese["offer"]["lapse_reason"] == "已超過有效期限。"
    assert english["offer"]["lapse_reason"] == "Its valid-until passed."
