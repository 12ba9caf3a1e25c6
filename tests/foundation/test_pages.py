"""The first pages answer with the demo data, in a number of queries that does not grow with the data."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from vendors.models import Vendor

PAGES = ["shop:home", "shop:vendor-list"]


def _query_count(client, url: str) -> int:
    """Queries of a view of the page once its pictures' thumbnails exist: the first view of a new picture makes
    its thumbnail and records it (sorl's key-value store), a one-time cost per picture that the thumbnail task
    pays after each upload; every later view reads the record from the cache."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_pages_answer_with_demo_data(client):
    call_command("seed_demo", "--consumers", "20", "--vendors", "8", "--no-progress", verbosity=0)
    vendor = Vendor.objects.get(slug="demo-coffee-roasters")
    for url in [reverse(p) for p in PAGES] + [
        vendor.get_absolute_url(),
        vendor.products.first().get_absolute_url(),
        reverse("account_login"),
        reverse("account_signup"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(vendor.get_absolute_url()).content.decode()
    assert "Demo Coffee Roasters" in page and "Public facts" in page


@pytest.mark.django_db
def test_pages_run_constant_queries_whatever_the_number_of_vendors(client):
    call_command(
        "seed_demo",
        "--consumers",
        "5",
        "--vendors",
        "3",
        "--products-per-vendor",
        "2",
        "--memberships-per-consumer",
        "1",
        "--no-progress",
        verbosity=0,
    )
    vendor_url = Vendor.objects.get(slug="demo-coffee-roasters").get_absolute_url()
    urls = [reverse(p) for p in PAGES] + [vendor_url]
    before = [_query_count(client, url) for url in urls]
    call_command(
        "seed_demo",
        "--consumers",
        "5",
        "--vendors",
        "20",
        "--products-per-vendor",
        "6",
        "--memberships-per-consumer",
        "1",
        "--no-progress",
        verbosity=0,
    )
    assert Vendor.objects.approved().count() > 15
    assert [_query_count(client, url) for url in urls] == before


@pytest.mark.django_db
def test_pages_never_show_pending_or_suspended_vendors(client, vendor):
    from tests.factories import VendorFactory

    hidden = [
        VendorFactory(name="Pending Pies", status=Vendor.Status.PENDING),
        VendorFactory(name="Suspended Soaps", status=Vendor.Status.SUSPENDED),
    ]
    listing = client.get(reverse("shop:vendor-list")).content.decode()
    assert vendor.name in listing
    for v in hidden:
        assert v.name not in listing
        assert client.get(v.get_absolute_url()).status_code == 404
