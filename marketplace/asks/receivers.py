"""The asks listen to the layers below: a partnership that ends or a vendor that is suspended lapses that
vendor's recipient rows and live offers on open asks (eligibility holds to the end)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from portfolios.signals import membership_changed
from vendors.signals import vendor_status_changed

from .services.clock import ask_recipients_recheck


@receiver(membership_changed, dispatch_uid="asks.membership_changed")
def _membership_changed(sender: Any, vendor_id: int, consumer_id: int | None = None, **kwargs: Any) -> None:
    if consumer_id is not None:
        ask_recipients_recheck(vendor_id=vendor_id, consumer_id=consumer_id)


@receiver(vendor_status_changed, dispatch_uid="asks.vendor_status_changed")
def _vendor_status_changed(sender: Any, vendor_id: int, new_status: str = "", **kwargs: Any) -> None:
    ask_recipients_recheck(vendor_id=vendor_id)
