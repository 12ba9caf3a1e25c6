"""In Chromium: a visitor switches the site to 繁體中文 from the header and back; a signed-in consumer's choice is
saved and follows them to another browser, whatever that browser's language."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.factories import UserFactory
from tests.helpers import browser_login


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_language_switch_in_the_header_and_saved_for_a_signed_in_consumer(
    live_server, browser: Browser, page: Page, screenshot
):
    # An anonymous visitor reads English and switches from the header
    page.goto(f"{live_server.url}/help/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="繁體中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hant")
    expect(page).to_have_url(f"{live_server.url}/help/")
    nav = page.get_by_role("navigation", name="主選單")
    expect(nav.get_by_role("link", name="商家")).to_be_visible()
    expect(nav.get_by_role("link", name="註冊")).to_be_visible()
    screenshot("anonymous-zh-hant")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # A consumer signs in (in English), switches, and the choice is saved on them
    consumer = UserFactory(email="mei@test.example")
    browser_login(page, live_server.url, consumer.email)
    page.get_by_role("button", name="繁體中文").click()
    expect(page.get_by_role("link", name="我的夥伴")).to_be_visible()
    screenshot("consumer-zh-hant")
    consumer.refresh_from_db()
    assert consumer.language == "zh-hant"

    # On another browser asking for English, signing in brings their Chinese back
    other = browser.new_context(locale="en-GB")
    try:
        elsewhere = other.new_page()
        browser_login(elsewhere, live_server.url, consumer.email)
        expect(elsewhere.locator("html")).to_have_attribute("lang", "zh-hant")
        expect(elsewhere.get_by_role("link", name="我的夥伴")).to_be_visible()
    finally:
        other.close()
