"""Fixtures shared by every test folder."""

from __future__ import annotations

import os

import pytest

from marketplace.celery import app as celery_app

from .factories import TEST_PASSWORD, CategoryFactory, ProductFactory, UserFactory, VendorFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


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
    from marketplace.shop.payments.fake import transport_set

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
    # One process serves the test client, so its memory may keep whole pages (marketplace/page_cache.py).
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


def browser_login(page, base_url: str, email: str, password: str = TEST_PASSWORD) -> None:
    """Sign in through the real login form."""
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email:").fill(email)
    page.get_by_label("Password:").fill(password)
    page.get_by_role("button", name="Sign In").click()


def start_celery_worker(queue: str, **env: str):  # type: ignore[no-untyped-def]
    """A real worker process on the Redis broker, consuming only `queue`, using the test database."""
    import subprocess
    import sys
    from pathlib import Path

    from django.db import connection

    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "marketplace",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "-n",
            f"{queue}@%h",
            "-Q",
            queue,
        ],
        cwd=Path(__file__).resolve().parent.parent,
        env={**os.environ, "DATABASE_URL": database_url, "CELERY_TASK_DEFAULT_QUEUE": queue, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.fixture
def screenshot(page, request):
    """Save a screenshot of a page under test-artifacts/ (not committed) for a person to look at."""
    from pathlib import Path

    folder = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = folder / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
