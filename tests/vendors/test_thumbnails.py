"""Thumbnails are made off the request: after an upload commits, a Celery task makes every size the templates
use, so the catalogue page decodes no image."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from sorl.thumbnail.engines.pil_engine import Engine

from tests.factories import VendorFactory
from tests.helpers import image_bytes
from vendors.models import Product
from vendors.services.catalogue import PRODUCT_THUMBNAILS
from vendors.tasks import product_thumbnails_generate_task


@pytest.fixture
def shop():
    return VendorFactory(name="Thumb Shop")


@pytest.fixture
def owner_client(client, shop):
    client.force_login(shop.owner)
    return client


@pytest.fixture
def decodes(monkeypatch) -> list[str]:
    """Every source image sorl-thumbnail opens to make a thumbnail, by name."""
    opened: list[str] = []
    original = Engine.get_image

    def counting(self, source):  # type: ignore[no-untyped-def]
        opened.append(source.name)
        return original(self, source)

    monkeypatch.setattr(Engine, "get_image", counting)
    return opened


def _create_with_image(owner_client):  # type: ignore[no-untyped-def]
    image = SimpleUploadedFile("mug.jpg", image_bytes("RGB", (800, 600), "JPEG", "orange"), content_type="image/jpeg")
    data = {"name": "Mug", "price": "8.00", "stock": "3", "active": "on", "image": image}
    return owner_client.post(reverse("sell:product-create"), data)


@pytest.mark.django_db
def test_product_thumbnails_are_made_after_commit_so_the_catalogue_page_decodes_nothing(
    owner_client, shop, decodes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert _create_with_image(owner_client).status_code == 302
    product = Product.objects.get(vendor=shop)
    made = [product.image.name] * len(PRODUCT_THUMBNAILS)
    assert decodes == made  # each size made once, by the task

    page = owner_client.get(reverse("sell:product-list")).content.decode()

    assert decodes == made
    assert '<img src="/media/cache/' in page


@pytest.mark.django_db
def test_product_without_its_thumbnail_task_would_be_decoded_by_the_page(owner_client, shop, decodes):
    # The control for the test above: without the after-commit task, the page itself makes the thumbnail.
    assert _create_with_image(owner_client).status_code == 302
    assert decodes == []

    owner_client.get(reverse("sell:product-list"))

    assert decodes == [Product.objects.get(vendor=shop).image.name]


@pytest.mark.django_db
def test_product_thumbnails_task_run_twice_makes_each_thumbnail_once(owner_client, shop, decodes):
    assert _create_with_image(owner_client).status_code == 302
    product = Product.objects.get(vendor=shop)

    sizes = len(PRODUCT_THUMBNAILS)
    assert product_thumbnails_generate_task.delay(product.pk).get() == sizes
    assert product_thumbnails_generate_task.delay(product.pk).get() == sizes

    assert decodes == [product.image.name] * sizes
