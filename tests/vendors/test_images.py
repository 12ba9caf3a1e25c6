"""Product images: whatever is uploaded, what is stored is an image Pillow drew again, under a name of ours
whose extension is the format written; images over the pixel limit are refused from their header."""

from __future__ import annotations

import io
import mimetypes
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageFile
from rest_framework.test import APIClient

from tests.factories import VendorFactory
from tests.helpers import (
    gif_javascript_polyglot,
    gif_then_html,
    image_bytes,
    jpeg_with_exif,
    png_bomb,
    png_with_html_chunk,
)
from vendors.models import Product
from vendors.services.catalogue import image_prepare

PRODUCT = {"name": "Mug", "price": "8.00", "stock": "3", "active": "on"}


@pytest.fixture
def shop():
    return VendorFactory(name="Image Shop")


@pytest.fixture
def owner_client(client, shop):
    client.force_login(shop.owner)
    return client


@pytest.fixture
def api(shop) -> APIClient:
    client = APIClient()
    client.force_authenticate(shop.owner)
    return client


def _stored(product: Product) -> bytes:
    with product.image.open("rb") as stored:
        return stored.read()


def _media_files(settings) -> list[Path]:  # type: ignore[no-untyped-def]
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def _upload_on_page(owner_client, name: str, data: bytes, content_type: str):  # type: ignore[no-untyped-def]
    image = SimpleUploadedFile(name, data, content_type=content_type)
    return owner_client.post(reverse("sell:product-create"), {**PRODUCT, "image": image})


@pytest.mark.django_db
@pytest.mark.parametrize("polyglot", [gif_then_html, png_with_html_chunk], ids=["gif-then-html", "png-html-chunk"])
def test_product_image_html_polyglot_named_page_html_is_stored_as_a_redrawn_png(owner_client, shop, polyglot):
    response = _upload_on_page(owner_client, "page.html", polyglot(), "text/html")

    assert response.status_code == 302
    product = Product.objects.get(vendor=shop)
    assert product.image.name.endswith(".png") and "page" not in product.image.name
    assert mimetypes.guess_type(product.image.name)[0] == "image/png"
    stored = _stored(product)
    assert stored.startswith(b"\x89PNG\r\n\x1a\n")
    assert b"<html" not in stored.lower() and b"<script" not in stored.lower()
    assert Image.open(io.BytesIO(stored)).format == "PNG"


@pytest.mark.django_db
def test_product_image_javascript_polyglot_is_stored_as_a_redrawn_png_through_the_api(api, shop):
    polyglot = SimpleUploadedFile("evil.js", gif_javascript_polyglot(), content_type="text/javascript")
    response = api.post("/api/v1/sell/products/", {**PRODUCT, "active": True, "image": polyglot}, format="multipart")

    assert response.status_code == 201, response.json()
    product = Product.objects.get(vendor=shop)
    assert response.json()["image"].endswith(product.image.name) and product.image.name.endswith(".png")
    stored = _stored(product)
    assert not stored.startswith(b"GIF") and b"alert(" not in stored
    assert Image.open(io.BytesIO(stored)).format == "PNG"


@pytest.mark.django_db
@pytest.mark.parametrize("side", [20000, 10000], ids=["400-megapixels", "100-megapixels"])
def test_product_image_over_the_pixel_limit_answers_400_on_the_image_field_through_the_api(api, shop, settings, side):
    bomb = SimpleUploadedFile("huge.png", png_bomb(side, side), content_type="image/png")
    response = api.post("/api/v1/sell/products/", {**PRODUCT, "active": True, "image": bomb}, format="multipart")

    assert response.status_code == 400
    assert "25 megapixels" in " ".join(response.json()["image"])
    assert not Product.objects.exists() and _media_files(settings) == []


@pytest.mark.django_db
@pytest.mark.parametrize("side", [20000, 10000], ids=["400-megapixels", "100-megapixels"])
def test_product_image_over_the_pixel_limit_shows_a_form_error_and_saves_nothing(owner_client, settings, side):
    response = _upload_on_page(owner_client, "huge.png", png_bomb(side, side), "image/png")

    assert response.status_code == 400
    assert "at most 25 megapixels are accepted" in response.content.decode()
    assert not Product.objects.exists() and _media_files(settings) == []


