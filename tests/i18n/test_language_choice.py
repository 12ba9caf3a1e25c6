"""The language a person reads: the header's switcher and the account page set it (a signed-in user's choice is
saved on them and wins over their browser's Accept-Language); a bad choice is refused and changes nothing."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from marketplace.accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SWITCH = reverse("account:language")


def _lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def test_header_switcher_offers_the_other_language_named_in_it(client):
    page = client.get(reverse("shop:help")).content.decode()
    assert f'action="{SWITCH}"' in page
    assert 'value="zh-hant" lang="zh-hant">繁體中文</button>' in page
    chinese = client.get(reverse("shop:help"), HTTP_ACCEPT_LANGUAGE="zh-TW").content.decode()
    assert 'value="en" lang="en">English</button>' in chinese


def test_a_visitor_switches_language_and_is_sent_back_to_the_page(client):
    response = client.post(SWITCH, {"language": "zh-hant", "next": "/help/"})
    assert response.status_code == 302
    assert response["Location"] == "/help/"
    assert _lang(client.get("/help/", HTTP_ACCEPT_LANGUAGE="en")) == "zh-hant"  # the cookie wins over the browser


def test_a_signed_in_users_choice_is_saved_and_wins_over_accept_language(client):
    user = UserFactory()
    client.force_login(user)
    assert _lang(client.get("/help/", HTTP_ACCEPT_LANGUAGE="en")) == "en"
    client.post(SWITCH, {"language": "zh-hant", "next": "/help/"})
    user.refresh_from_db()
    assert user.language == "zh-hant"
    other_device = Client()
    other_device.force_login(user)
    response = other_device.get("/help/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert _lang(response) == "zh-hant"
    assert response["Content-Language"] == "zh-hant"


def test_the_account_page_shows_and_saves_the_choice(client):
    user = UserFactory(language="zh-hant")
    client.force_login(user)
    page = client.get(reverse("account:profile")).content.decode()
    assert '<option value="zh-hant" lang="zh-hant" selected>繁體中文</option>' in page
    response = client.post(SWITCH, {"language": "en", "next": reverse("account:profile")})
    assert response["Location"] == reverse("account:profile")
    assert User.objects.get(pk=user.pk).language == "en"
    assert _lang(client.get(reverse("account:profile"), HTTP_ACCEPT_LANGUAGE="zh-TW")) == "en"


@pytest.mark.parametrize("language", ["fr", "", "zh_Hant", "x" * 500])
def test_a_language_the_site_does_not_speak_is_refused_and_changes_nothing(client, language):
    user = UserFactory(language="en")
    client.force_login(user)
    response = client.post(SWITCH, {"language": language, "next": "/help/"})
    assert response.status_code == 400
    assert "Choose a language" in response.content.decode()
    assert User.objects.get(pk=user.pk).language == "en"
    assert "django_language" not in response.cookies


def test_a_foreign_next_is_not_followed(client):
    response = client.post(SWITCH, {"language": "zh-hant", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_a_signed_in_users_choice_needs_their_csrf_token():
    user = UserFactory(language="en")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    assert browser.post(SWITCH, {"language": "zh-hant", "next": "/help/"}).status_code == 403
    assert User.objects.get(pk=user.pk).language == "en"
    browser.get(reverse("account:profile"))  # the page sets the token's cookie
    token = browser.cookies["csrftoken"].value
    response = browser.post(SWITCH, {"language": "zh-hant", "next": "/help/", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert User.objects.get(pk=user.pk).language == "zh-hant"


def test_an_anonymous_visitor_switches_without_a_token_from_a_kept_page():
    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/help/").content.decode()
    assert "csrfmiddlewaretoken" not in page
    assert browser.post(SWITCH, {"language": "zh-hant", "next": "/help/"}).status_code == 302


def test_switching_is_post_only(client):
    assert client.get(SWITCH).status_code == 405


def _sign_up(client, email: str, **headers) -> User:
    password = "a long enough pass phrase 42"
    response = client.post(
        reverse("account_signup"), {"email": email, "password1": password, "password2": password}, **headers
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return User.objects.get(email=email)


def test_a_language_chosen_before_signing_up_is_saved_on_the_new_user(client):
    client.post(SWITCH, {"language": "zh-hant", "next": "/"})
    user = _sign_up(client, "mei@example.com", HTTP_ACCEPT_LANGUAGE="en")
    assert user.language == "zh-hant"


def test_a_visitor_who_never_chose_keeps_following_their_browser(client):
    user = _sign_up(client, "li@example.com", HTTP_ACCEPT_LANGUAGE="zh-TW")
    assert user.language == ""
