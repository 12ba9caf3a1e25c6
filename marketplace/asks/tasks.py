"""The asks' Celery tasks: the clock, run by beat every minute ("asks-clock" in settings.CELERY_BEAT_SCHEDULE),
and the vendors' ask figures, refreshed after a change and reconciled hourly ("ask-stats-reconcile")."""

from __future__ import annotations

from celery import group, shared_task

from marketplace.kernel.sql import Scope
from portfolios.services.stats import vendor_id_shards
from portfolios.tasks import RETRY

from .services.clock import asks_expire_due, offers_lapse_due
from .services.stats import ask_stats_refresh


@shared_task
def asks_clock_task() -> dict[str, int]:
    """Close the asks past their respond-by and lapse the offers past their valid-until. Idempotent."""
    return {"asks_closed": asks_expire_due(), "offers_lapsed": offers_lapse_due()}


@shared_task(name="marketplace.asks.tasks.ask_stats_refresh_task", **RETRY)
def ask_stats_refresh_task(vendor_ids: list[int]) -> None:
    """Recompute these vendors' ask figures (after a publish, an answer, an acceptance). Idempotent."""
    ask_stats_refresh(scope=Scope.ids(vendor_ids))


@shared_task(name="marketplace.asks.tasks.ask_stats_refresh_shard_task", **RETRY)
def ask_stats_refresh_shard_task(low: int, high: int) -> None:
    ask_stats_refresh(scope=Scope.id_range(low, high))


@shared_task(name="marketplace.asks.tasks.ask_stats_reconcile_task", **RETRY)
def ask_stats_reconcile_task() -> int:
    """Recompute every vendor's ask figures, sharded by vendor-id range (hourly, from beat): this moves the
    insights' window on and repairs a refresh that was never queued or never finished."""
    shards = vendor_id_shards()
    group([ask_stats_refresh_shard_task.si(low, high) for low, high in shards]).apply_async()
    return len(shards)
