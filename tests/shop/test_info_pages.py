"""Every page carries a footer with Help, Terms and Privacy, each a real page, and the site has its icon."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["shop:home", "shop:vendor-list", "shop:help", "account_login"])
def test_footer_links_help_terms_and_privacy_on_every_page(client, name):
    html = client.get(reverse(name)).content.decode()
    footer = re.search(r'<footer class="site-footer">(.*?)</footer>', html, re.S).group(1)
    for label, url in [("Help", "/help/"), ("Terms", "/terms/"), ("Privacy", "/privacy/")]:
        assert f'<a href="{url}">{label}</a>' in footer


@pytest.mark.django_db
def test_footer_is_on_signed_in_pages_too(consumer_client):
    html = consumer_client.get(reverse("shop:cart")).content.decode()
    assert '<a href="/privacy/">Privacy</a>' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "heading", "says"),
    [
        ("/help/", "Help", "Authorization: Token &lt;key&gt;"),
        ("/terms/", "Terms of use", "Only you change your portfolio."),
        ("/privacy/", "Privacy", "Any figure about fewer than 5 people is hidden."),
    ],
)
def test_help_terms_and_privacy_pages_answer_for_anyone(client, path, heading, says):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert says in html


@pytest.mark.django_db
def test_privacy_page_states_the_rules_the_figures_run_on(client, settings):
    settings.MARKETPLACE = {**settings.MARKETPLACE, "STATS_MIN_GROUP": 7, "PRIVACY_ACCOUNT_DAYS": 45}
    html = client.get("/privacy/").content.decode()
    assert "Any figure about fewer than 7 people is hidden." in html
    assert "at least 45 days old" in html


@pytest.mark.django_db
def test_help_page_links_the_token_page_and_the_api_docs(client):
    html = client.get("/help/").content.decode()
    assert f'href="{reverse("tokens:list")}"' in html
    assert f'href="{reverse("api-docs")}"' in html


@pytest.mark.django_db
def test_favicon_answers_at_the_root_and_pages_link_it(client):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file's header
    assert client.get("/favicon.svg").status_code == 200
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/favicon.ico"' in html
    assert '<link rel="icon" href="/favicon.svg" type="image/svg+xml">' in html
