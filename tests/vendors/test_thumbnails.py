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


@pytest.fixture
def sorl_asked(monkeypatch) -> list[str]:
    """Every thumbnail a page asks sorl-thumbnail for (a key-value lookup each, a decode when it is missing)."""
    from sorl.thumbnail.base import ThumbnailBackend

    asked: list[str] = []
    original = ThumbnailBackend.get_thumbnail

    def counting(self, file_, geometry_string, **options):  # type: ignore[no-untyped-def]
        asked.append(f"{file_} {geometry_string}")
        return original(self, file_, geometry_string, **options)

    monkeypatch.setattr(ThumbnailBackend, "get_thumbnail", counting)
    return asked


@pytest.mark.django_db
def test_the_task_stores_each_thumbnail_on_the_product_and_the_shop_pages_read_them_without_asking_sorl(
    owner_client, shop, client, sorl_asked, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert _create_with_image(owner_client).status_code == 302
    product = Product.objects.get(vendor=shop)
    assert set(product.thumbnails) == {size for size, _options in PRODUCT_THUMBNAILS}
    name, width, height = product.thumbnails["240x180"]
    assert (width, height) == (240, 180) and name.startswith("cache/")
    sorl_asked.clear()

    vendor_page = client.get(reverse("shop:vendor-detail", kwargs={"slug": shop.slug})).content.decode()
    product_page = client.get(reverse("shop:product-detail", kwargs={"pk": product.pk})).content.decode()

    assert f'src="/media/{name}" width="240" height="180"' in vendor_page
    big, _w, _h = product.thumbnails["480x360"]
    assert f'src="/media/{big}"' in product_page
    assert sorl_asked == []


@pytest.mark.django_db
def test_a_product_whose_thumbnails_are_not_stored_yet_is_drawn_by_sorl(owner_client, shop, client, sorl_asked):
    # The control for the test above: before the task runs, the page asks sorl-thumbnail (and still shows it).
    assert _create_with_image(owner_client).status_code == 302
    product = Product.objects.get(vendor=shop)
    assert product.thumbnails == {}

    page = client.get(reverse("shop:vendor-detail", kwargs={"slug": shop.slug})).content.decode()

    assert sorl_asked == [f"{product.image.name} 240x180"]
    assert '<img class="product-picture" src="/media/cache/' in page


@pytest.mark.django_db
def test_a_new_image_drops_the_old_images_thumbnails_until_its_own_are_made(
    owner_client, shop, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert _create_with_image(owner_client).status_code == 302
    product = Product.objects.get(vendor=shop)
    old = product.thumbnails["240x180"][0]
    image = SimpleUploadedFile("new.png", image_bytes("RGB", (640, 480), "PNG", "blue"), content_type="image/png")
    data = {"name": "Mug", "price": "8.00", "stock": "3", "active": "on", "image": image}
    url = reverse("sell:product-edit", kwargs={"pk": product.pk})

    assert owner_client.post(url, data).status_code == 302  # the task has not run: nothing stored
    product.refresh_from_db()
    assert product.thumbnails == {}
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            owner_client.post(
                url,
                {
                    **data,
                    "image": SimpleUploadedFile(
                        "new2.png", image_bytes("RGB", (640, 480), "PNG", "green"), content_type="image/png"
                    ),
                },
            ).status_code
            == 302
        )
    product.refresh_from_db()
    assert product.thumbnails["240x180"][0] not in ("", old)


@pytest.mark.django_db
def test_a_new_logo_has_its_thumbnails_stored_and_the_vendor_page_shows_them(
    owner_client, shop, client, sorl_asked, django_capture_on_commit_callbacks
):
    from vendors.services.application import vendor_profile_update

    shop.status = shop.Status.APPROVED
    shop.save(update_fields=["status"])
    logo = SimpleUploadedFile("logo.png", image_bytes("RGB", (300, 300), "PNG", "red"), content_type="image/png")
    with django_capture_on_commit_callbacks(execute=True):
        vendor_profile_update(owner=shop.owner, logo=logo)
    shop.refresh_from_db()
    name, width, height = shop.logo_thumbnails["96x96"]
    sorl_asked.clear()

    page = client.get(reverse("shop:vendor-detail", kwargs={"slug": shop.slug})).content.decode()

    assert f'src="/media/{name}" width="{width}" height="{height}" alt="Thumb Shop logo"' in page
    assert sorl_asked == []
