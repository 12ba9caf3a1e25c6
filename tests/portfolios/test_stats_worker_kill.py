"""A real worker on the Redis broker, killed in the middle of a full reconcile: a rerun converges."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from marketplace.celery import app as celery_app
from portfolios.models import PartnerMembership, VendorStats
from portfolios.tasks import stats_reconcile_all_task
from tests.factories import UserFactory, VendorFactory
from tests.helpers import expected_vendor, start_celery_worker, stored_vendor

ROOT = Path(__file__).resolve().parents[2]


def _start_worker(queue: str) -> subprocess.Popen[bytes]:
    return start_celery_worker(queue, MARKETPLACE_STATS_SHARD_SIZE="1")


def _wait_for(condition, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.broker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_stats_reconcile_converges_after_worker_killed_midway():
    assert settings.REDIS_URL, "broker tests need REDIS_URL (make test sets it)"
    vendors = [VendorFactory() for _ in range(60)]
    consumers = [UserFactory() for _ in range(8)]
    now = timezone.now()
    PartnerMembership.objects.bulk_create(
        PartnerMembership(consumer=c, vendor=v, started_at=now) for v in vendors for c in consumers[: 1 + v.pk % 8]
    )
    queue = f"stats-test-{os.getpid()}"
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    try:
        worker = _start_worker(queue)
        stats_reconcile_all_task.apply_async(queue=queue)
        assert _wait_for(lambda: VendorStats.objects.count() >= 3), "the worker never started the reconcile"
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
        done_when_killed = VendorStats.objects.count()

        # Clear what the killed run queued but never ran, then run the reconcile again with a new worker.
        celery_app.control.purge()
        worker = _start_worker(queue)
        stats_reconcile_all_task.apply_async(queue=queue)
        assert _wait_for(
            lambda: (
                VendorStats.objects.count() == len(vendors)
                and all(stored_vendor(v) == expected_vendor(v) for v in vendors[-3:])
            )
        )
        worker.terminate()
        worker.wait(timeout=30)
    finally:
        celery_app.conf.task_default_queue = "celery"
    assert done_when_killed < len(vendors)  # it really died in the middle
    for vendor in vendors:
        assert stored_vendor(vendor) == expected_vendor(vendor)
