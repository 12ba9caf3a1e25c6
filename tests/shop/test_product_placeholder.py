"""A product without a picture (a CSV import has no image column) shows a placeholder picture in the box a
thumbnail would take, in search, on vendor pages and on its own page: not a grey box as wide as the page."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.staticfiles import finders

from marketplace.shop.templatetags.pictures import picture_box
from tests.factories import ProductFactory
from vendors.services.catalogue_csv import catalogue_import_csv


def _placeholder(html: str) -> list[str]:
    return re.findall(r'<img class="product-picture placeholder"[^>]*>', html)


@pytest.mark.django_db
def test_a_csv_imported_product_shows_a_placeholder_of_the_thumbnail_size(client, vendor):
    csv = "name,price,stock,description\nWalnut bread,4.20,10,Baked with walnuts from Kent\n"
    result = catalogue_import_csv(vendor=vendor, file=io.StringIO(csv))
    assert result.created == 1
    product = vendor.products.get(name="Walnut bread")
    assert not product.image

    search = client.get("/search/", {"q": "walnut"}).content.decode()
    (img,) = _placeholder(search)
    assert 'width="160" height="120"' in img and "/static/img/no-picture.svg" in img
    detail = client.get(product.get_absolute_url()).content.decode()
    (img,) = _placeholder(detail)
    assert 'width="480" height="360"' in img
    # The picture is one of the site's static files (collectstatic picks it up)
    assert finders.find("img/no-picture.svg")


@pytest.mark.django_db
def test_a_product_with_a_picture_shows_it_not_the_placeholder(client, vendor):
    product = ProductFactory(vendor=vendor, name="Pictured loaf", image="demo/x.jpg")
    # A stored name whose file is missing still renders (sorl gives its own placeholder), never the no-picture one.
    html = client.get(product.get_absolute_url()).content.decode()
    assert not _placeholder(html)


def test_picture_box_reads_the_geometry_and_falls_back_to_the_card_size():
    assert picture_box("160x120") == (160, 120)
    assert picture_box("48x48") == (48, 48)
    assert picture_box("") == (240, 180) and picture_box("wide") == (240, 180) and picture_box(None) == (240, 180)
