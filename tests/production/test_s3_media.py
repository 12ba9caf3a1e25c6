"""Media on an S3-compatible store: the settings switch to django-storages' S3 backend when a bucket is named,
and a product image saved through the model is fetched back over HTTP from the URL the storage hands out."""

from __future__ import annotations

import runpy
from collections.abc import Iterator

import boto3
import pytest
import requests
from django.core.files.base import ContentFile
from moto.server import ThreadedMotoServer

from tests.factories import ProductFactory
from tests.helpers import PROJECT_DIR, free_port, png_bytes

pytestmark = pytest.mark.production

BUCKET = "marketplace-media-test"
S3_VARIABLES = [
    "DJANGO_MEDIA_S3_BUCKET",
    "AWS_S3_ENDPOINT_URL",
    "AWS_S3_REGION_NAME",
    "AWS_S3_CUSTOM_DOMAIN",
    "AWS_S3_URL_PROTOCOL",
    "AWS_QUERYSTRING_AUTH",
]


def _storages_from_settings(monkeypatch, **env: str) -> dict:
    """STORAGES as marketplace/settings.py builds it from this environment (the module run afresh)."""
    for name in S3_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(PROJECT_DIR / "marketplace" / "settings.py"))["STORAGES"]


@pytest.fixture
def s3_endpoint(monkeypatch) -> Iterator[str]:
    """moto's S3 in server mode on a free port, with an empty bucket."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    try:
        boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(Bucket=BUCKET)
        yield endpoint
    finally:
        server.stop()


def test_media_storage_without_bucket_is_the_file_system(monkeypatch):
    storages = _storages_from_settings(monkeypatch)
    assert storages["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_media_storage_custom_domain_gives_unsigned_public_urls(monkeypatch, settings):
    settings.STORAGES = _storages_from_settings(
        monkeypatch,
        DJANGO_MEDIA_S3_BUCKET=BUCKET,
        AWS_S3_ENDPOINT_URL="http://minio:9000",
        AWS_S3_CUSTOM_DOMAIN="localhost:9000/marketplace-media",
        AWS_S3_URL_PROTOCOL="http:",
    )
    from django.core.files.storage import default_storage

    assert default_storage.url("products/a.png") == "http://localhost:9000/marketplace-media/products/a.png"


@pytest.mark.django_db
def test_media_on_s3_product_image_is_fetched_back_from_the_store(monkeypatch, settings, s3_endpoint):
    settings.STORAGES = _storages_from_settings(
        monkeypatch, DJANGO_MEDIA_S3_BUCKET=BUCKET, AWS_S3_ENDPOINT_URL=s3_endpoint, AWS_S3_REGION_NAME="us-east-1"
    )
    assert settings.STORAGES["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    image = png_bytes("orange")

    first = ProductFactory(image=ContentFile(image, name="crate.png"))
    second = ProductFactory(image=ContentFile(png_bytes("navy"), name="crate.png"))

    assert first.image.name != second.image.name  # a second upload of the same name does not replace it
    url = first.image.url
    assert url.startswith(f"{s3_endpoint}/{BUCKET}/products/")
    response = requests.get(url, timeout=30)
    assert response.status_code == 200
    assert response.content == image
    assert response.headers["Content-Type"] == "image/png"
    assert not (settings.MEDIA_ROOT / first.image.name).exists()
