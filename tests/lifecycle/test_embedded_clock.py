"""The embedded mode keeps time: `make run`'s script (scripts/run_embedded.sh) serves the site and runs the
periodic jobs with no service at all, so a promotion published to start later starts, and reaches its
partners, on time.

The stack runs exactly as `make run` runs it, on a SQLite file of its own (no REDIS_URL: the embedded
broker, a folder) in a temporary directory; the test's own database is not involved.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.conftest import browser_login

from .embedded_probe import OWNER_EMAIL, PARTNER_EMAILS, PASSWORD

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
PROBE = str(Path(__file__).with_name("embedded_probe.py"))
# The promotion job runs every minute; here every CLOCK_TICK seconds (MARKETPLACE_PROMOTION_CLOCK_SECONDS), beat's
# first run coming one tick after it starts. The browser's promotion starts at the next whole minute.
CLOCK_TICK = 5
CLOCK_TIMEOUT = 100


@dataclass
class EmbeddedSite:
    url: str
    env: dict[str, str]
    folder: Path
    process: subprocess.Popen[str]

    def probe(self, *args: str, timeout: float = 60) -> dict[str, object]:
        result = subprocess.run(
            [PYTHON, PROBE, *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=timeout
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout.strip().splitlines()[-1])

    def worker_log(self) -> str:
        log = self.folder / "broker" / "worker.log"
        return log.read_text() if log.exists() else ""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _embedded_env(folder: Path) -> dict[str, str]:
    """The environment of `make run` (no DATABASE_URL pointing at a server, no REDIS_URL), with the SQLite
    file and the broker folder in `folder` and a clock that ticks every CLOCK_TICK seconds."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "CELERY_"))}
    env.update(
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        MARKETPLACE_BROKER_DIR=str(folder / "broker"),
        DJANGO_ALLOW_ASYNC_UNSAFE="true",
        PYTHONUNBUFFERED="1",
        MARKETPLACE_PROMOTION_CLOCK_SECONDS=str(CLOCK_TICK),
        # The probe's five partners are exactly K: with noise this weak the released audience is exactly five,
        # so publishing does not depend on the draw (the noise is tested in tests/privacy/test_calibration.py).
        MARKETPLACE_PRIVACY_EPSILON="50",
    )
    return env


def _wait_for_site(url: str, process: subprocess.Popen[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "scripts/run_embedded.sh exited early"
        try:
            with urllib.request.urlopen(f"{url}/health/", timeout=2) as response:  # noqa: S310 (local address)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"the site at {url} did not answer within {timeout} s")


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.fixture
def embedded_site(tmp_path: Path) -> Iterator[EmbeddedSite]:
    env = _embedded_env(tmp_path)
    migrate = subprocess.run(
        [PYTHON, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert migrate.returncode == 0, migrate.stderr
    port = _free_port()
    process = subprocess.Popen(
        # Without the autoreloader: other work in this tree must not restart the site under the test.
        ["bash", "scripts/run_embedded.sh", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env={**env, "BIN": str(Path(PYTHON).parent)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    site = EmbeddedSite(url=f"http://127.0.0.1:{port}", env=env, folder=tmp_path, process=process)
    try:
        _wait_for_site(site.url, process)
        yield site
    finally:
        # What Ctrl-C does to `make run`: the whole group is told to stop.
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def _worker_pid(site: EmbeddedSite) -> int:
    """The worker's pid, from the line the script prints when it starts it."""
    assert site.process.stdout is not None
    line = site.process.stdout.readline()
    assert line.startswith("Clock: Celery worker and beat running (pid "), line
    return int(line.split("(pid ", 1)[1].split(",", 1)[0])


@pytest.mark.broker
def test_make_run_clock_starts_a_scheduled_promotion_and_delivers_it(embedded_site: EmbeddedSite):
    worker_pid = _worker_pid(embedded_site)
    assert _alive(worker_pid)

    published = embedded_site.probe("publish", "5")
    assert published["state"] == "scheduled"

    seen = embedded_site.probe("wait", str(published["promotion_id"]), str(CLOCK_TIMEOUT), timeout=CLOCK_TIMEOUT + 30)
    assert seen["state"] == "running", (seen, embedded_site.worker_log())
    assert seen["delivered_to"] == sorted(PARTNER_EMAILS)
    log = embedded_site.worker_log()
    assert "promotions.tasks.promotion_states_advance_task" in log
    assert "'started': 1" in log

    # The worker stops with the site.
    os.killpg(embedded_site.process.pid, signal.SIGTERM)
    embedded_site.process.wait(timeout=30)
    deadline = time.monotonic() + 20
    while _alive(worker_pid) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not _alive(worker_pid)


@pytest.mark.browser
@pytest.mark.broker
def test_make_run_clock_in_browser_vendor_schedules_and_partner_sees_it(
    embedded_site: EmbeddedSite, browser, page: Page, screenshot
):
    embedded_site.probe("publish", "3600")  # the vendor, its partners, and a promotion for later
    base = embedded_site.url

    vendor = browser.new_page()
    browser_login(vendor, base, OWNER_EMAIL, PASSWORD)
    vendor.goto(f"{base}/sell/promotions/new/")
    vendor.get_by_label("Title").fill("Starts in a minute")
    vendor.get_by_label("Partners only").check()
    vendor.get_by_label("Discount:", exact=True).fill("12")
    start = timezone.localtime() + timedelta(minutes=1)
    vendor.get_by_label("Starts at:").fill(start.strftime("%Y-%m-%dT%H:%M"))
    vendor.get_by_label("Ends at:").fill((start + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"))
    vendor.get_by_role("button", name="Save draft and preview audience").click()
    vendor.get_by_role("button", name="Publish").click()
    expect(vendor.get_by_text("is scheduled", exact=False)).to_be_visible()

    # The partner's portfolio, in the page the screenshot shows.
    browser_login(page, base, PARTNER_EMAILS[0], PASSWORD)
    page.goto(f"{base}/portfolio/")
    expect(page.locator("body")).not_to_contain_text("Starts in a minute")
    deadline = time.monotonic() + CLOCK_TIMEOUT + 60
    while time.monotonic() < deadline:
        page.goto(f"{base}/portfolio/")
        if "Starts in a minute" in page.locator("body").inner_text():
            break
        time.sleep(5)
    expect(page.locator(".feed")).to_contain_text("Starts in a minute")
    screenshot("partner-feed-after-the-clock")
