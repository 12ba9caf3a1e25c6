"""Statistics workers of their own: three real worker processes on the Redis broker take the statistics queue
(CELERY_QUEUES_PER_KIND=1), and the hourly full reconcile fans its vendor-id shards out over all of them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from marketplace.celery import app as celery_app
from portfolios.models import PartnerMembership, VendorStats
from portfolios.services.stats import vendor_id_shards
from portfolios.tasks import stats_reconcile_all_task
from tests.factories import UserFactory, VendorFactory
from tests.helpers import expected_vendor, stored_vendor

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 3
# Queues of this run only (CELERY_QUEUE_PREFIX), so nothing another run left on the broker reaches them.
PREFIX = f"t{os.getpid()}-"
STATISTICS_QUEUE = f"{PREFIX}statistics"
SHARD_LINE = re.compile(r"Task portfolios\.tasks\.stats_reconcile_shard_task\[[0-9a-f-]+\] succeeded")


def _wait_for(condition, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen within {timeout:.0f} s"
        time.sleep(0.1)


@pytest.fixture
def statistics_workers(transactional_db, tmp_path) -> Iterator[list[Path]]:
    """Three workers consuming only the statistics queue, as `celery -A marketplace worker -Q statistics` would
    on three machines; each writes its own log."""
    assert settings.REDIS_URL, "broker tests need REDIS_URL (make test sets it)"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_QUEUES_PER_KIND": "1",
        "CELERY_QUEUE_PREFIX": PREFIX,
        "MARKETPLACE_STATS_SHARD_SIZE": "1",  # one shard per vendor: many shards to share out
    }
    logs = [tmp_path / f"statistics{n}.log" for n in range(WORKERS)]
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "marketplace", "worker", "--pool=solo", "--loglevel=INFO"]
            + ["-n", f"statistics{n}-{os.getpid()}@%h", "-Q", STATISTICS_QUEUE, "--logfile", str(log)]
            + ["--without-gossip", "--without-mingle"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for n, log in enumerate(logs)
    ]
    try:

        def all_ready() -> bool:
            replies = celery_app.control.ping(timeout=0.5) or []
            names = {name for reply in replies for name in reply}
            return all(any(name.startswith(f"statistics{n}-{os.getpid()}@") for name in names) for n in range(WORKERS))

        _wait_for(all_ready, timeout=120, what="three statistics workers answering")
        yield logs
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()


def test_full_reconcile_shards_spread_over_statistics_workers_and_match_a_recount(statistics_workers):
    vendors = [VendorFactory() for _ in range(24)]
    consumers = [UserFactory(password=None) for _ in range(6)]
    now = timezone.now()
    PartnerMembership.objects.bulk_create(
        PartnerMembership(consumer=c, vendor=v, started_at=now) for v in vendors for c in consumers[: 1 + v.pk % 6]
    )
    celery_app.conf.task_always_eager = False
    # What beat sends every hour (routed to the statistics queue in a deployment with queues per kind).
    stats_reconcile_all_task.apply_async(queue=STATISTICS_QUEUE)

    def shard_lines() -> list[int]:
        return [len(SHARD_LINE.findall(log.read_text())) if log.exists() else 0 for log in statistics_workers]

    shards = len(vendor_id_shards(shard_size=1))
    _wait_for(lambda: sum(shard_lines()) >= shards, timeout=120, what="every shard finishing")
    assert sum(shard_lines()) == shards  # each shard run once
    assert sum(1 for count in shard_lines() if count) > 1, f"one worker ran every shard: {shard_lines()}"
    assert VendorStats.objects.count() == len(vendors)
    for vendor in vendors:
        assert stored_vendor(vendor) == expected_vendor(vendor)
