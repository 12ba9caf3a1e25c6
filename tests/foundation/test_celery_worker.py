"""A real task through a real worker process on the Redis broker."""

import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from marketplace.celery import app as celery_app
from marketplace.celery import ping
from tests.helpers import start_celery_worker

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker():
    if not settings.REDIS_URL:
        pytest.fail("The broker tests need REDIS_URL (make test sets it).")
    celery_app.conf.task_always_eager = False
    proc = start_celery_worker(f"test-{os.getpid()}")
    yield f"test-{os.getpid()}"
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.mark.broker
def test_celery_worker_runs_a_real_task_from_the_redis_broker(worker):
    result = ping.apply_async(queue=worker)
    # Earlier tests in this process can leave Celery's "inside a task" guard set; this test runs in no task.
    assert result.get(timeout=60, disable_sync_subtasks=False) == "pong"
