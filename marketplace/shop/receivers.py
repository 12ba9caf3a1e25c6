"""Listeners for domain signals (connected in ShopConfig.ready). What renews the cache is declared in each app's
cache_scopes.py (marketplace.kernel.caching), not here."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from marketplace.kernel.enqueue import enqueue_safely

from .signals import order_changed
from .tasks import sales_stats_refresh_task


@receiver(order_changed, dispatch_uid="shop_sales_stats_on_order_change")
def refresh_sales_stats_on_order_change(sender: Any, vendor_id: int, **kwargs: Any) -> None:
    """Queue a refresh of the vendor's sales figures (after the order's commit). Never raises: with the broker
    unreachable the refresh is logged and dropped, and the hourly sales_stats_reconcile_task catches up."""
    enqueue_safely(sales_stats_refresh_task, vendor_id)