@pytest.mark.django_db
def test_product_image_pixel_limit_is_checked_from_the_header_before_any_decoding(owner_client, monkeypatch):
    # 36 megapixels: over the limit, under the twice-the-limit at which Pillow itself refuses to open it.
    upload = png_bomb(6000, 6000)

    def no_decoding(self):  # type: ignore[no-untyped-def]
        raise AssertionError("the pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    response = _upload_on_page(owner_client, "big.png", upload, "image/png")

    assert response.status_code == 400
    assert "The image is 6000 × 6000 pixels; at most 25 megapixels are accepted" in response.content.decode()
    assert not Product.objects.exists()


@pytest.mark.django_db
def test_product_image_jpeg_is_stored_upright_without_its_exif(owner_client, shop):
    upload = jpeg_with_exif(size=(40, 20), orientation=6)
    assert b"SnoopCam" in upload

    response = _upload_on_page(owner_client, "holiday.jpg", upload, "image/jpeg")

    assert response.status_code == 302
    product = Product.objects.get(vendor=shop)
    assert product.image.name.endswith(".jpg") and "holiday" not in product.image.name
    stored = _stored(product)
    picture = Image.open(io.BytesIO(stored))
    assert picture.format == "JPEG" and picture.size == (20, 40)  # turned as the orientation said
    assert dict(picture.getexif()) == {} and b"Exif" not in stored and b"SnoopCam" not in stored


@pytest.mark.django_db
def test_product_image_large_photo_is_stored_scaled_down_to_2000_pixels(owner_client, shop):
    response = _upload_on_page(owner_client, "wide.jpg", image_bytes("RGB", (3000, 1500), "JPEG", "teal"), "image/jpeg")

    assert response.status_code == 302
    assert Image.open(io.BytesIO(_stored(Product.objects.get(vendor=shop)))).size == (2000, 1000)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("mode", "upload_format", "stored_format", "stored_mode"),
    [("RGBA", "WEBP", "PNG", "RGBA"), ("RGB", "WEBP", "JPEG", "RGB"), ("P", "GIF", "PNG", "RGB")],
)
def test_product_image_keeps_transparency_as_png_and_stores_photos_as_jpeg(
    owner_client, shop, mode, upload_format, stored_format, stored_mode
):
    colour = (10, 20, 30, 0) if mode == "RGBA" else 5 if mode == "P" else (10, 20, 30)
    response = _upload_on_page(owner_client, "pic.img", image_bytes(mode, (30, 30), upload_format, colour), "image/x")

    assert response.status_code == 302
    product = Product.objects.get(vendor=shop)
    picture = Image.open(io.BytesIO(_stored(product)))
    assert (picture.format, picture.mode) == (stored_format, stored_mode)
    assert product.image.name.endswith(".png" if stored_format == "PNG" else ".jpg")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [b"<html><script>alert(1)</script></html>", b"GIF89a", image_bytes("RGB", (300, 300), "PNG", "red")[:200]],
    ids=["html", "gif-header-only", "truncated-png"],
)
def test_product_image_that_is_no_readable_image_is_refused_on_the_field(api, settings, data):
    upload = SimpleUploadedFile("x.png", data, content_type="image/png")
    response = api.post("/api/v1/sell/products/", {**PRODUCT, "active": True, "image": upload}, format="multipart")

    assert response.status_code == 400
    assert response.json()["image"] == ["Upload a JPEG, PNG, GIF or WebP image."]
    assert not Product.objects.exists() and _media_files(settings) == []


@pytest.mark.django_db
def test_product_image_replaced_through_the_api_is_redrawn_too(api, shop):
    created = api.post("/api/v1/sell/products/", {**PRODUCT, "active": True}, format="multipart")
    assert created.status_code == 201 and created.json()["image"] is None

    upload = SimpleUploadedFile("page.html", gif_then_html(), content_type="text/html")
    response = api.patch(f"/api/v1/sell/products/{created.json()['id']}/", {"image": upload}, format="multipart")

    assert response.status_code == 200
    product = Product.objects.get(vendor=shop)
    assert product.image.name.endswith(".png") and b"<html" not in _stored(product)


def test_image_prepare_refuses_on_the_field_it_is_given_for_a_logo():
    bomb = SimpleUploadedFile("logo.png", png_bomb(10000, 10000), content_type="image/png")

    with pytest.raises(ValidationError) as refused:
        image_prepare(image=bomb, field="logo")

    assert list(refused.value.message_dict) == ["logo"]
    logo = image_prepare(image=SimpleUploadedFile("logo.html", gif_then_html()), field="logo")
    assert logo is not None and logo.name.endswith(".png") and b"<html" not in logo.read()
