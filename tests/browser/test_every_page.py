"""Every page of the three roles (a shopper, a vendor, a moderator), with real rows in its lists, at a 390 px phone
and a 1280 px desktop: the page never scrolls sideways, no box inside it scrolls or clips sideways, no table is
wider than the screen, and axe-core finds no serious or critical violation.

axe-core is the npm package's built file (tests/browser/vendor/axe.min.js), injected by Playwright into a context
that bypasses the site's CSP only for the test's own script (as tests/browser/test_accessibility.py does).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from marketplace.accounts.demo import DEMO_CONSUMER, DEMO_PASSWORD, DEMO_VENDOR
from tests.every_page import Site, every_page_site
from tests.helpers import browser_login

AXE = Path(__file__).with_name("vendor") / "axe.min.js"
WIDTHS = [390, 1280]

# Boxes that scroll or clip sideways, tables wider than the window or with something sticking out of them, and the
# page's own width, in one pass.
# A box counts when its content is wider than it and it is not one of the 1 px visually-hidden labels or a field.
MEASURE = """() => {
  const width = window.innerWidth;
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const problems = [];
  const page = document.documentElement.scrollWidth;
  if (page > width) problems.push('the page is ' + page + 'px wide');
  for (const el of document.body.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    // A text field's own text scrolls inside it by design.
    if (style.display === 'none' || el.clientWidth <= 2 || el.matches('input, textarea, select')) continue;
    if (['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1) {
      problems.push(name(el) + ' scrolls sideways (' + el.scrollWidth + 'px in ' + el.clientWidth + 'px)');
    }
  }
  for (const table of document.querySelectorAll('table')) {
    const box = table.getBoundingClientRect();
    // Nothing in a table sticks out of it (a field wider than its cell spills over the card beside it).
    for (const el of table.querySelectorAll('td *, th *')) {
      const inner = el.getBoundingClientRect();
      if (inner.width > 2 && inner.right > box.right + 1) {
        problems.push(name(el) + ' sticks out of its table (' + Math.round(inner.right - box.right) + 'px)');
        break;
      }
    }
    if (box.width > 0 && (box.right > width + 1 || box.left < -1)) {
      const span = Math.round(box.left) + '..' + Math.round(box.right) + 'px';
      problems.push(name(table) + ' is wider than the screen (' + span + ')');
    }
  }
  return problems;
}"""
AXE_RUN = (
    "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
    ".map(v => v.id + ': ' + v.help + ' (' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ') + ')')"
)


@pytest.fixture
def site(transactional_db, reference_data) -> Site:
    return every_page_site()


def _visit(page: Page, url: str) -> list[str]:
    response = page.goto(url)
    if response is None or response.status != 200:
        return [f"answered {response.status if response else 'nothing'}"]
    # goto() returns at "load": every script has run and no page of the site fetches anything after it (no
    # htmx load trigger, no fetch() in static/js), so waiting for the network to idle only added 0.5 s a visit.
    page.wait_for_load_state("load")
    problems = page.evaluate(MEASURE)
    page.add_script_tag(path=str(AXE))
    return problems + page.evaluate(AXE_RUN)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_page_fits_a_phone_and_a_desktop_without_serious_accessibility_violations(
    live_server, browser: Browser, site: Site
):
    problems = []
    for email, paths in site.pages.items():
        for width in WIDTHS:
            phone = width < 600
            context = browser.new_context(
                bypass_csp=True, viewport={"width": width, "height": 844 if phone else 900}, is_mobile=phone
            )
            page = context.new_page()
            browser_login(page, live_server.url, email, DEMO_PASSWORD)
            page.wait_for_url(lambda url: "/accounts/login/" not in url)
            for path in paths:
                problems += [f"{width}px {email} {path}: {problem}" for problem in _visit(page, live_server.url + path)]
            context.close()
    # The pages anyone sees before signing in.
    for width in WIDTHS:
        context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": 844})
        page = context.new_page()
        for path in ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/", "/vendors/"]:
            problems += [f"{width}px anonymous {path}: {problem}" for problem in _visit(page, live_server.url + path)]
        context.close()
    assert problems == [], "\n".join(problems)


# The label shown before each data cell of a table's first row, and the cell's first line of text.
CELL_LABELS = """(selector) => Array.from(document.querySelector(selector).tBodies[0].rows[0].cells)
  .filter(cell => cell.tagName === 'TD').map(cell => [
  getComputedStyle(cell, '::before').content.replace(/^"|"$/g, ''), cell.innerText.trim().split('\\n')[0],
])"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_tables_are_labelled_cards_on_a_phone_and_columns_on_a_desktop_and_charts_are_readable(
    live_server, browser: Browser, site: Site
):
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = phone.new_page()
    browser_login(page, live_server.url, DEMO_CONSUMER, DEMO_PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(f"{live_server.url}/cart/")
    # Each cell reads as "label value"; the Remove button's column has no label on screen (its button says it).
    labels = page.evaluate(CELL_LABELS, "main table")
    assert [label for label, _ in labels] == ["Product", "Price", "Quantity", "Total", "none"]
    assert labels[1][1].startswith("£") and labels[3][1].startswith("£")
    expect(page.get_by_role("columnheader", name="Total").first).to_be_attached()  # still a table to a screen reader
    expect(page.locator("main table thead").first).to_have_css("position", "absolute")
    remove = page.get_by_role("button", name="Remove").first
    expect(remove).to_be_visible()
    assert remove.bounding_box()["x"] + remove.bounding_box()["width"] <= 390
    # Compare: one card per fact, each vendor's figure labelled with the vendor's name alone.
    page.goto(f"{live_server.url}{site.compare}")
    assert [label for label, _ in page.evaluate(CELL_LABELS, "main table")] == site.compared
    phone.close()

    desktop = browser.new_context(viewport={"width": 1280, "height": 900})
    page = desktop.new_page()
    browser_login(page, live_server.url, DEMO_CONSUMER, DEMO_PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(f"{live_server.url}/cart/")
    expect(page.locator("main table").first).to_have_css("display", "table")
    expect(page.get_by_role("columnheader", name="Total").first).to_be_visible()
    desktop.close()

    # The insights charts fill a box tall enough to read on a phone (they were about 60 px tall).
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = phone.new_page()
    browser_login(page, live_server.url, DEMO_VENDOR, DEMO_PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(f"{live_server.url}/sell/insights/")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('chart-flow'))")
    for chart in ["#chart-partners", "#chart-flow"]:
        box = page.locator(chart).bounding_box()
        assert box["height"] >= 200 and box["width"] <= 390, (chart, box)
    phone.close()
