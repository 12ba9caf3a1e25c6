"""Listeners for domain signals (connected in ShopConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from marketplace.accounts.header import header_facts_forget
from marketplace.accounts.models import User
from marketplace.accounts.services import portfolio_changed
from marketplace.kernel.enqueue import enqueue_safely
from marketplace.kernel.page_cache import storefront_changed
from portfolios.models import PartnerMembership
from promotions.models import Promotion, PromotionFeedback
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


@receiver(pre_save, sender=Vendor, dispatch_uid="header_facts_vendor_owner_changing")
def forget_previous_owner_header_facts(
    sender: Any, instance: Vendor, update_fields: Any = None, raw: bool = False, **kwargs: Any
) -> None:
    """The vendor is handed to another user (vendor_owner_transfer): the previous owner has no shop any more.
    Read only when the owner may be among the fields saved, so other saves cost no query."""
    if raw or instance.pk is None or (update_fields is not None and "owner" not in update_fields):
        return
    previous = Vendor.objects.filter(pk=instance.pk).values_list("owner_id", flat=True).first()
    if previous is not None and previous != instance.owner_id:
        header_facts_forget(previous)


@receiver(post_save, sender=Vendor, dispatch_uid="header_facts_vendor_saved")
@receiver(post_delete, sender=Vendor, dispatch_uid="header_facts_vendor_deleted")
def forget_owner_header_facts(sender: Any, instance: Vendor, **kwargs: Any) -> None:
    """The owner now has a shop (or no longer has one): their header says so on the next page."""
    header_facts_forget(instance.owner_id)


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="header_facts_groups_changed")
def forget_member_header_facts(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    """Someone joined or left a group (the moderators): their header's Moderation link follows."""
    if not reverse:  # user.groups.add / remove / clear
        if action.startswith("post_"):
            header_facts_forget(instance.pk)
    elif action == "pre_clear":  # group.user_set.clear(): its members, before they are gone
        for user_id in instance.user_set.values_list("pk", flat=True):
            header_facts_forget(user_id)
    elif action.startswith("post_") and pk_set:  # group.user_set.add / remove
        for user_id in pk_set:
            header_facts_forget(user_id)


@receiver(post_save, sender=PartnerMembership, dispatch_uid="my_partners_membership_saved")
@receiver(post_delete, sender=PartnerMembership, dispatch_uid="my_partners_membership_deleted")
@receiver(post_save, sender=PromotionFeedback, dispatch_uid="my_partners_feedback_saved")
@receiver(post_delete, sender=PromotionFeedback, dispatch_uid="my_partners_feedback_deleted")
def renew_my_partners(sender: Any, instance: PartnerMembership | PromotionFeedback, **kwargs: Any) -> None:
    """A consumer's membership or promotion feedback changed: their My partners page, kept under their
    portfolio_version (portfolio_get_kept, partner_feed_get), is read afresh on their next visit. The bump is
    written in the same transaction as the change, so no cache outage can lose it."""
    if instance.consumer_id is not None:
        portfolio_changed(consumer_id=instance.consumer_id)
