"""The API answers in the language of each request's Accept-Language (DRF's own Traditional Chinese catalogue),
even for a signed-in user who saved another language for the site; its OpenAPI schema stays English."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from marketplace.accounts.services import api_token_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def token_client():
    _, key = api_token_create(user=UserFactory(language="en"), name="i18n")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def test_api_field_errors_come_in_chinese_under_accept_language_zh_hant(token_client):
    response = token_client.post("/api/v1/portfolio/", {}, format="json", HTTP_ACCEPT_LANGUAGE="zh-Hant")
    assert response.status_code == 400
    assert response.json() == {"vendor_id": ["此為必需欄位。"]}
    assert response["Content-Language"] == "zh-hant"
    english = token_client.post("/api/v1/portfolio/", {}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json() == {"vendor_id": ["This field is required."]}


def test_api_follows_accept_language_over_a_signed_in_users_saved_choice():
    user = UserFactory(language="zh-hant")
    api = APIClient()
    api.force_login(user)  # a session, as the site's own pages call the API
    response = api.post("/api/v1/portfolio/", {}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {"vendor_id": ["This field is required."]}


def test_the_openapi_schema_stays_english(client):
    english = client.get("/api/schema/", HTTP_ACCEPT_LANGUAGE="en")
    chinese = client.get("/api/schema/", HTTP_ACCEPT_LANGUAGE="zh-TW")
    assert english.status_code == chinese.status_code == 200
    assert chinese.content == english.content
    assert chinese["Content-Language"] == "en"
    assert "A page number within the paginated result set." in chinese.content.decode()
