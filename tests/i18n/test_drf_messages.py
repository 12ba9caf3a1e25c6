"""Django REST framework's own messages answer in Traditional Chinese under `Accept-Language: zh-Hant`: its
catalogue has 54 of its 125, the rest are kept in locale_extra/ (a second locale folder `makemessages` never
rewrites), committed compiled."""

from __future__ import annotations

import gettext
import subprocess
from pathlib import Path

import pytest
import rest_framework
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from marketplace.accounts.services import api_token_create
from tests.factories import UserFactory

EXTRA = Path(settings.BASE_DIR) / "locale_extra" / "zh_Hant" / "LC_MESSAGES"
DRF_LOCALE = Path(rest_framework.__file__).parent / "locale"
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-Hant"}


def _drf_catalogue(language: str) -> dict[str, str]:
    with (DRF_LOCALE / language / "LC_MESSAGES" / "django.mo").open("rb") as mo:
        return {k: v for k, v in gettext.GNUTranslations(mo)._catalog.items() if k}  # type: ignore[attr-defined]


def test_every_drf_message_has_a_traditional_chinese_translation():
    english = _drf_catalogue("en")
    with translation.override("zh-hant"):
        untranslated = [message for message in english if translation.gettext(message) == message]
    assert untranslated == []


def test_the_extra_folder_keeps_only_what_drf_lacks_and_its_mo_is_compiled_from_its_po(tmp_path):
    ours = set(_catalogue_ids(EXTRA / "django.mo"))
    drf = _drf_catalogue("zh_Hant")
    lacking = {message for message in _drf_catalogue("en") if drf.get(message, message) == message}
    assert ours == lacking
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(EXTRA / "django.po")], check=True)
    assert _catalogue_ids(fresh) == _catalogue_ids(EXTRA / "django.mo")


def _catalogue_ids(mo: Path) -> dict[str, str]:
    with mo.open("rb") as compiled:
        return {k: v for k, v in gettext.GNUTranslations(compiled)._catalog.items() if k}  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_a_required_field_answers_in_chinese():
    _, key = api_token_create(user=UserFactory(), name="i18n")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api.post("/api/v1/portfolio/", {}, format="json", **ZH)
    assert response.status_code == 400
    assert response.json() == {"vendor_id": ["此為必需欄位。"]}


@pytest.mark.django_db
def test_a_missing_sign_in_answers_in_chinese():
    response = APIClient().get("/api/v1/portfolio/", **ZH)
    assert response.status_code in (401, 403)
    assert response.json()["detail"] == "未提供身分驗證憑證。"
    assert APIClient().get("/api/v1/portfolio/").json()["detail"] == "Authentication credentials were not provided."


@pytest.mark.django_db
def test_throttling_answers_in_chinese(monkeypatch, vendor):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {**AnonRateThrottle.THROTTLE_RATES, "anon": "1/min"})
    api = APIClient()
    assert api.get(reverse("api:vendor-list"), **ZH).status_code == 200
    response = api.get(reverse("api:vendor-list"), **ZH)
    assert response.status_code == 429
    wait = int(response["Retry-After"])
    assert response.json()["detail"] == f"請求過於頻繁，已暫時限制。 預計 {wait} 秒後可再使用。"
