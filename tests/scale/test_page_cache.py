"""Anonymous storefront pages come from the page cache, yet every change a visitor could see shows at once,
and signed-in visitors never get a cached page or another visitor's card."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from marketplace.shop.services import cart_add, checkout_place
from portfolios.services import membership_end, membership_start
from tests.factories import ProductFactory, UserFactory, VendorFactory
from tests.helpers import DEAD_REDIS, redis_at, running_promotion
from vendors.models import Product
from vendors.moderation import services as moderation
from vendors.services import catalogue
from vendors.services.catalogue_csv import catalogue_import_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tells_hits(settings):
    """X-Page-Cache is sent only with DEBUG on (elsewhere it would tell who read a page lately)."""
    settings.DEBUG = True


@pytest.fixture
def shop():
    vendor = VendorFactory(name="Harbour Coffee", description="Roasters by the sea")
    ProductFactory(vendor=vendor, name="Harbour espresso", price=Decimal("9.50"), stock=4, sku="ESP")
    return vendor


def _get(client, url: str):  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def test_a_second_anonymous_visit_is_served_from_the_cache(client, shop):
    url = reverse("shop:vendor-detail", args=[shop.slug])
    assert _get(client, url)["X-Page-Cache"] == "miss"
    again = _get(client, url)
    assert again["X-Page-Cache"] == "hit"
    assert "Harbour espresso" in again.content.decode()


def test_a_price_stock_or_name_change_shows_on_the_next_anonymous_visit(client, shop):
    product = shop.products.get()
    pages = [reverse("shop:vendor-detail", args=[shop.slug]), product.get_absolute_url(), "/search/?q=espresso"]
    for url in pages:
        _get(client, url), _get(client, url)

    catalogue.product_update(vendor=shop, product_id=product.pk, price=Decimal("7.25"), name="Harbour ristretto")
    for url in pages[:2]:
        assert "7.25" in _get(client, url).content.decode(), url
    assert "Harbour ristretto" in _get(client, "/search/?q=ristretto").content.decode()

    catalogue.product_stock_adjust(vendor=shop, product_id=product.pk, delta=-4)  # an UPDATE, no save signal
    assert "Out of stock" in _get(client, product.get_absolute_url()).content.decode()


def test_a_suspended_vendor_leaves_the_cached_directory_at_once(client, shop, reference_data):
    moderator = UserFactory()
    moderator.groups.add(Group.objects.get(name="Moderators"))
    assert "Harbour Coffee" in _get(client, "/vendors/").content.decode()
    assert _get(client, "/vendors/")["X-Page-Cache"] == "hit"

    moderation.vendor_suspend(moderator=moderator, vendor_id=shop.pk, reason="Unsafe goods")
    assert "Harbour Coffee" not in _get(client, "/vendors/").content.decode()
    assert "Harbour espresso" not in _get(client, "/search/?q=espresso").content.decode()


def test_a_csv_import_and_a_checkout_show_on_the_next_anonymous_visit(client, shop):
    url = reverse("shop:vendor-detail", args=[shop.slug])
    _get(client, url), _get(client, url)
    csv = io.StringIO(
        "sku,name,description,price,partner_price,stock,category,active\nMUG,Harbour mug,Stoneware,12.00,,3,,true\n"
    )
    catalogue_import_csv(vendor=shop, file=csv)
    assert "Harbour mug" in _get(client, url).content.decode()

    mug = shop.products.get(sku="MUG")
    buyer = UserFactory()
    cart_add(consumer=buyer, product_id=mug.pk, quantity=3)
    checkout_place(consumer=buyer, idempotency_key="k1", ship_to_name="B", ship_to_address="1 Quay")
    assert "Out of stock" in _get(client, mug.get_absolute_url()).content.decode()


def test_signed_in_visitors_get_their_own_page_and_cards(client, shop, consumer, other_consumer):
    anonymous = _get(client, "/vendors/")
    _get(client, "/vendors/")
    membership_start(consumer=consumer, vendor_id=shop.pk)

    client.force_login(consumer)
    mine = _get(client, "/vendors/")
    assert "X-Page-Cache" not in mine
    assert "Sign out" in mine.content.decode() and "Sign out" not in anonymous.content.decode()
    assert '<span class="badge">Partner</span>' in mine.content.decode()

    client.force_login(other_consumer)
    theirs = _get(client, "/vendors/").content.decode()
    assert '<span class="badge">Partner</span>' not in theirs  # the partner's cached card is not theirs

    # An ended partnership: the card carries the note and a working Reinstate form with this visitor's token.
    client.force_login(consumer)
    membership_end(consumer=consumer, vendor_id=shop.pk, reason="price")
    page = _get(client, "/vendors/?q=harbour").content.decode()
    assert "You ended this partnership" in page and 'name="csrfmiddlewaretoken"' in page


def test_a_card_follows_the_public_facts_of_the_statistics(client, shop, exact_release):
    """A card is kept by what it shows, so new statistics draw a new card: at once wherever the vendors are read
    for the visitor (a search), and within PAGE_CACHE_SECONDS where the list is kept for everyone. (Six partners
    without noise: with it, six can read "fewer than 5", which is not what this test is about.)"""
    from portfolios.services.stats import stats_reconcile_all

    _get(client, "/vendors/?q=harbour")
    for _ in range(6):
        membership_start(consumer=UserFactory(), vendor_id=shop.pk)
    stats_reconcile_all()
    client.cookies.load({"sessionid": "x"})  # a visitor with a session: no whole-page cache, cards only
    page = _get(client, "/vendors/?q=harbour").content.decode()
    assert "fewer than" not in page.split("Harbour Coffee", 1)[1].split("</article>", 1)[0]


def test_a_page_with_a_message_or_a_fresh_session_is_neither_served_nor_stored(client, shop):
    url = reverse("shop:vendor-detail", args=[shop.slug])
    client.cookies.load({"messages": "anything"})
    assert "X-Page-Cache" not in _get(client, url)
    assert "X-Page-Cache" not in _get(client, url)


def test_with_redis_down_pages_answer_fresh_and_nothing_is_kept_in_one_process_memory(client, shop):
    url = reverse("shop:vendor-detail", args=[shop.slug])
    with redis_at(DEAD_REDIS):
        first = client.get(url)
        assert first.status_code == 200 and "X-Page-Cache" not in first
        product = shop.products.get()
        catalogue.product_update(vendor=shop, product_id=product.pk, price=Decimal("6.10"))
        again = client.get(url)
        assert again.status_code == 200 and "X-Page-Cache" not in again
        assert "6.10" in again.content.decode()


def test_add_to_cart_from_a_cached_product_card_carries_each_visitors_own_token(shop, consumer, other_consumer):
    import re

    from django.test import Client

    from marketplace.shop.models import CartItem

    product = shop.products.get()
    for shopper in (consumer, other_consumer):  # the second one is served the first one's cached card
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(shopper)
        page = _get(browser, reverse("shop:vendor-detail", args=[shop.slug])).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        added = browser.post(
            reverse("shop:cart-add", args=[product.pk]),
            {"quantity": "1", "next": "/", "csrfmiddlewaretoken": token},
        )
        assert added.status_code == 302, added.status_code
        assert CartItem.objects.filter(consumer=shopper, product=product).exists()


def test_a_page_about_to_be_kept_is_rendered_from_the_primary_even_when_a_replica_was_chosen(rf):
    from django.http import HttpResponse

    from marketplace.kernel import db_router
    from marketplace.kernel.caching import cache_anonymous_page

    read_from = []

    @cache_anonymous_page()
    def page(request):  # type: ignore[no-untyped-def]
        read_from.append(db_router.request_replica())
        return HttpResponse("<p>vendors</p>")

    token = db_router._request_replica.set("replica_0")  # what ReplicaReadsMiddleware does for a browse page
    try:
        assert page(rf.get("/vendors/"))["X-Page-Cache"] == "miss"
        assert page(rf.get("/vendors/"))["X-Page-Cache"] == "hit"
        assert db_router.request_replica() == "replica_0"  # the rest of the request keeps its replica
    finally:
        db_router._request_replica.reset(token)
    assert read_from == [None]  # rendered once, from the primary


def _tables_read(client, url: str) -> set[str]:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        _get(client, url)
    return {
        table for q in queries.captured_queries for table in ("vendors_vendor", "vendors_product") if table in q["sql"]
    }


def test_signed_in_vendor_pages_share_what_every_visitor_sees_and_keep_each_ones_own_prices(
    client, shop, consumer, reference_data
):
    product = shop.products.get()
    catalogue.product_update(vendor=shop, product_id=product.pk, partner_price=Decimal("8.00"))
    membership_start(consumer=consumer, vendor_id=shop.pk)
    url = reverse("shop:vendor-detail", args=[shop.slug])
    stranger = UserFactory()

    client.force_login(stranger)
    assert "£9.50" in _get(client, url).content.decode()
    assert not _tables_read(client, url)  # the vendor and its products were read once, for everyone
    client.force_login(consumer)
    mine = _get(client, url).content.decode()
    assert '£8.00 <span class="badge">Partner price' in mine and "One of your partners" in mine
    assert not _tables_read(client, url)
    client.force_login(stranger)
    assert "£8.00" not in _get(client, url).content.decode().split('id="products-heading"', 1)[1]

    # What the vendor changes shows on the next signed-in visit; a suspension takes the page away.
    catalogue.product_update(vendor=shop, product_id=product.pk, price=Decimal("8.75"), name="Harbour ristretto")
    page = _get(client, url).content.decode()
    assert "£8.75" in page and "Harbour ristretto" in page
    product_page = product.get_absolute_url()
    assert "£8.75" in _get(client, product_page).content.decode()
    assert not _tables_read(client, product_page)
    moderator = UserFactory()
    moderator.groups.add(Group.objects.get(name="Moderators"))
    moderation.vendor_suspend(moderator=moderator, vendor_id=shop.pk, reason="Unsafe goods")
    assert client.get(url).status_code == 404  # the stranger never bought there: nothing to tell them
    assert client.get(product_page).status_code == 404
    client.force_login(consumer)
    assert "suspended" in _get(client, url).content.decode().lower()  # their partner is told what happened


def test_the_home_page_features_the_same_vendors_for_all_but_never_one_the_visitor_ended(
    client, consumer, monkeypatch, reference_data
):
    from marketplace.shop.selectors import directory

    monkeypatch.setattr(directory, "DIRECTORY_KEPT", 6)  # the six kept for everyone, then one more beyond them
    vendors = [VendorFactory(name=f"Vendor {letter}") for letter in "ABCDEFG"]
    membership_start(consumer=consumer, vendor_id=vendors[0].pk)
    membership_end(consumer=consumer, vendor_id=vendors[0].pk, reason="price")

    def featured(page: str) -> list[str]:
        section = page.split('id="featured-heading"', 1)[1].split("</section>", 1)[0]
        return [v.name for v in vendors if f">{v.name}<" in section]

    client.force_login(UserFactory())
    assert featured(_get(client, "/").content.decode()) == [f"Vendor {letter}" for letter in "ABCDEF"]
    assert not _tables_read(client, "/")
    client.force_login(consumer)  # Vendor A is out of the kept six: the list is read for them, with G
    assert featured(_get(client, "/").content.decode()) == [f"Vendor {letter}" for letter in "BCDEFG"]

    # A moderator's suspension takes a featured vendor off everyone's home page at once.
    moderator = UserFactory()
    moderator.groups.add(Group.objects.get(name="Moderators"))
    moderation.vendor_suspend(moderator=moderator, vendor_id=vendors[1].pk, reason="Unsafe goods")
    assert featured(_get(client, "/").content.decode()) == [f"Vendor {letter}" for letter in "CDEFG"]


def test_the_directorys_first_page_is_kept_for_everyone_less_the_vendors_each_visitor_ended(
    client, consumer, monkeypatch
):
    from marketplace.shop.selectors import directory
    from marketplace.shop.views.storefront import VendorListView

    monkeypatch.setattr(directory, "DIRECTORY_KEPT", 4)  # a first page of 3 and its look-ahead row
    monkeypatch.setattr(VendorListView, "paginate_by", 3)
    vendors = {letter: VendorFactory(name=f"Vendor {letter}") for letter in "ABCDEF"}
    membership_start(consumer=consumer, vendor_id=vendors["F"].pk)
    membership_end(consumer=consumer, vendor_id=vendors["F"].pk, reason="price")

    def listed(url: str) -> str:
        return "".join(letter for letter, v in vendors.items() if f">{v.name}<" in _get(client, url).content.decode())

    client.force_login(UserFactory())
    assert listed("/vendors/") == "ABC"
    assert not _tables_read(client, "/vendors/")
    assert listed("/vendors/?page=2") == "DEF"
    client.force_login(consumer)
    assert listed("/vendors/") == "ABC"
    assert not _tables_read(client, "/vendors/")  # F, which they ended, is past the kept rows
    assert listed("/vendors/?page=2") == "DE"
    api = client.get("/api/v1/vendors/?page_size=3").json()
    assert [v["name"] for v in api["results"]] == ["Vendor A", "Vendor B", "Vendor C"] and api["next"]

    # Once they end A, which the kept rows hold, their first page is read for them alone.
    membership_start(consumer=consumer, vendor_id=vendors["A"].pk)
    membership_end(consumer=consumer, vendor_id=vendors["A"].pk, reason="price")
    assert listed("/vendors/") == "BCD"
    assert [v["name"] for v in client.get("/api/v1/vendors/?page_size=3").json()["results"]] == [
        "Vendor B",
        "Vendor C",
        "Vendor D",
    ]
    client.force_login(UserFactory())
    assert listed("/vendors/") == "ABC"  # everyone else's page is as it was


def test_a_selective_search_is_kept_for_everyone_and_put_partners_first_for_each_visitor(client, consumer):
    partner, other, ended = (VendorFactory(name=name) for name in ("Apiary One", "Apiary Two", "Apiary Three"))
    for vendor, name in ((other, "Smoked honey jar"), (partner, "Smoked honey pot"), (ended, "Smoked honey comb")):
        ProductFactory(vendor=vendor, name=name, price=Decimal("6.00"), partner_price=Decimal("5.00"))
    membership_start(consumer=consumer, vendor_id=partner.pk)
    url = "/search/?q=smoked+honey"

    def results(page: str) -> list[str]:
        return re.findall(r'<h2 class="h3"><a href="[^"]+">([^<]+)</a>', page)

    client.force_login(UserFactory())
    assert results(_get(client, url).content.decode()) == ["Smoked honey comb", "Smoked honey jar", "Smoked honey pot"]
    assert not _tables_read(client, url)
    client.force_login(consumer)
    page = _get(client, url).content.decode()
    assert results(page) == ["Smoked honey pot", "Smoked honey comb", "Smoked honey jar"]  # their partner first
    assert '£5.00 <span class="badge">Partner price' in page and page.count("Partner price") == 1
    assert not _tables_read(client, url)
    api = client.get("/api/v1/products/?q=smoked+honey").json()["results"]
    assert [(p["name"], p["from_partner"]) for p in api] == [
        ("Smoked honey pot", True),
        ("Smoked honey comb", False),
        ("Smoked honey jar", False),
    ]

    # A vendor they ended is among the matches: it is left out of their list (rule 2) unless they name it.
    membership_start(consumer=consumer, vendor_id=ended.pk)
    membership_end(consumer=consumer, vendor_id=ended.pk, reason="price")
    # Rule 2 lives in the database's query alone: a kept row of a vendor they ended sends their page there.
    assert results(_get(client, url).content.decode()) == ["Smoked honey pot", "Smoked honey jar"]
    by_name = _get(client, "/search/?q=apiary+three").content.decode()  # still found by its name, marked
    assert results(by_name) == ["Smoked honey comb"] and "You ended this partnership" in by_name


def test_a_broad_search_puts_each_visitors_partners_first_over_the_matches_kept_for_everyone(
    client, consumer, monkeypatch
):
    from marketplace.shop.selectors import search
    from marketplace.shop.views.storefront import ProductSearchView

    monkeypatch.setattr(search, "SEARCH_KEPT", 5)  # 8 matches: a broad search, its first 6 kept
    monkeypatch.setattr(ProductSearchView, "paginate_by", 3)
    partner, ended = VendorFactory(name="Roastery P"), VendorFactory(name="Roastery E")
    vendor_of = {"B": ended, "G": partner, "H": partner}
    for letter in "ABCDEFGH":
        ProductFactory(
            vendor=vendor_of.get(letter) or VendorFactory(), name=f"Espresso {letter}", partner_price=Decimal("7.00")
        )
    for vendor in (partner, ended):
        membership_start(consumer=consumer, vendor_id=vendor.pk)
    membership_end(consumer=consumer, vendor_id=ended.pk, reason="price")
    other_ended = VendorFactory(name="Roastery X")  # an ended vendor with no match: the kept rows serve them
    membership_start(consumer=consumer, vendor_id=other_ended.pk)
    membership_end(consumer=consumer, vendor_id=other_ended.pk, reason="price")

    def results(url: str) -> str:
        found = re.findall(r'<h2 class="h3"><a href="[^"]+">Espresso ([A-H])</a>', _get(client, url).content.decode())
        return "".join(found)

    client.force_login(UserFactory())
    for url in ("/search/?q=espresso", "/search/"):  # the list with no search text is kept the same way
        assert results(url) == "ABC"
        assert not _tables_read(client, url)
    client.force_login(consumer)
    for url in ("/search/?q=espresso", "/search/"):
        assert results(url) == "GHA"  # their partner's two first, then everyone's list less the vendor they ended
        assert results(f"{url}{'&' if '?' in url else '?'}page=2") == "CDE"  # past the kept rows: read for them
    # With no search text, the rows of a vendor they ended are left out of the kept rows; with text that a row
    # of that vendor matches, rule 2 ("unless the text names the vendor") is the database's, so it is asked.
    assert results("/search/") == "GHA" and not _tables_read(client, "/search/")
    membership_start(consumer=consumer, vendor_id=ended.pk)  # reinstated: no ended vendor among the matches
    assert results("/search/?q=espresso") == "BGH"
    assert not _tables_read(client, "/search/?q=espresso")  # their partners' matches are kept too, by their set
    membership_end(consumer=consumer, vendor_id=ended.pk, reason="price")
    page = _get(client, "/search/?q=espresso").content.decode()
    assert page.count('£7.00 <span class="badge">Partner price') == 2
    api = client.get("/api/v1/products/?q=espresso&page_size=3").json()
    assert [(p["name"], p["from_partner"]) for p in api["results"]] == [
        ("Espresso G", True),
        ("Espresso H", True),
        ("Espresso A", False),
    ]

    for url in ("/search/?only_partners=on", "/search/?q=espresso&only_partners=on"):
        assert results(url) == "GH"  # their partners' products alone, kept the same way
        assert not _tables_read(client, url)

    # A new partner changes their set: their partners' matches are read for the new set at once.
    membership_start(consumer=consumer, vendor_id=Product.objects.get(name="Espresso C").vendor_id)
    assert results("/search/?q=espresso") == "CGH"
    assert results("/search/?only_partners=on") == "CGH"
    catalogue.product_set_active(vendor=partner, product_id=Product.objects.get(name="Espresso H").pk, active=False)
    assert results("/search/?q=espresso") == "CGA"  # a product the vendor withdrew is gone from the next page


def _reads(client, url: str, tables: tuple[str, ...]) -> tuple[str, list[str]]:  # type: ignore[no-untyped-def]
    """The page at `url` and, once per query, each of `tables` that the query reads FROM."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        page = _get(client, url).content.decode()
    return page, [table for q in queries.captured_queries for table in tables if f'FROM "{table}"' in q["sql"]]


