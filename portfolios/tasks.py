"""Celery tasks of the statistics pipeline: each takes ids, calls one service, nothing else.

All are idempotent (recompute, never count up), so acks_late redelivery after a killed worker is safe.
"""

from __future__ import annotations

from datetime import date

from celery import group, shared_task
from django.db import InterfaceError, OperationalError

from marketplace.kernel.caching import counters
from marketplace.kernel.enqueue import enqueue_safely

from .services import flags, stats

RETRY = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 2,
    "retry_backoff_max": 120,
    "max_retries": 8,
    "soft_time_limit": 900,
    "time_limit": 960,
}
# Set while a dirty-vendor refresh is queued: further changes mark their vendor and ride along with it.
REFRESH_QUEUED = "stats-refresh-dirty-queued"  # a counters flag
# Dirty vendors refreshed per transaction: 2000 take about a second and lock their marks that long.
DIRTY_BATCH = 2000


@shared_task(name="portfolios.tasks.stats_refresh_dirty_task", **RETRY)
def stats_refresh_dirty_task() -> int:
    """Refresh every vendor marked dirty (collapses piled-up refreshes of the same vendor into one).

    Batches of DIRTY_BATCH until a batch comes back short: the marks were all taken. A vendor marked again
    meanwhile is refreshed by the task its change enqueued (the debounce key is cleared first)."""
    counters.forget(REFRESH_QUEUED)
    total = 0
    while True:
        refreshed = stats.stats_refresh_dirty(limit=DIRTY_BATCH)
        total += len(refreshed)
        if len(refreshed) < DIRTY_BATCH:
            return total


@shared_task(name="portfolios.tasks.stats_reconcile_shard_task", **RETRY)
def stats_reconcile_shard_task(low: int, high: int, since_day: str | None = None) -> None:
    """Recompute the statistics of the vendors with ids in [low, high] (daily rows from `since_day`, ISO)."""
    stats.stats_reconcile_shard(low=low, high=high, since_day=date.fromisoformat(since_day) if since_day else None)


@shared_task(name="portfolios.tasks.stats_refresh_marketplace_task", **RETRY)
def stats_refresh_marketplace_task() -> None:
    """Recompute the marketplace-wide baselines and category figures."""
    stats.stats_refresh_marketplace()


@shared_task(name="portfolios.tasks.stats_reconcile_all_task", **RETRY)
def stats_reconcile_all_task() -> int:
    """Full reconcile: one task per vendor-id shard plus the marketplace tables, as a Celery group that
    workers on several machines share. Returns the number of shards."""
    reconcile_group().apply_async()
    return len(stats.vendor_id_shards())


@shared_task(name="portfolios.tasks.vendor_flags_scan_task")
def vendor_flags_scan_task() -> dict[str, int]:
    """Raise and clear early-warning flags (beat runs it every 15 minutes). Idempotent: safe to run twice."""
    return flags.vendor_flags_scan()


def reconcile_group() -> group:
    """The full reconcile as a Celery group: the marketplace tables, plus a task per vendor-id shard.

    The marketplace task (about as long as a shard: it reads every current membership for the category
    holders) goes first, so it runs beside the shards instead of after them while the other workers wait."""
    checkpoint = stats.daily_checkpoint()
    since = checkpoint.isoformat() if checkpoint else None
    return group(
        [stats_refresh_marketplace_task.si()]
        + [stats_reconcile_shard_task.si(low, high, since) for low, high in stats.vendor_id_shards()]
    )


def stats_refresh_dirty_enqueue() -> None:
    """Queue one dirty-vendor refresh unless one is already queued (called after commit). Never raises.

    The changed vendors are already marked dirty in the database, inside the change's own transaction, so
    this only makes the refresh prompt. With Redis down the debounce key lives in this process's memory
    (marketplace.kernel.caching.backend) and the broker failure is logged and dropped (marketplace.kernel.enqueue): the
    marks stay, and beat's stats_refresh_dirty_task (every 30 s) or the hourly reconcile refreshes those vendors.
    """
    if counters.claim(REFRESH_QUEUED, timeout=30) and not enqueue_safely(stats_refresh_dirty_task):
        counters.forget(REFRESH_QUEUED)  # nothing is queued: the next change may try again
