"""Listeners for domain signals (connected in ShopConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from .signals import order_changed
from .tasks import sales_stats_refresh_task


@receiver(order_changed, dispatch_uid="shop_sales_stats_on_order_change")
def refresh_sales_stats_on_order_change(sender: Any, vendor_id: int, **kwargs: Any) -> None:
    sales_stats_refresh_task.delay(vendor_id)