STATISTICS = ("portfolios_vendordailystat", "portfolios_vendorsegmentstat", "portfolios_vendorendreasonstat")


def test_the_insights_are_kept_until_the_vendors_figures_are_refreshed_and_show_a_refresh_at_once(
    client, shop, exact_release
):
    from marketplace.kernel.sql import Scope
    from portfolios.services.stats import stats_refresh_marketplace, stats_refresh_scope

    def partners() -> None:
        for _ in range(5):
            membership_start(consumer=UserFactory(), vendor_id=shop.pk)
        stats_refresh_scope(scope=Scope.ids([shop.pk]))
        stats_refresh_marketplace()

    def current_partners(page: str) -> str:
        return re.search(r'Current partners</p><p class="kpi">([^<]+)<', page).group(1)

    partners()
    client.force_login(shop.owner)
    url = reverse("sell:insights")
    first = _get(client, url).content.decode()
    assert current_partners(first) == "5–9" and 'id="insights-data"' in first
    assert not _reads(client, url, STATISTICS)[1]  # the figures and their sections were kept
    sections = first[first.index('id="trend-heading"') :]
    assert _get(client, url).content.decode().endswith(sections)  # the same figures, charts and tables
    api = client.get(reverse("api:sell-insights")).json()
    assert api["current_partners"] == 5

    partners()  # five more, and the refresh that counts them
    page = _get(client, url).content.decode()
    assert current_partners(page) == "10–14"  # the next request after the refresh, not a minute later
    assert client.get(reverse("api:sell-insights")).json()["current_partners"] == 10


