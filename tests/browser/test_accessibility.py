"""Pages anyone can use: axe-core finds no serious or critical violation on the pages people use most, and
on a 390 px phone no page scrolls sideways and the navigation folds into a menu.

axe-core is the npm package's built file (tests/browser/vendor/axe.min.js, v4.14.1, MPL-2.0), injected by
Playwright into a context that bypasses the site's CSP only for the test's own script.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, expect

from marketplace.accounts.demo import DEMO_CONSUMER, DEMO_PASSWORD, DEMO_VENDOR
from marketplace.accounts.models import User
from marketplace.asks.models import Ask
from marketplace.shop.services import cart_add, checkout_place
from tests.helpers import browser_login
from vendors.models import Product, Vendor

AXE = Path(__file__).with_name("vendor") / "axe.min.js"


@pytest.fixture
def demo(transactional_db, reference_data):
    call_command(
        "seed_demo",
        "--consumers",
        "60",
        "--vendors",
        "8",
        "--products-per-vendor",
        "4",
        "--memberships-per-consumer",
        "2",
        "--no-progress",
        verbosity=0,
    )
    consumer = User.objects.get(email=DEMO_CONSUMER)
    product = Product.objects.filter(vendor__owner__email=DEMO_VENDOR, stock__gte=2).first()
    # A checkout placed and not paid yet (its pay page), then a cart for the cart and checkout pages.
    cart_add(consumer=consumer, product_id=product.pk, quantity=1)
    unpaid = checkout_place(consumer=consumer, idempotency_key="a11y", ship_to_name="Demo", ship_to_address="1 Lane")
    cart_add(consumer=consumer, product_id=product.pk, quantity=1)
    vendor = Vendor.objects.get(owner__email=DEMO_VENDOR)
    vendor.unpaid_checkout_id = unpaid.checkout.pk
    vendor.demo_ask_id = Ask.objects.filter(consumer=consumer).values_list("pk", flat=True).first()
    return vendor


def _pages(demo_vendor: Vendor) -> dict[str, list[str]]:
    return {
        DEMO_CONSUMER: [
            "/",
            "/vendors/",
            demo_vendor.get_absolute_url(),
            "/search/?q=coffee",
            "/portfolio/",
            "/portfolio/digest/",
            "/cart/",
            "/checkout/",
            f"/checkout/{demo_vendor.unpaid_checkout_id}/pay/",
            "/orders/",
            "/asks/",
            "/asks/new/",
            "/asks/partners/",
            f"/asks/{demo_vendor.demo_ask_id}/",
        ],
        DEMO_VENDOR: [
            "/sell/insights/",
            "/sell/promotions/new/",
            "/sell/payouts/",
            "/sell/asks/",
            f"/sell/asks/{demo_vendor.demo_ask_id}/",
            "/sell/asks/insights/",
            "/sell/asks/settings/",
        ],
    }


def _context(browser: Browser, **options):  # type: ignore[no-untyped-def]
    return browser.new_context(bypass_csp=True, **options)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pages_have_no_serious_or_critical_accessibility_violations(live_server, browser: Browser, demo):
    problems = []
    for email, paths in _pages(demo).items():
        context = _context(browser)
        page = context.new_page()
        browser_login(page, live_server.url, email, DEMO_PASSWORD)
        expect(page.get_by_role("button", name=f"Sign out ({email})")).to_be_attached()
        for path in paths:
            page.goto(f"{live_server.url}{path}")
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate(
                "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
                ".map(v => v.id + ': ' + v.help + ' (' + v.nodes.length + ')')"
            )
            problems += [f"{path}: {v}" for v in violations]
        context.close()
    assert problems == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_page_scrolls_sideways_on_a_phone_and_the_menu_folds(live_server, browser: Browser, demo):
    wide = []
    for email, paths in _pages(demo).items():
        context = _context(browser, viewport={"width": 390, "height": 844}, is_mobile=True)
        page = context.new_page()
        browser_login(page, live_server.url, email, DEMO_PASSWORD)
        for path in paths:
            page.goto(f"{live_server.url}{path}")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                wide.append(f"{path}: {width}px")
        # The navigation folds into a menu: links hidden until the Menu button opens them.
        page.goto(f"{live_server.url}/")
        menu = page.get_by_role("button", name="Menu")
        expect(menu).to_be_visible()
        expect(page.get_by_role("link", name="Vendors", exact=True)).to_be_hidden()
        menu.click()
        expect(page.get_by_role("link", name="Vendors", exact=True)).to_be_visible()
        expect(menu).to_have_attribute("aria-expanded", "true")
        context.close()
    assert wide == []
