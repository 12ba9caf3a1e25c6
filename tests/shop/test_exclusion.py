"""Rule 2 everywhere: a vendor the consumer ended is excluded for them (no ad, featured slot, suggestion or
partner-price teaser) yet stays findable by name, marked; a muted partner's ads are hidden (rule 3)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats

from portfolios.selectors.memberships import vendor_ids_excluded_for
from portfolios.services import membership_end, membership_reinstate, membership_set_muted, membership_start
from tests.factories import ProductFactory, UserFactory, VendorFactory
from tests.helpers import running_promotion

PAGES = {"home": reverse("shop:home"), "search": reverse("shop:search"), "directory": reverse("shop:vendor-list")}


@pytest.fixture
def grocer(db):
    """The vendor the consumer will end: a public ad running, a product with a partner price."""
    vendor = VendorFactory(name="Grumpy Grocer", slug="grumpy-grocer", description="Fresh vegetables daily")
    ProductFactory(vendor=vendor, name="Organic carrots", price=Decimal("3.00"), partner_price=Decimal("2.50"))
    running_promotion(vendor, title="Grumpy Grocer carrot week")
    return vendor


@pytest.fixture
def baker(db):
    vendor = VendorFactory(name="Kind Baker", slug="kind-baker", description="Fresh bread daily")
    ProductFactory(vendor=vendor, name="Organic rye", price=Decimal("4.00"), partner_price=Decimal("3.50"))
    running_promotion(vendor, title="Kind Baker rye week")
    return vendor


def _end(consumer, vendor) -> None:
    membership_start(consumer=consumer, vendor_id=vendor.pk)
    membership_end(consumer=consumer, vendor_id=vendor.pk, reason="bad_service")


def _page(client, url: str, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def _without_ads(page: str) -> str:
    return page.split('<aside class="ads"')[0]


@pytest.fixture
def other_shopper() -> Client:
    """Another signed-in shopper, who ended nothing."""
    client = Client()
    client.force_login(UserFactory())
    return client


@pytest.mark.django_db
def test_ended_vendor_has_no_ad_featured_slot_or_listing_on_home_search_and_directory(
    other_shopper, consumer_client, consumer, grocer, baker
):
    # Given a consumer who ended the grocer
    _end(consumer, grocer)

    # Then another shopper still sees the grocer everywhere (so the checks below can fail) ...
    for name, url in PAGES.items():
        assert "Grumpy Grocer carrot week" in _page(other_shopper, url), name
    assert "Grumpy Grocer" in _without_ads(_page(other_shopper, PAGES["home"]))
    assert "Grumpy Grocer" in _without_ads(_page(other_shopper, PAGES["directory"]))

    # ... and the consumer sees nothing of it: no ad, no featured slot, no directory entry, while the
    # baker's ad and listing stay
    for name, url in PAGES.items():
        page = _page(consumer_client, url)
        assert "Kind Baker rye week" in page, name
        assert "Grumpy Grocer" not in page and grocer.get_absolute_url() not in page, name
    assert "Grumpy Grocer" not in _page(consumer_client, PAGES["directory"], q="fresh daily")
    assert "Kind Baker" in _page(consumer_client, PAGES["directory"], q="fresh daily")
    assert "Grumpy Grocer" not in _page(consumer_client, PAGES["directory"], category=grocer.category.slug)


@pytest.mark.django_db
def test_ended_vendor_is_absent_from_api_directory_and_product_search(api, consumer, grocer, baker):
    _end(consumer, grocer)
    vendors = [v["slug"] for v in api.get("/api/v1/vendors/").json()["results"]]
    assert vendors == ["kind-baker"]
    assert [v["slug"] for v in api.get("/api/v1/vendors/", {"q": "fresh"}).json()["results"]] == ["kind-baker"]
    products = [p["name"] for p in api.get("/api/v1/products/", {"q": "organic"}).json()["results"]]
    assert products == ["Organic rye"]
    # looked for by name, the vendor is found
    by_name = api.get("/api/v1/vendors/", {"q": "grumpy"}).json()["results"]
    assert [v["slug"] for v in by_name] == ["grumpy-grocer"]


@pytest.mark.django_db
def test_ended_vendors_products_show_no_partner_price_teaser_in_search(
    other_shopper, consumer_client, consumer, grocer
):
    _end(consumer, grocer)
    teaser = "A partner price exists for Grumpy Grocer"
    # Another shopper searching for carrots sees the product and the teaser
    assert teaser in _page(other_shopper, PAGES["search"], q="carrots")
    # The consumer searching for carrots is not offered the ended vendor's product at all
    page = _page(consumer_client, PAGES["search"], q="carrots")
    assert "Organic carrots" not in page and teaser not in page
    # Looking for the vendor by name, they find its products, marked, with no teaser
    by_name = _page(consumer_client, PAGES["search"], q="grumpy")
    assert "Organic carrots" in by_name and "You ended this partnership" in by_name
    assert teaser not in by_name and "Partner price" not in by_name
    # nor on the product page itself, nor on the vendor page
    product = grocer.products.get()
    for url in (product.get_absolute_url(), grocer.get_absolute_url()):
        page = _page(consumer_client, url)
        assert "Organic carrots" in page and teaser not in page


@pytest.mark.django_db
def test_ended_vendor_found_by_name_is_marked_with_the_date_and_a_reinstate_button(
    consumer_client, consumer, grocer, baker, django_capture_on_commit_callbacks
):
    # Given a consumer who ended the grocer
    _end(consumer, grocer)
    ended_at = consumer.memberships.get(vendor=grocer).ended_at
    mark = f"You ended this partnership on {formats.date_format(ended_at, 'j F Y')}."
    reinstate = f'action="{reverse("portfolios:reinstate", args=[grocer.pk])}"'

    # When they look for it by name in the directory, it is listed, marked, with a reinstate button
    page = _page(consumer_client, PAGES["directory"], q="Grumpy")
    assert "Grumpy Grocer" in page and mark in page and reinstate in page
    assert "Kind Baker" not in _without_ads(page)
    # a vendor they did not end carries no mark
    assert "You ended" not in _page(consumer_client, PAGES["directory"], q="Kind")

    # Its own page says so too, and so does its product's page
    for url in (grocer.get_absolute_url(), grocer.products.get().get_absolute_url()):
        page = _page(consumer_client, url)
        assert mark in page and reinstate in page

    # When they reinstate it from there, the mark goes and the grocer is back in their home page
    with django_capture_on_commit_callbacks(execute=True):
        response = consumer_client.post(reverse("portfolios:reinstate", args=[grocer.pk]))
    assert response.status_code == 302
    assert "You ended" not in _page(consumer_client, grocer.get_absolute_url())
    assert "Grumpy Grocer carrot week" in _page(consumer_client, PAGES["home"])


@pytest.mark.django_db
def test_muted_partners_ads_are_hidden_while_it_stays_a_listed_partner(consumer_client, consumer, grocer, baker):
    # Given the grocer is a partner whose promotions the consumer muted
    membership_start(consumer=consumer, vendor_id=grocer.pk)
    membership_set_muted(consumer=consumer, vendor_id=grocer.pk, muted=True)

    # Then its ad shows on no page, the baker's does, and the grocer stays listed in the directory
    for name, url in PAGES.items():
        page = _page(consumer_client, url)
        assert "Grumpy Grocer carrot week" not in page and "Kind Baker rye week" in page, name
    assert "Grumpy Grocer" in _page(consumer_client, PAGES["directory"])
    assert "You ended" not in _page(consumer_client, PAGES["directory"])

    # When they unmute it, its ad is back
    membership_set_muted(consumer=consumer, vendor_id=grocer.pk, muted=False)
    assert "Grumpy Grocer carrot week" in _page(consumer_client, PAGES["home"])


@pytest.mark.django_db
def test_vendor_ids_excluded_for_reads_ended_and_muted_in_one_query(consumer, grocer, baker):
    reinstated = VendorFactory()
    _end(consumer, grocer)
    _end(consumer, reinstated)
    membership_reinstate(consumer=consumer, vendor_id=reinstated.pk)
    membership_start(consumer=consumer, vendor_id=baker.pk)
    membership_set_muted(consumer=consumer, vendor_id=baker.pk, muted=True)

    with CaptureQueriesContext(connection) as ctx:
        exclusion = vendor_ids_excluded_for(consumer=consumer)
    assert len(ctx.captured_queries) == 1
    assert exclusion.ended == {grocer.pk}
    assert exclusion.ended_on[grocer.pk] == consumer.memberships.get(vendor=grocer).ended_at
    assert exclusion.muted == {baker.pk} and exclusion.ads_hidden == {grocer.pk, baker.pk}
    # someone else's exclusions are not this consumer's
    assert not vendor_ids_excluded_for(consumer=UserFactory()).ads_hidden


@pytest.mark.django_db
def test_pages_run_the_same_queries_however_many_vendors_the_consumer_ended(consumer_client, consumer, grocer):
    urls = [
        PAGES["home"],
        PAGES["directory"],
        PAGES["directory"] + "?q=vendor",
        PAGES["search"] + "?q=product",
        grocer.get_absolute_url(),
        "/api/v1/vendors/?q=vendor",
        "/api/v1/products/?q=product",
    ]

    def end_more(n: int) -> None:
        for _ in range(n):
            vendor = VendorFactory()
            ProductFactory(vendor=vendor, partner_price=Decimal("1.00"))
            running_promotion(vendor, title="Ad")
            _end(consumer, vendor)

    def counts() -> list[int]:
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert consumer_client.get(url).status_code == 200
            found.append(len(ctx.captured_queries))
        return found

    end_more(1)
    counts()  # the first visit stores the directory's filter lists
    before = counts()
    end_more(6)
    counts()  # the new ads renewed the kept ad lists: read them once
    assert counts() == before


@pytest.mark.django_db
def test_kept_ad_lists_still_leave_out_each_consumers_ended_and_muted_vendors(consumer_client, consumer):
    ended, muted, shown = (
        VendorFactory(name="Ended Ads"),
        VendorFactory(name="Muted Ads"),
        VendorFactory(name="Fine Ads"),
    )
    for vendor in (ended, muted, shown):
        running_promotion(vendor, title=f"Offer from {vendor.name}")
    membership_start(consumer=consumer, vendor_id=muted.pk)
    membership_set_muted(consumer=consumer, vendor_id=muted.pk, muted=True)
    _end(consumer, ended)
    anonymous_page = Client().get(PAGES["directory"]).content.decode()  # keeps the ad list for everyone
    assert all(f"Offer from {v.name}" in anonymous_page for v in (ended, muted, shown))
    page = consumer_client.get(PAGES["directory"]).content.decode()
    assert "Offer from Fine Ads" in page
    assert "Offer from Ended Ads" not in page and "Offer from Muted Ads" not in page
    newcomer = VendorFactory(name="New Ads")
    running_promotion(newcomer, title="Offer from New Ads")
    assert "Offer from New Ads" in consumer_client.get(PAGES["directory"]).content.decode()
