"""No untranslated word on any page: every translation of our catalogues (locale/ and locale_extra/, the django
and djangojs domains) is replaced by its English wrapped in markers, "⟦Orders⟧", and every page the three roles
see (a visitor, a shopper, a vendor's owner, a moderator) is read as a reader of Traditional Chinese would: any
word of visible text outside the markers is a string the product wrote without marking it for translation.

What the product did not write is allowed: the test data's own names and texts (vendors, products, categories,
regions, promotions, asks, addresses, reasons typed by people), numbers, money, dates, e-mail addresses, and the
brand. Django's and the packages' own catalogues (allauth, DRF) keep their real Chinese.
"""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.cache import cache
from django.urls import Resolver404, resolve

from marketplace.accounts.demo import DEMO_VENDOR
from marketplace.accounts.models import APIToken, Interest, Region, User
from marketplace.asks.models import Ask, Offer, OfferReport
from marketplace.shop.models import Order, OrderLine, SavedAddress, ServiceRating
from portfolios.models import PartnerMembership
from promotions.models import Promotion
from tests.every_page import every_page_site
from vendors.models import Category, ModerationAction, Product, Vendor, VendorReport

pytestmark = pytest.mark.django_db

OPEN, CLOSE = "⟦", "⟧"
# A placeholder stays outside the markers, so the value put in its place is read too.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifr]|\{[A-Za-z_][\w.]*\}")
TAG = re.compile(r"(<[^>]*>)")
BRAND = "Partner Marketplace"


def _pseudo(text: str) -> str:
    """`text` with each run of words between its tags and placeholders wrapped in markers."""
    out = []
    for part in TAG.split(text):
        if TAG.fullmatch(part):
            out.append(part)
            continue
        position = 0
        for match in [*PLACEHOLDER.finditer(part), None]:
            literal = part[position : match.start() if match else len(part)]
            if re.search(r"\w", literal):
                stripped = literal.strip()
                lead, trail = literal[: literal.index(stripped)], literal[literal.index(stripped) + len(stripped) :]
                literal = f"{lead}{OPEN}{stripped}{CLOSE}{trail}"
            out.append(literal)
            if match:
                out.append(match.group())
                position = match.end()
    return "".join(out)


def _pseudo_catalogues(root: Path) -> list[Path]:
    """Our zh_Hant catalogues, each translation replaced by its pseudo English, compiled under `root`."""
    folders = []
    for source in settings.LOCALE_PATHS:
        folder = root / Path(source).name
        target = folder / "zh_Hant" / "LC_MESSAGES"
        target.mkdir(parents=True)
        for po in sorted((Path(source) / "zh_Hant" / "LC_MESSAGES").glob("*.po")):
            with po.open("rb") as handle:
                catalogue = read_po(handle, locale="zh_Hant")
            for message in catalogue:
                if not message.id:
                    continue
                if isinstance(message.id, tuple | list):
                    message.string = tuple(_pseudo(message.id[1]) for _ in range(catalogue.num_plurals))
                else:
                    message.string = _pseudo(message.id)
                message.flags.discard("fuzzy")
            with (target / po.with_suffix(".mo").name).open("wb") as handle:
                write_mo(handle, catalogue)
        folders.append(folder)
    return folders