def test_the_moderation_queue_is_never_kept_and_a_new_application_or_decision_shows_at_once(client):
    """The queue names the applicants (their e-mail addresses): it is read for each moderator, never kept."""
    from django.core.cache import cache

    from vendors.models import Vendor

    moderator = UserFactory()
    moderator.groups.add(Group.objects.get(name="Moderators"))
    first = VendorFactory(name="Allotment One", status=Vendor.Status.PENDING, approved_at=None)
    client.force_login(moderator)
    url = reverse("moderation:queue")
    page = _get(client, url).content.decode()
    assert "Applications waiting (1)" in page and "Allotment One" in page and first.owner.email in page
    kept = repr([cache.get(key) for key in cache._cache])  # LocMemCache's keys, as Redis would hold them
    assert first.owner.email not in kept

    VendorFactory(name="Allotment Two", status=Vendor.Status.PENDING, approved_at=None)
    page = _get(client, url).content.decode()
    assert "Applications waiting (2)" in page and "Allotment Two" in page
    moderation.vendor_approve(moderator=moderator, vendor_id=first.pk)
    page = _get(client, url).content.decode()
    assert "Applications waiting (1)" in page and "Allotment One" not in page


def test_my_partners_is_kept_between_a_consumers_visits_and_shows_each_change_of_theirs_at_once(
    client, consumer, other_consumer
):
    from portfolios.services import membership_set_muted
    from promotions.models import Promotion
    from promotions.services.feedback import promotion_feedback_give
    from promotions.services.lifecycle import promotion_deliver

    partner, other = VendorFactory(name="Orchard Fresh"), VendorFactory(name="Dairy Lane")
    for vendor in (partner, other):
        membership_start(consumer=consumer, vendor_id=vendor.pk)
    promotion = running_promotion(partner, kind=Promotion.Kind.PARTNERS, title="Apples for partners")
    promotion_deliver(promotion=promotion)
    url = reverse("portfolios:portfolio")

    def visit() -> tuple[str, list[str]]:
        return _reads(client, url, ("portfolios_partnermembership", "promotions_promotion", "vendors_product"))

    client.force_login(consumer)
    page, _ = visit()
    assert "Current partners (2)" in page and "Apples for partners" in page
    page, read = visit()
    assert not read and "Current partners (2)" in page  # kept: none of their memberships, feed or products read

    membership_end(consumer=consumer, vendor_id=other.pk, reason="price")
    page, read = visit()
    assert read and "Current partners (1)" in page and "Dairy Lane" in page.split('id="history-heading"')[1]
    promotion_feedback_give(consumer=consumer, promotion_id=promotion.pk, verdict="not_for_me", reason="price")
    assert visit()[1]  # their feedback, read afresh
    assert [p["title"] for p in client.get("/api/v1/portfolio/feed/").json()["promotions"]] == ["Apples for partners"]
    membership_set_muted(consumer=consumer, vendor_id=partner.pk, muted=True)
    assert "Apples for partners" not in visit()[0]  # muted: the partner's promotions leave the feed at once
    assert client.get("/api/v1/portfolio/feed/").json()["promotions"] == []  # the API's feed is the same data
    ProductFactory(vendor=partner, name="Cider vinegar")  # what a partner adds shows too
    assert "Cider vinegar" in visit()[0]

    client.force_login(other_consumer)  # another consumer never gets this one's page
    theirs = _get(client, url).content.decode()
    assert "Current partners (0)" in theirs and "Orchard Fresh" not in theirs


def test_a_visitors_partners_and_ended_vendors_are_read_once_per_page_and_follow_each_change_at_once(client, consumer):
    kept, ended = VendorFactory(name="Bakery Kept"), VendorFactory(name="Bakery Gone")
    for vendor in (kept, ended):
        ProductFactory(vendor=vendor, name=f"Sourdough from {vendor.name}")
        membership_start(consumer=consumer, vendor_id=vendor.pk)
    client.force_login(consumer)

    def memberships_read(url: str) -> tuple[int, str]:
        page, read = _reads(client, url, ("portfolios_partnermembership",))
        return len(read), page

    for url in ("/search/?q=sourdough", "/vendors/", "/products/" + str(kept.products.get().pk) + "/"):
        assert memberships_read(url)[0] == 1  # their partners and ended vendors: one indexed read per page

    membership_end(consumer=consumer, vendor_id=ended.pk, reason="quality")
    read, page = memberships_read("/search/?q=sourdough")
    assert read == 1 and "Sourdough from Bakery Kept" in page and "Bakery Gone" not in page  # rule 2, at once
