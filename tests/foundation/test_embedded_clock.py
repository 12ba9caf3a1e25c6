"""The embedded mode keeps time: `make run`'s script (scripts/run_embedded.sh) serves the site and runs the
periodic jobs with no service at all, so a promotion published to start later starts, and reaches its
partners, on time.

The stack runs exactly as `make run` runs it (`python -m marketplace.embedded run -- scripts/run_embedded.sh`):
an embedded PostgreSQL of its own started from the wheel in a temporary folder (no DATABASE_URL, no REDIS_URL:
the embedded broker, a folder), stopped when the site stops; the test's own database is not involved.
"""

from __future__ import annotations

import json
import os
import signal
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

from tests.foundation.embedded_probe import OWNER_EMAIL, PARTNER_EMAILS, PASSWORD
from tests.helpers import browser_login, free_port

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
PROBE = str(Path(__file__).with_name("embedded_probe.py"))
# The promotion job runs every minute; here every CLOCK_TICK seconds (MARKETPLACE_PROMOTION_CLOCK_SECONDS), beat's
# first run coming one tick after it starts. The browser's promotion starts 30 to 90 s ahead.
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


def _embedded_env(folder: Path) -> dict[str, str]:
    """The environment of `make run` (no DATABASE_URL, no REDIS_URL), with the embedded PostgreSQL's data and
    the broker folder in `folder`, no demo data, and a clock that ticks every CLOCK_TICK seconds."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "CELERY_"))}
    env.update(
        MARKETPLACE_EMBEDDED_DIR=str(folder),
        MARKETPLACE_EMBEDDED_FAST="1",
        SEED_DEMO="0",
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
def embedded_site(embedded_dir: Path) -> Iterator[EmbeddedSite]:
    env = _embedded_env(embedded_dir)
    port = free_port()
    process = subprocess.Popen(
        # As `make run` (Makefile), without the autoreloader: other work in this tree must not restart the site.
        [PYTHON, "-m", "marketplace.embedded", "run", "--", "bash", "scripts/run_embedded.sh", f"127.0.0.1:{port}",
         "--noreload"],
        cwd=ROOT,
        env={**env, "BIN": str(Path(PYTHON).parent)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    site = EmbeddedSite(url=f"http://127.0.0.1:{port}", env=env, folder=embedded_dir, process=process)
    try:
        _wait_for_site(site.url, process, timeout=180)
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
    seen = []
    for line in site.process.stdout:  # after the database's and the migrations' lines
        seen.append(line)
        if line.startswith("Clock: Celery worker and beat running (pid "):
            return int(line.split("(pid ", 1)[1].split(",", 1)[0])
    raise AssertionError("".join(seen[-20:]))


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

    # The worker and the embedded PostgreSQL stop with the site.
    pgdata = embedded_site.folder / "postgres"
    server_pid = int((pgdata / "postmaster.pid").read_text().split()[0])
    assert _alive(server_pid)
    os.killpg(embedded_site.process.pid, signal.SIGTERM)
    embedded_site.process.wait(timeout=60)
    deadline = time.monotonic() + 20
    while (_alive(worker_pid) or _alive(server_pid)) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not _alive(worker_pid)
    assert not _alive(server_pid), embedded_site.process.stdout.read()[-3000:]
    assert not (pgdata / "postmaster.pid").exists()


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
    # The form takes whole minutes, so the start is 30 to 90 s ahead, never a few seconds (a minute from now,
    # cut to its minute, could start before the partner's first look below).
    start = timezone.localtime() + timedelta(seconds=90)
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
