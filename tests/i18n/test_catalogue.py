"""The Traditional Chinese catalogue: the header, navigation and footer read in Chinese, every message in the
committed catalogue is translated (none empty, none fuzzy), and the committed .mo (what Django reads) holds
exactly the .po's translations, so a .po edited without `make messages` fails here instead of showing English."""

from __future__ import annotations

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hant" / "LC_MESSAGES"
needs_msgfmt = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")


def _header_and_footer(html: str) -> str:
    start, end = html.index("<body"), html.index('<main id="main"')
    return html[start:end] + html[html.index('<footer class="site-footer">') :]


def test_a_visitor_reads_the_header_and_footer_in_chinese(client):
    html = client.get(reverse("shop:help"), HTTP_ACCEPT_LANGUAGE="zh-TW").content.decode()
    chrome = _header_and_footer(html)
    chinese = ("跳到主要內容", 'aria-label="主選單"', "商家", "商品", "登入", "註冊", "說明", "條款", "隱私")
    for words in (*chinese, "由您選擇與誰交易"):
        assert words in chrome, words
    for english in (">Vendors<", ">Products<", ">Sign in<", ">Sign up<", ">Help<", "you choose whom you trade with"):
        assert english not in chrome, english


def test_a_signed_in_consumer_reads_their_links_in_chinese(client):
    user = UserFactory(email="mei@example.com", language="zh-hant")
    client.force_login(user)
    chrome = _header_and_footer(client.get(reverse("shop:help")).content.decode())
    for words in ("我的夥伴", "我的詢問", "購物車", "訂單", "帳號", "開店", "登出（mei@example.com）"):
        assert words in chrome, words
    assert "My partners" not in chrome and "Sign out" not in chrome


def test_english_stays_english(client):
    chrome = _header_and_footer(client.get(reverse("shop:help"), HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert ">Vendors<" in chrome and "you choose whom you trade with" in chrome
    assert "商家" not in chrome


@needs_msgfmt
def test_every_message_in_the_catalogue_is_translated():
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(CATALOGUE / "django.po")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


@needs_msgfmt
def test_the_committed_mo_holds_exactly_the_po(tmp_path):
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(CATALOGUE / "django.po")], check=True)
    with fresh.open("rb") as compiled, (CATALOGUE / "django.mo").open("rb") as committed:
        expected, found = gettext.GNUTranslations(compiled), gettext.GNUTranslations(committed)
    assert found._catalog == expected._catalog, "run `make messages` and commit locale/"  # type: ignore[attr-defined]
