"""The content security policy allows no inline style or script, and no page needs one."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.urls import reverse
from playwright.sync_api import ConsoleMessage, Page, expect

from portfolios.services import membership_start
from tests.factories import ProductFactory, UserFactory, VendorFactory
from tests.helpers import browser_login

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

# Installed before any page script runs, so violations found while parsing the HTML are caught too.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || event.documentURI}:${event.lineNumber}`);
});
"""


def _policy(response: HttpResponse) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {name: values for name, *values in directives}


@pytest.mark.django_db
def test_home_page_policy_forbids_inline_code_and_foreign_forms(client):
    response = client.get(reverse("shop:home"))

    policy = _policy(response)
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]


def test_templates_carry_no_inline_style_or_script():
    """No style attribute, <style>, inline script, on* handler or hx-on (htmx would eval it, which the CSP
    refuses). Template tags are stripped first: `{% include ... style="danger" %}` is not an attribute.
    E-mail templates are not pages: the policy does not reach a mail client."""
    inline = re.compile(
        r"\sstyle\s*=|<style\b|\son[a-z]+\s*=|hx-on|javascript:|<script\b(?![^>]*\bsrc=)(?![^>]*application/json)",
        re.IGNORECASE,
    )
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        parts = path.relative_to(TEMPLATES).parts
        if parts[0] == "emails" or parts[:2] == ("account", "email"):
            # e-mail bodies (ours, and allauth's at the path it reads them from) are read by mail clients, which
            # need inline styles; no page serves them
            continue
        markup = re.sub(r"{% comment %}.*?{% endcomment %}|{%.*?%}|{#.*?#}", "", path.read_text(), flags=re.DOTALL)
        found += [f"{path.relative_to(TEMPLATES)}: {match.group(0).strip()}" for match in inline.finditer(markup)]
    assert found == []


def _visit(page: Page, url: str, problems: list[str], ready: Callable[[], object] | None = None) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    page.wait_for_load_state("load")  # no page fetches anything after it (tests/browser/test_every_page.py)
    if ready is not None:
        ready()
    problems += [f"{url}: {violation}" for violation in page.evaluate("window.__cspViolations")]


def _watch(page: Page) -> list[str]:
    """Every console error or warning and uncaught error of the page, and (after each visit) every CSP
    violation. Chromium's verbose DOM hints (a password form without a username field) are not problems."""
    problems: list[str] = []
    page.add_init_script(RECORD_VIOLATIONS)

    def on_console(message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            problems.append(f"console {message.type}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    return problems


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pages_run_under_the_policy_without_violation(live_server, page: Page):
    owner = UserFactory(email="owner@test.example")
    vendor = VendorFactory(owner=owner, name="Leaf & Kettle", slug="leaf-kettle")
    ProductFactory(vendor=vendor, name="Earl Grey")
    for _ in range(6):
        membership_start(consumer=UserFactory(), vendor_id=vendor.pk)
    base = live_server.url
    problems = _watch(page)

    _visit(page, f"{base}/", problems)
    _visit(page, f"{base}{vendor.get_absolute_url()}", problems)
    _visit(page, f"{base}/accounts/signup/", problems)
    browser_login(page, base, owner.email)
    expect(page.get_by_role("button", name=re.compile("Sign out"))).to_be_visible()
    _visit(page, f"{base}/", problems)
    _visit(page, f"{base}{vendor.get_absolute_url()}", problems)
    _visit(page, f"{base}/accounts/email/", problems)
    _visit(page, f"{base}/accounts/password/change/", problems)
    _visit(
        page,
        f"{base}/sell/insights/",
        problems,
        ready=lambda: page.wait_for_function(
            "() => window.Chart && Chart.getChart(document.getElementById('chart-partners'))"
        ),
    )
    _visit(
        page,
        f"{base}/api/docs/",
        problems,
        ready=lambda: expect(page.locator(".swagger-ui .opblock").first).to_be_visible(),
    )
    expect(page.locator("body")).to_have_css("margin", "0px")  # the docs page's own rules, from api-docs.css

    assert problems == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_admin_pages_run_under_the_policy_without_violation(live_server, page: Page):
    UserFactory(email="admin@test.example", is_staff=True, is_superuser=True)
    vendor = VendorFactory(name="Leaf & Kettle", slug="leaf-kettle")
    base = live_server.url
    problems = _watch(page)

    _visit(page, f"{base}/admin/login/", problems)
    browser_login(page, base, "admin@test.example")
    expect(page.get_by_role("button", name=re.compile("Sign out"))).to_be_visible()
    _visit(page, f"{base}/admin/", problems)
    _visit(page, f"{base}/admin/vendors/vendor/", problems)
    _visit(page, f"{base}/admin/vendors/vendor/{vendor.pk}/change/", problems)

    assert problems == []
