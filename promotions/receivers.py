"""Listeners for domain signals of lower layers (connected in PromotionsConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from vendors.models import Vendor
from vendors.signals import vendor_status_changed

from .services import promotions_pause_for_vendor, promotions_resume_for_vendor


@receiver(vendor_status_changed, dispatch_uid="promotions_follow_vendor_status")
def promotions_follow_vendor_status(
    sender: Any, *, vendor_id: int, old_status: str, new_status: str, **kwargs: Any
) -> None:
    """A suspended vendor's running promotions pause; reinstating it resumes them."""
    if new_status == Vendor.Status.SUSPENDED:
        promotions_pause_for_vendor(vendor_id=vendor_id)
    elif old_status == Vendor.Status.SUSPENDED and new_status == Vendor.Status.APPROVED:
        promotions_resume_for_vendor(vendor_id=vendor_id)
