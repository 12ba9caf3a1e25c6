"""The regions a vendor serves, read with the directory's own query, on its cards and in the API."""

from __future__ import annotations

import pytest

from marketplace.accounts.models import Region
from tests.factories import VendorFactory


@pytest.mark.django_db
def test_directory_home_and_api_show_the_regions_each_vendor_serves_by_name(client):
    regions = list(Region.objects.order_by("name")[:3])
    wide, narrow, nowhere = VendorFactory(name="Aardvark Wide"), VendorFactory(name="Aardvark Narrow"), VendorFactory()
    wide.regions.set(regions)
    narrow.regions.set(regions[2:])
    for url in ["/vendors/", "/"]:
        page = client.get(url).content.decode()
        assert f"serves {', '.join(r.name for r in regions)}</p>" in page, url
        assert f"serves {regions[2].name}</p>" in page, url
    listed = {v["slug"]: v["regions"] for v in client.get("/api/v1/vendors/", {"page_size": 100}).json()["results"]}
    assert listed[wide.slug] == [r.code for r in regions]
    assert listed[narrow.slug] == [regions[2].code]
    assert listed[nowhere.slug] == []


@pytest.mark.django_db
def test_a_change_of_regions_shows_on_the_next_directory_page(client):
    vendor = VendorFactory(name="Aardvark Moving")
    first, second = Region.objects.order_by("name")[:2]
    vendor.regions.set([first])
    assert f"serves {first.name}</p>" in client.get("/vendors/").content.decode()
    vendor.regions.set([second])
    page = client.get("/vendors/").content.decode()
    assert f"serves {second.name}</p>" in page and f"serves {first.name}</p>" not in page
