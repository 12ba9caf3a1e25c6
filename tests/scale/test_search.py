"""Product and vendor search read the stored, GIN-indexed vectors (kept by triggers), rank the consumer's
partners first, fall back to trigram matching on names, and page without counting."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from marketplace.kernel.pagination import MAX_PAGES
from marketplace.shop import selectors
from portfolios.services import membership_start
from tests.factories import CategoryFactory, ProductFactory, VendorFactory
from vendors.models import Product, Vendor

pytestmark = pytest.mark.django_db


def _names(html: str) -> list[str]:
    return re.findall(r'<h2 class="h3"><a href="[^"]+">([^<]+)</a>', html)


def _search(client, q: str, **params: str) -> list[str]:
    return _names(client.get("/search/", {"q": q, **params}).content.decode())


@pytest.fixture
def roastery():
    vendor = VendorFactory(name="Harbour Roastery")
    ProductFactory(vendor=vendor, name="Quayside Espresso", description="Dark beans grown in Brazil")
    ProductFactory(vendor=vendor, name="Enamel mug", description="Holds a flat white")
    VendorFactory(name="Bike Barn").products.create(name="Road bicycle", description="Light frame", price=300)
    return vendor


def test_search_finds_products_by_name_description_and_vendor_name_through_the_stored_vector(client, roastery):
    with CaptureQueriesContext(connection) as ctx:
        assert _search(client, "quayside") == ["Quayside Espresso"]
    assert not [q["sql"] for q in ctx.captured_queries if "to_tsvector" in q["sql"]]  # no vector computed per row
    assert any('"vendors_product"."search" @@' in q["sql"] for q in ctx.captured_queries)
    assert _search(client, "brazil") == ["Quayside Espresso"]
    assert sorted(_search(client, "harbour roastery")) == ["Enamel mug", "Quayside Espresso"]
    assert _search(client, "bicycles") == ["Road bicycle"]  # stemmed: bicycles -> bicycl
    assert _search(client, "submarine") == []


def test_search_follows_a_vendor_renamed_and_a_product_edited(client, roastery):
    roastery.name = "Lighthouse Coffee"
    roastery.save()
    assert sorted(_search(client, "lighthouse")) == ["Enamel mug", "Quayside Espresso"]
    assert _search(client, "harbour") == []
    mug = roastery.products.get(name="Enamel mug")
    mug.description = "Stoneware, fits an espresso cup"
    mug.save()
    assert sorted(_search(client, "stoneware")) == ["Enamel mug"]


def test_search_puts_partners_products_first_then_the_best_matches(client, consumer, roastery):
    partner = VendorFactory(name="Corner Shop")
    ProductFactory(vendor=partner, name="Kettle", description="Boils water for espresso")
    membership_start(consumer=consumer, vendor_id=partner.pk)
    assert _search(client, "espresso") == ["Quayside Espresso", "Kettle"]  # anonymous: by relevance only
    client.force_login(consumer)
    assert _search(client, "espresso") == ["Kettle", "Quayside Espresso"]
    assert _search(client, "espresso", only_partners="on") == ["Kettle"]
    api = APIClient()
    api.force_authenticate(consumer)
    results = api.get("/api/v1/products/", {"q": "espresso"}).json()["results"]
    assert [(r["name"], r["from_partner"]) for r in results] == [("Kettle", True), ("Quayside Espresso", False)]
    # Without a query: every product, the partner's first, then the rest by name.
    assert _names(client.get("/search/").content.decode()) == [
        "Kettle",
        "Enamel mug",
        "Quayside Espresso",
        "Road bicycle",
    ]


def test_search_falls_back_to_trigram_names_only_when_full_text_finds_nothing(client, roastery):
    assert _search(client, "espreso") == ["Quayside Espresso"]  # a typo: no lexeme matches
    assert _search(client, "quaysde") == ["Quayside Espresso"]
    assert _search(client, "zzzzqqq") == []


def test_vendor_directory_searches_stored_vendor_vectors_with_category_and_description(client):
    tea = CategoryFactory(name="Tea", slug="tea")
    VendorFactory(name="Leafy Lane", category=tea, description="Loose oolong from Taiwan")
    VendorFactory(name="Bike Barn", description="Bicycles and repairs")
    page = client.get("/vendors/", {"q": "oolong"}).content.decode()
    assert "Leafy Lane" in page and "Bike Barn" not in page
    assert "Leafy Lane" in client.get("/vendors/", {"q": "tea"}).content.decode()  # the category's name
    tea.name = "Infusions"
    tea.save()
    assert "Leafy Lane" in client.get("/vendors/", {"q": "infusions"}).content.decode()
    assert "Leafy Lane" in client.get("/vendors/", {"q": "leafy lame"}).content.decode()  # trigram fallback


def test_search_pages_show_more_results_without_counting_and_stop_at_the_last_page(client, consumer):
    vendor = VendorFactory(name="Bulk Beans")
    for n in range(30):
        ProductFactory(vendor=vendor, name=f"Bean sack {n:02d}")
    first = client.get("/search/", {"q": "bean"}).content.decode()
    assert len(_names(first)) == 24 and "More results" in first and "page=2" in first
    second = client.get("/search/", {"q": "bean", "page": "2"}).content.decode()
    assert len(_names(second)) == 6 and "More results" not in second
    assert client.get("/search/", {"q": "bean", "page": "3"}).status_code == 404
    assert client.get("/search/", {"q": "bean", "page": str(MAX_PAGES + 1)}).status_code == 404
    listing = APIClient().get("/api/v1/products/", {"q": "bean", "page_size": "20"}).json()
    assert "count" not in listing and len(listing["results"]) == 20 and "page=2" in listing["next"]
    last = APIClient().get(listing["next"]).json()
    assert len(last["results"]) == 10 and last["next"] is None and last["previous"]


def test_directory_sorted_by_partners_lists_vendors_without_statistics_last(client, consumer):
    from portfolios.services.stats import stats_reconcile_all

    popular, quiet = VendorFactory(name="Zephyr Goods"), VendorFactory(name="Alder Goods")
    membership_start(consumer=consumer, vendor_id=popular.pk)
    stats_reconcile_all()
    newcomer = VendorFactory(name="Aardvark Goods")  # approved after the job ran: no statistics row yet
    vendors = list(selectors.vendor_list_directory(sort=selectors.VendorSort.PARTNERS)[0:10])
    assert [v.name for v in vendors] == [popular.name, quiet.name, newcomer.name]
    assert list(selectors.vendor_list_directory(sort=selectors.VendorSort.PARTNERS)[1:2]) == [quiet]
    home = client.get("/").content.decode()
    assert home.index(popular.name) < home.index(quiet.name) < home.index(newcomer.name)


def _filler(*, products: int, vendors: int) -> None:
    """Rows enough for the planner to prefer an index (bulk inserts: the triggers fill their vectors)."""
    owner = VendorFactory().owner
    category = CategoryFactory()
    fillers = Vendor.objects.bulk_create(
        Vendor(owner=owner, name=f"Filler vendor {n}", slug=f"filler-{n}", category=category, status="approved")
        for n in range(vendors)
    )
    Product.objects.bulk_create(
        Product(vendor=fillers[n % vendors], name=f"Sundry item {n}", description="Plain and useful", price=5)
        for n in range(products)
    )
    with connection.cursor() as cursor:
        for index in ("vendors_product_search_gin", "vendors_product_name_trgm", "vendors_vendor_search_gin"):
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])  # what autovacuum does
        cursor.execute("ANALYZE vendors_vendor, vendors_product")
        # A few thousand rows still fit in a few pages, where reading them all is cheapest: as on the full
        # marketplace, the plan must then come from the indexes (the test runs in a transaction).
        cursor.execute("SET LOCAL enable_seqscan = off")


def test_search_queries_use_the_gin_indexes_on_the_stored_vectors(roastery):
    _filler(products=5000, vendors=500)
    plan = selectors.product_search_partners_first(consumer=AnonymousUser(), query="espresso").explain()
    assert "Bitmap Index Scan on vendors_product_search_gin" in plan, plan
    assert "Seq Scan on vendors_product" not in plan, plan
    plan = selectors.vendor_list_directory(search="roastery").explain()
    assert "Bitmap Index Scan on vendors_vendor_search_gin" in plan, plan
    fuzzy = selectors.product_search_partners_first(consumer=AnonymousUser(), query="espreso").fallback
    assert "Bitmap Index Scan on vendors_product_name_trgm" in fuzzy.explain(), fuzzy.explain()
