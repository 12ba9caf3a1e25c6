"""Which language a visitor is served: English and Traditional Chinese, chosen from the browser's
Accept-Language, with a Chinese that has no catalogue here (zh-CN) falling back to Traditional Chinese."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import formats, translation

pytestmark = pytest.mark.django_db


def _lang(client, accept: str | None) -> str:
    headers = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}
    response = client.get(reverse("shop:help"), **headers)
    assert response.status_code == 200
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "en"),
        ("en-GB,en;q=0.9", "en"),
        ("fr-FR,fr;q=0.9", "en"),
        ("zh-TW,zh;q=0.9", "zh-hant"),
        ("zh-Hant", "zh-hant"),
        ("zh-HK", "zh-hant"),
        # Decided and written in the README: a Simplified Chinese reader gets Traditional Chinese, not English.
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh-hant"),
        ("zh-Hans", "zh-hant"),
    ],
)
def test_page_language_follows_accept_language(client, accept, expected):
    assert _lang(client, accept) == expected


def test_english_dates_stay_british():
    with translation.override("en"):
        assert formats.date_format(date(2026, 12, 7)) == "7 Dec 2026"
