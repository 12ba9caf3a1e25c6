"""Celery tasks of the shop: thin wrappers over the sales statistics service.

Sales figures carry no dirty mark: an order change queues sales_stats_refresh_task for its vendor after
commit (marketplace.shop.receivers), and a refresh lost to a broker outage or a killed worker is caught up
by sales_stats_reconcile_task, which beat runs hourly ("sales-stats-reconcile" in CELERY_BEAT_SCHEDULE) and
which recomputes every vendor from the orders and ratings. So a lost refresh leaves a vendor's sales
figures at most an hour late, never wrong (a dirty-mark table like portfolios' would buy promptness, not
correctness, at the cost of a write in every checkout).
"""

from __future__ import annotations

from celery import group, shared_task

from marketplace.kernel.sql import Scope
from portfolios.services.stats import vendor_id_shards
from portfolios.tasks import RETRY

# The payment tasks live beside the payment code (payments/tasks.py); imported here so workers register them.
from .payments import tasks as payment_tasks  # noqa: F401
from .services.stats import sales_stats_refresh


@shared_task(name="marketplace.shop.tasks.sales_stats_refresh_task", **RETRY)
def sales_stats_refresh_task(vendor_id: int) -> None:
    """Recompute one vendor's sales and rating figures."""
    sales_stats_refresh(scope=Scope.ids([vendor_id]))


@shared_task(name="marketplace.shop.tasks.sales_stats_refresh_shard_task", **RETRY)
def sales_stats_refresh_shard_task(low: int, high: int) -> None:
    sales_stats_refresh(scope=Scope.id_range(low, high))


@shared_task(name="marketplace.shop.tasks.sales_stats_reconcile_task", **RETRY)
def sales_stats_reconcile_task() -> int:
    """Recompute every vendor's sales figures, sharded by vendor-id range (hourly, from beat): this is what
    repairs a sales_stats_refresh_task that was never queued or never finished."""
    shards = vendor_id_shards()
    group([sales_stats_refresh_shard_task.si(low, high) for low, high in shards]).apply_async()
    return len(shards)
