"""Listeners for domain signals (connected in ShopConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from marketplace.enqueue import enqueue_safely
from marketplace.page_cache import storefront_changed
from promotions.models import Promotion
from vendors.models import Category, Product, Vendor

from .signals import order_changed
from .tasks import sales_stats_refresh_task


@receiver(order_changed, dispatch_uid="shop_sales_stats_on_order_change")
def refresh_sales_stats_on_order_change(sender: Any, vendor_id: int, **kwargs: Any) -> None:
    """Queue a refresh of the vendor's sales figures (after the order's commit). Never raises: with the broker
    unreachable the refresh is logged and dropped, and the hourly sales_stats_reconcile_task catches up."""
    enqueue_safely(sales_stats_refresh_task, vendor_id)


@receiver(post_save, sender=Vendor, dispatch_uid="storefront_vendor_saved")
@receiver(post_delete, sender=Vendor, dispatch_uid="storefront_vendor_deleted")
@receiver(post_save, sender=Product, dispatch_uid="storefront_product_saved")
@receiver(post_delete, sender=Product, dispatch_uid="storefront_product_deleted")
@receiver(post_save, sender=Category, dispatch_uid="storefront_category_saved")
@receiver(post_delete, sender=Category, dispatch_uid="storefront_category_deleted")
@receiver(post_save, sender=Promotion, dispatch_uid="storefront_promotion_saved")
@receiver(post_delete, sender=Promotion, dispatch_uid="storefront_promotion_deleted")
@receiver(m2m_changed, sender=Vendor.regions.through, dispatch_uid="storefront_vendor_regions_changed")
def refresh_storefront_pages(sender: Any, **kwargs: Any) -> None:
    """A vendor, product, category or promotion changed: anonymous visitors' cached pages are renewed."""
    storefront_changed()
