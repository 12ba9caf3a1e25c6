"""The three running modes, checked in fresh interpreters so each reads its own environment."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.DEBUG, "
    "s.CACHES['default']['BACKEND'].rsplit('.', 1)[-1])"
)
SECRET = "p" * 20 + "-production-secret-key-for-the-settings-test-0123456789"


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    base = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "CELERY_"))
    }
    base["DJANGO_SETTINGS_MODULE"] = "marketplace.settings"
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=60
    )


def test_settings_with_urls_use_postgres_and_redis():
    result = _run(
        ["-c", PROBE],
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/marketplace",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "False", "True", "RedisCache"]


def test_settings_production_refuses_to_start_without_secret_key():
    result = _run(["-c", PROBE], DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="shop.example.com")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_settings_production_refuses_the_published_placeholder_keys():
    import re

    compose = (ROOT / "docker-compose.yml").read_text()
    placeholder = re.search(r"DJANGO_SECRET_KEY:-([^}]+)}", compose).group(1)
    for key in (placeholder, "django-insecure-development-only-key-do-not-use-in-production"):
        result = _run(["-c", PROBE], DJANGO_DEBUG="0", DJANGO_SECRET_KEY=key, DJANGO_ALLOWED_HOSTS="shop.example.com")
        assert result.returncode != 0 and "published placeholder" in result.stderr, key


def test_settings_production_refuses_to_start_without_allowed_hosts():
    result = _run(["-c", PROBE], DJANGO_DEBUG="0", DJANGO_SECRET_KEY=SECRET)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_settings_production_passes_check_deploy():
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DATABASE_URL="postgres://postgres@db.invalid/marketplace",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS="shop.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_settings_production_refuses_to_start_without_database_url():
    """The embedded PostgreSQL is for development: production names its database (the system check, run by
    `check`, `migrate` and runserver, and the WSGI application refuse it), while collectstatic, which needs none,
    runs as the image build runs it."""
    production = {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": SECRET, "DJANGO_ALLOWED_HOSTS": "shop.example.com"}
    result = _run(["manage.py", "check"], **production)
    assert result.returncode != 0
    assert "needs DATABASE_URL" in result.stderr
    served = _run(["-c", "import marketplace.wsgi"], **production)
    assert served.returncode != 0 and "needs DATABASE_URL" in served.stderr


def test_collectstatic_runs_under_production_settings_without_a_database(tmp_path):
    result = _run(
        ["manage.py", "collectstatic", "--noinput"],
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS="shop.example.com",
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "static" / "staticfiles.json").exists()
