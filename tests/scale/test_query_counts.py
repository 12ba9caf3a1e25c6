"""Home, directory, search and their API lists run the same queries for 3 vendors as for 30, and none of
them counts the whole directory or search."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from marketplace.accounts.models import Region
from tests.helpers import queries_of
from vendors.models import Category

PAGES = [
    ("/", {}),
    ("/vendors/", {}),
    ("/vendors/", {"sort": "partners"}),
    ("/vendors/", {"sort": "rating"}),
    ("/vendors/", {"sort": "newest"}),
    ("/vendors/", {"sort": "name"}),
    ("/vendors/", {"q": "coffee"}),
    ("/vendors/", {"q": "coffee", "sort": "partners"}),
    ("/vendors/", {"category": "CATEGORY", "region": "REGION"}),
    ("/search/", {}),
    ("/search/", {"q": "coffee"}),
    ("/search/", {"q": "cofee"}),  # a typo: full text finds nothing, the trigram fallback does
    ("/search/", {"q": "coffee", "only_partners": "on"}),
    ("/search/", {"only_partners": "on"}),
    ("/api/v1/products/", {}),
    ("/api/v1/products/", {"q": "coffee", "page_size": "100"}),
    ("/api/v1/vendors/", {"page_size": "100"}),
    ("/api/v1/vendors/", {"sort": "partners", "q": "coffee"}),
]


def _params(params: dict[str, str]) -> dict[str, str]:
    fill = {"CATEGORY": Category.objects.order_by("id").first().slug, "REGION": Region.objects.first().code}
    return {k: fill.get(v, v) for k, v in params.items()}


def _large_table_counts(sql: list[str]) -> list[str]:
    """Django's COUNT(*) of a list (a paginator's total) or a Count() annotation over products or vendors."""
    counts = [q for q in sql if '"__count"' in q or 'COUNT("vendors_' in q or 'COUNT(DISTINCT "vendors_' in q]
    return [q for q in counts if "vendors_product" in q or "vendors_vendor" in q]


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_pages_run_the_same_queries_for_3_vendors_and_for_30(client, consumer, grow_marketplace, signed_in, settings):
    # What a page costs to render: anonymous visitors' pages would come from the page cache (test_page_cache.py).
    settings.MARKETPLACE = {**settings.MARKETPLACE, "PAGE_CACHE_SECONDS": 0}
    web = client
    api = APIClient()
    if signed_in:
        web.force_login(consumer)
        api.force_authenticate(consumer)

    def counts() -> list[int]:
        found = []
        for url, params in PAGES:
            sql = queries_of(api if url.startswith("/api/") else web, url, _params(params))
            assert _large_table_counts(sql) == [], url
            found.append(len(sql))
        return found

    grow_marketplace(3)
    counts()  # warms what a first request does once (the session, the throttle's cache)
    few = counts()
    grow_marketplace(27)
    assert dict(zip([f"{u}?{p}" for u, p in PAGES], counts(), strict=True)) == dict(
        zip([f"{u}?{p}" for u, p in PAGES], few, strict=True)
    )
