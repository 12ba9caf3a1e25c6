"""The caches never serve one language's words to a reader of the other: whole anonymous pages, rendered
cards and kept values are each kept per language."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from marketplace.kernel.caching import Kept, fragments
from tests.factories import ProductFactory, VendorFactory

pytestmark = pytest.mark.django_db


def _page(client, url: str, accept: str) -> tuple[str, str]:
    """The page's language (its <html lang> and its header's link to the vendors, translated in base.html)."""
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 200
    html = response.content.decode()
    lang = re.search(r'<html lang="([^"]+)"', html).group(1)
    assert (">商家</a>" in html) == (lang == "zh-hant") and (">Vendors</a>" in html) == (lang == "en")
    return lang, response.get("X-Page-Cache", "")


def test_a_kept_anonymous_page_is_served_to_each_language_in_its_own(client, settings, reference_data):
    settings.DEBUG = True  # X-Page-Cache is sent only in debug
    vendor = VendorFactory(name="Harbour Coffee")
    ProductFactory(vendor=vendor, name="Espresso beans")
    url = f"/vendors/{vendor.slug}/"
    assert _page(client, url, "en") == ("en", "miss")
    assert _page(client, url, "en") == ("en", "hit")
    assert _page(client, url, "zh-hant") == ("zh-hant", "miss")  # not the English page kept a moment ago
    assert _page(client, url, "zh-TW") == ("zh-hant", "hit")
    assert _page(client, url, "en-GB") == ("en", "hit")


def test_a_kept_card_is_rendered_once_per_language():
    def cards() -> list[str]:
        return fragments(
            [1],
            "language-test",
            "base.html",
            fingerprint=lambda item: (item,),
            render=lambda item: f"card {item} in {translation.get_language()}",
        )

    with translation.override("en"):
        assert cards() == ["card 1 in en"]
    with translation.override("zh-hant"):
        assert cards() == ["card 1 in zh-hant"]
    with translation.override("en"):
        assert cards() == ["card 1 in en"]


def test_a_kept_value_holding_translated_text_is_kept_per_language():
    computed: list[str] = []

    def greeting() -> str:
        computed.append(translation.get_language())
        return f"hello in {translation.get_language()}"

    value = Kept("language-test", greeting, shape=1)
    for language in ("en", "zh-hant", "en", "zh-hant"):
        with translation.override(language):
            assert value.get() == f"hello in {language}"
    assert computed == ["en", "zh-hant"]  # each computed once, then kept
