"""The project under gunicorn with the production settings answers its pages, static files and media."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from urllib.parse import urljoin

import pytest
import requests
from django.core.files.base import ContentFile

from tests.factories import ProductFactory, VendorFactory
from tests.helpers import PROJECT_DIR, database_url_of_test_run, free_port, png_bytes, production_env

pytestmark = [pytest.mark.production, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# What the TLS-terminating proxy in front of gunicorn adds (SECURE_PROXY_SSL_HEADER).
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


@pytest.fixture
def gunicorn_url(transactional_db, production_static_root, settings, tmp_path) -> Iterator[str]:
    port = free_port()
    log = (tmp_path / "gunicorn.log").open("w")
    env = production_env(
        DATABASE_URL=database_url_of_test_run(),
        DJANGO_CONN_MAX_AGE="0",  # no connection left open when the test database is flushed
        DJANGO_STATIC_ROOT=str(production_static_root),
        DJANGO_MEDIA_ROOT=str(settings.MEDIA_ROOT),
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "marketplace.wsgi:application", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", "2", "--timeout", "60", "--error-logfile", "-"],
        cwd=PROJECT_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()
            try:
                requests.get(f"{url}/health/", headers=PROXY_HEADERS, timeout=5)
                break
            except (requests.ConnectionError, requests.Timeout):  # not listening yet, or its first answer is slow
                assert time.monotonic() < deadline, "gunicorn did not answer within 60 s"
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def test_gunicorn_production_serves_pages_static_files_and_media(gunicorn_url, settings):
    vendor = VendorFactory(name="Harbour Roastery", slug="harbour-roastery")
    image = png_bytes()
    product = ProductFactory(vendor=vendor, name="Quayside Espresso", image=ContentFile(image, name="quayside.png"))
    session = requests.Session()
    session.headers.update(PROXY_HEADERS)

    def get(path: str) -> requests.Response:
        response = session.get(urljoin(gunicorn_url, path), timeout=30)
        assert response.status_code == 200, f"{path}: {response.status_code} {response.text[:500]}"
        return response

    home = get("/")
    assert "Harbour Roastery" in get("/vendors/").text
    vendor_page = get(f"/vendors/{vendor.slug}/").text
    assert "Harbour Roastery" in vendor_page and "Quayside Espresso" in vendor_page
    assert "Quayside Espresso" in get("/search/?q=quayside").text
    assert 'name="password"' in get("/accounts/login/").text
    assert "swagger" in get("/api/docs/").text.lower()

    stylesheet = re.search(r'href="([^"]*/css/site\.[0-9a-f]{12}\.css)"', home.text)
    assert stylesheet, "the home page does not link the hashed stylesheet of the manifest"
    css = get(stylesheet.group(1))
    assert css.headers["Content-Type"].startswith("text/css")
    assert "immutable" in css.headers["Cache-Control"]
    icon = get("/favicon.ico")  # at the root, where browsers ask for it, under production settings too
    assert icon.content[:4] == b"\x00\x00\x01\x00" and '<link rel="icon" href="/favicon.ico"' in home.text
    assert "Privacy" in get("/privacy/").text

    media = get(product.image.url)
    assert media.content == image
    assert media.headers["Content-Type"] == "image/png"
    assert media.headers["X-Content-Type-Options"] == "nosniff"
    (settings.MEDIA_ROOT / "products" / "page.html").write_text("<script>alert(1)</script>")
    assert session.get(urljoin(gunicorn_url, "/media/products/page.html"), timeout=30).status_code == 404

    health = session.get(urljoin(gunicorn_url, "/health/"), timeout=30)
    assert health.status_code == 200 and health.json()["database"] == "ok"
