"""Fixtures shared by every test folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from marketplace.celery import app as celery_app
from tests.factories import TEST_PASSWORD, CategoryFactory, ProductFactory, UserFactory, VendorFactory
from tests.helpers import CHROMIUM, CHROMIUM_ARGS, PROJECT_DIR, SITE

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Every process a test starts reads the run's database or says it wants the embedded one: one that dropped
# DATABASE_URL without meaning to fails (marketplace/settings.py) instead of leaving a stray embedded server.
# Tests of the embedded mode drop both (their environments leave out every DATABASE_URL* variable).
os.environ["DATABASE_URL_REQUIRED"] = "1"


@pytest.fixture(autouse=True)
def _celery_eager():
    """Tasks run in-process in tests, as in the embedded mode; broker tests switch this off themselves."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def fake_transport():
    """The fake payment provider posts its signed events through the test client to the real webhook endpoint
    (tests/payments.py); browser tests that want HTTP to the live server set their own."""
    from marketplace.shop.payments.fake_delivery import transport_set

    from .payments import ClientTransport

    transport = ClientTransport()
    previous = transport_set(transport)
    yield transport
    transport_set(previous)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Hashing test passwords with the production hasher costs a third of a second each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    """Each test starts with an empty cache of its own, so throttle counters never leak between tests."""
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
    # One process serves the test client, so its memory may keep whole pages (marketplace/kernel/page_cache.py).
    settings.MARKETPLACE = {**settings.MARKETPLACE, "PAGE_CACHE_IN_MEMORY": True}
    cache.clear()


@pytest.fixture
def reference_data(db):
    """Regions, interests and the Moderators group come from data migrations; a transactional test that ran
    before may have flushed them, so tests that need them ask for this."""
    import importlib

    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    importlib.import_module("marketplace.accounts.migrations.0002_reference_regions_interests").add_reference_data(
        apps, None
    )
    importlib.import_module("marketplace.accounts.migrations.0010_bilingual_names").add_chinese_names(apps, None)
    from django.contrib.auth.management import create_permissions

    create_permissions(apps.get_app_config("vendors"), verbosity=0)  # a flush without post_migrate drops them
    wanted = importlib.import_module("marketplace.accounts.migrations.0004_moderators_group").MODERATOR_PERMISSIONS
    group, _ = Group.objects.get_or_create(name="Moderators")
    for app_label, codename in wanted:
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return group


@pytest.fixture(autouse=True)
def _reference_data_for_database_tests(request):
    """Every database test starts with the data-migration rows, whatever test ran (and flushed) before it."""
    if request.node.get_closest_marker("django_db"):
        request.getfixturevalue("reference_data")


@pytest.fixture
def password() -> str:
    return TEST_PASSWORD


@pytest.fixture
def consumer(db):
    return UserFactory(email="shopper@test.example")


@pytest.fixture
def other_consumer(db):
    return UserFactory(email="other-shopper@test.example")


@pytest.fixture
def category(db):
    return CategoryFactory(name="Coffee", slug="coffee")


@pytest.fixture
def vendor(db, category):
    return VendorFactory(name="Bean There", slug="bean-there", category=category)


@pytest.fixture
def product(db, vendor):
    return ProductFactory(vendor=vendor, name="House Blend", stock=10)


@pytest.fixture
def consumer_client(client, consumer):
    client.force_login(consumer)
    return client


@pytest.fixture
def api(consumer) -> APIClient:
    """The consumer's API client (a folder or module may define its own `api` for another user)."""
    client = APIClient()
    client.force_authenticate(consumer)
    return client


@pytest.fixture
def moderator(reference_data):
    user = UserFactory(email="mod@test.example", is_staff=True)
    user.groups.add(reference_data)
    return user


@pytest.fixture
def site_url(settings) -> str:
    """The public address the links in e-mails point to (settings.SITE_URL), for the digest tests."""
    settings.SITE_URL = SITE
    return SITE


# --- Browser tests ----------------------------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def _patient_expectations():
    """A loaded CI machine can take more than Playwright's default 5 s to answer a click."""
    from playwright.sync_api import expect

    expect.set_options(timeout=20_000)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium: browsers cannot be downloaded here."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture
def screenshot(page, request):
    """Save a screenshot of a page under test-artifacts/ (not committed) for a person to look at."""
    folder = PROJECT_DIR / "test-artifacts" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = folder / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def embedded_dir():
    """A data folder for an embedded PostgreSQL of the test's own (MARKETPLACE_EMBEDDED_DIR), inside the project's
    .embedded/ rather than pytest's temporary folder: PostgreSQL runs as its own user when the tests run as root,
    and pytest closes its folder to other users again whenever another session starts. Whatever server the test
    leaves there is stopped afterwards and the folder removed."""
    import shutil
    import subprocess
    import sys
    import uuid
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    folder = root / ".embedded" / "tests" / uuid.uuid4().hex[:8]
    folder.mkdir(parents=True)
    yield folder
    subprocess.run(
        [sys.executable, "-m", "marketplace.embedded", "stop"],
        cwd=root,
        env={**os.environ, "MARKETPLACE_EMBEDDED_DIR": str(folder)},
        capture_output=True,
        timeout=120,
    )
    shutil.rmtree(folder, ignore_errors=True)


# --- Released figures (marketplace/kernel/privacy.py) ------------------------------------------------------


@pytest.fixture
def exact_release(settings):
    """Released figures without their noise, so a test of who counts, suppression, rounding and what each surface
    shows can expect exact rounded figures (noise is drawn per figure, vendor and data, and ids differ from run to
    run). Noise is on everywhere else, as in production; tests/privacy/test_calibration.py tests it."""
    settings.MARKETPLACE = {**settings.MARKETPLACE, "PRIVACY_EPSILON": None, "PRIVACY_AVERAGE_EPSILON": None}


def pytest_collection_modifyitems(items):
    """Every transactional test keeps the serialized reference rows: one that flushes without them (the
    contenttypes and permissions post_migrate writes back) makes the next serialized one fail at its setup
    with a duplicate content type, depending on the order tests run in. Refused here, at collection."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            raise pytest.UsageError(
                f"{item.nodeid}: a transactional test needs serialized_rollback=True (tests/conftest.py)."
            )
