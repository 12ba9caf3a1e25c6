"""Celery queues per kind (settings, "Scaling out"), read in fresh interpreters from their own environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TASKS = [
    "portfolios.tasks.stats_reconcile_shard_task",
    "portfolios.tasks.stats_refresh_dirty_task",
    "marketplace.shop.tasks.sales_stats_refresh_task",
    "marketplace.asks.tasks.ask_stats_refresh_task",
    "marketplace.asks.tasks.asks_clock_task",
    "promotions.tasks.promotion_digest_email_task",
    "marketplace.shop.tasks.order_confirmation_mail_task",
    "promotions.tasks.weekly_digest_task",
    "promotions.tasks.promotion_states_advance_task",
    "vendors.tasks.product_thumbnails_generate_task",
    "marketplace.ping",
]
PROBE = (
    "import json; from marketplace.celery import app; "
    f"print(json.dumps({{n: app.amqp.router.route({{}}, n)['queue'].name for n in {TASKS!r}}}))"
)


def _queues(**env: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_"))}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "marketplace.settings",
            # Named, never connected to: without it the settings would start the embedded PostgreSQL.
            "DATABASE_URL": "postgres://postgres@db.invalid/marketplace",
            "REDIS_URL": "redis://127.0.0.1:6379/4",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_each_kind_of_task_goes_to_its_own_queue():
    queues = _queues(CELERY_QUEUES_PER_KIND="1")
    assert queues == {
        "portfolios.tasks.stats_reconcile_shard_task": "statistics",
        "portfolios.tasks.stats_refresh_dirty_task": "statistics",
        "marketplace.shop.tasks.sales_stats_refresh_task": "statistics",
        "marketplace.asks.tasks.ask_stats_refresh_task": "statistics",
        "marketplace.asks.tasks.asks_clock_task": "default",
        "promotions.tasks.promotion_digest_email_task": "email",
        # a mail task is e-mail work wherever it lives
        "marketplace.shop.tasks.order_confirmation_mail_task": "email",
        "promotions.tasks.weekly_digest_task": "email",
        "promotions.tasks.promotion_states_advance_task": "default",
        "vendors.tasks.product_thumbnails_generate_task": "default",
        "marketplace.ping": "default",
    }


def test_queue_prefix_names_the_queues_apart():
    queues = _queues(CELERY_QUEUES_PER_KIND="1", CELERY_QUEUE_PREFIX="eu-")
    assert queues["portfolios.tasks.stats_reconcile_shard_task"] == "eu-statistics"
    assert queues["promotions.tasks.weekly_digest_task"] == "eu-email"
    assert queues["marketplace.ping"] == "eu-default"


def test_without_queues_per_kind_every_task_goes_to_the_one_default_queue():
    assert set(_queues().values()) == {"celery"}