class _VisibleText(HTMLParser):
    """The text a reader sees or hears: text outside scripts and styles, and the attributes read aloud or shown."""

    ATTRIBUTES = {"title", "alt", "aria-label", "placeholder", "aria-description"}
    # A text area's content is a value the reader typed (or will), as an input's value is.
    HIDDEN = {"script", "style", "template", "textarea"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self._hidden += 1
        values = dict(attrs)
        self.texts += [value for name, value in attrs if name in self.ATTRIBUTES and value]
        if tag == "input" and values.get("type") in {"submit", "button", "reset"} and values.get("value"):
            self.texts.append(values["value"])
        if tag == "meta" and values.get("name") == "description" and values.get("content"):
            self.texts.append(values["content"])

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.texts.append(data)


def _people_wrote() -> list[str]:
    """Every name and text the test's data holds (typed by people or generated as their content), longest first."""
    fields = [
        (User, ["first_name", "last_name", "display_name"]),
        (APIToken, ["name", "prefix"]),
        # The import page lists the slugs a CSV's category column takes.
        (Category, ["slug"]),
        (Vendor, ["status_reason"]),
        (Product, ["sku"]),
        (ModerationAction, ["reason"]),
        (VendorReport, ["text"]),
        (PartnerMembership, ["end_comment"]),
        (Promotion, ["title", "description", "code"]),
        (SavedAddress, ["label", "name", "address"]),
        (Order, ["ship_to_name", "ship_to_address", "carrier", "tracking_number"]),
        (OrderLine, ["product_name"]),
        (ServiceRating, ["comment"]),
        (Ask, ["title", "description", "pseudonym"]),
        (Offer, ["included"]),
        (OfferReport, ["text"]),
    ]
    # The brand, and each language's name in that language (the switcher's English is "English" in any language).
    texts = {BRAND, *(name for _, name in settings.LANGUAGES)}
    texts.update(ask.pseudonym_code for ask in Ask.objects.all())
    # What has a name (and a description) in both languages shows the Chinese one where there is one.
    for model, names in [
        (Region, ["name"]),
        (Interest, ["name"]),
        (Category, ["name"]),
        (Vendor, ["name", "description"]),
    ]:
        for row in model.objects.all():
            for name in names:
                for value in (getattr(row, f"{name}_zh_hant") or getattr(row, name)).splitlines():
                    texts.add(value.strip())
    for row in Product.objects.all():
        for name in ("name", "description"):
            for value in (getattr(row, f"{name}_zh_hant") or getattr(row, name)).splitlines():
                texts.add(value.strip())
    for model, names in fields:
        for row in model.objects.values_list(*names):
            for value in row:
                texts.update(line.strip() for line in (value or "").splitlines() if line.strip())
    return sorted(texts, key=len, reverse=True)


# Numbers, money, dates and times, e-mail addresses, addresses on the web, and what is only punctuation.
NOT_WORDS = [
    re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"),
    re.compile(r"https?://\S+"),
    re.compile(r"\b\d[\d,.:]*\b"),
    re.compile(r"(GBP|£|€|\$)"),
]


def _untranslated(html: str, allowed: list[str]) -> list[str]:
    """The visible texts of `html` that keep a word once the translations, the allowed texts (whole, or cut short
    with "…"), numbers, money, dates and addresses are taken out."""
    parser = _VisibleText()
    parser.feed(html)
    found = []
    for text in parser.texts:
        rest = text
        while True:
            shorter = re.sub(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}", "\n", rest)
            if shorter == rest:
                break
            rest = shorter
        pieces = []
        for piece in rest.split("\n"):
            cut = piece.strip().removesuffix("…").strip()
            if piece.strip().endswith("…") and any(cut in words for words in allowed):
                continue
            for words in allowed:
                if words in piece:
                    piece = piece.replace(words, " ")
            for pattern in NOT_WORDS:
                piece = pattern.sub(" ", piece)
            pieces.append(piece)
        rest = " ".join(" ".join(pieces).split())
        if re.search(r"[A-Za-z]", rest):
            found.append(rest)
    return found


SKIP = re.compile(r"^/(static|media|admin|api|jsi18n|accounts/logout|i18n)|/export|/delete|\.(csv|json)$")


def _shape(url: str) -> str | None:
    """The view a URL names and the query's keys: one page of each shape is read."""
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    return f"{match.view_name}?{'&'.join(sorted({key for key, _ in parse_qsl(parts.query)}))}"


def _read_every_page(client, start: list[str], allowed: list[str], limit: int = 120) -> tuple[dict[str, list], int]:
    """The untranslated words of every page reachable from `start` by this site's links (GET), one per shape; each
    page in `start` is read whatever its shape."""
    leaks: dict[str, list[str]] = {}
    shapes: set[str] = set()
    seen: set[str] = set()
    queue = deque((url, True) for url in start)
    read = 0
    while queue and read < limit:
        url, listed = queue.popleft()
        shape = _shape(url)
        if url in seen or SKIP.search(urlsplit(url).path) or shape is None or (shape in shapes and not listed):
            continue
        seen.add(url)
        shapes.add(shape)
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-Hant")
        assert response.status_code < 500, url
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        read += 1
        html = response.content.decode()
        assert '<html lang="zh-hant"' in html, url
        found = _untranslated(html, allowed)
        if found:
            leaks[url] = found
        for href in re.findall(r'href="(/[^"#]*)"', html):
            queue.append((href.replace("&amp;", "&"), False))
    return leaks, read


@pytest.fixture
def pseudo_locale(settings, tmp_path):
    """The pseudo catalogues in place of ours, and an empty cache (pages are kept per language)."""
    settings.LOCALE_PATHS = _pseudo_catalogues(tmp_path)
    cache.clear()
    yield
    cache.clear()


def test_the_pseudo_catalogue_wraps_words_and_leaves_tags_and_placeholders_outside():
    assert _pseudo("Orders") == "⟦Orders⟧"
    assert _pseudo("%(count)s partners") == "%(count)s ⟦partners⟧"
    assert _pseudo('Read <a href="%(url)s">the terms</a>.') == '⟦Read⟧ <a href="%(url)s">⟦the terms⟧</a>.'
    assert _pseudo("{vendor} is suspended.") == "{vendor} ⟦is suspended.⟧"


def test_the_reader_finds_words_outside_the_markers_and_allows_names_numbers_and_money():
    html = (
        "<html><head><title>⟦Orders⟧</title><script>var x = 'code';</script></head><body>"
        '<p>⟦Total:⟧ £12.50 · 3 ⟦items⟧</p><img alt="Harbour Coffee" src="/x.png"><p>Page 2 of 5</p>'
        '<input type="submit" value="Save"><a aria-label="⟦Next⟧">&rarr;</a><p>mei@example.com 2026年12月7日</p>'
        "</body></html>"
    )
    assert _untranslated(html, ["Harbour Coffee"]) == ["Page of", "Save"]


def test_every_page_of_every_role_reads_in_the_pseudo_language(client, reference_data, pseudo_locale):
    site = every_page_site()
    User.objects.update(language="zh-hant")
    allowed = _people_wrote()
    vendor = Vendor.objects.get(owner__email=DEMO_VENDOR)
    anonymous = ["/", "/vendors/", "/search/?q=coffee", vendor.get_absolute_url(), "/help/", "/terms/", "/privacy/"]
    anonymous += ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
    leaks, read = _read_every_page(client, anonymous, allowed)
    for email, pages in site.pages.items():
        client.force_login(User.objects.get(email=email))
        found, count = _read_every_page(client, pages, allowed)
        leaks.update({f"{email} {url}": words for url, words in found.items()})
        read += count
        client.logout()
    assert read > 60, "the crawl read too few pages to prove anything"
    assert leaks == {}, "\n".join(f"{url}: {words}" for url, words in leaks.items())
