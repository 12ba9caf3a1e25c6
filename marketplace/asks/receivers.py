"""The asks listen to the layers below: a partnership that ends or a vendor that is suspended lapses that
vendor's recipient rows and live offers on open asks (eligibility holds to the end); an accepted offer's order
cancelled unpaid reopens (or closes) its ask, in the same transaction as the lapse (services/award.py)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from marketplace.shop.signals import order_payment_lapsed
from portfolios.signals import membership_changed
from vendors.signals import vendor_status_changed

from .services.award import ask_award_unpaid
from .services.clock import ask_recipients_recheck


@receiver(membership_changed, dispatch_uid="asks.membership_changed")
def _membership_changed(sender: Any, vendor_id: int, consumer_id: int | None = None, **kwargs: Any) -> None:
    if consumer_id is not None:
        ask_recipients_recheck(vendor_id=vendor_id, consumer_id=consumer_id)


@receiver(vendor_status_changed, dispatch_uid="asks.vendor_status_changed")
def _vendor_status_changed(sender: Any, vendor_id: int, new_status: str = "", **kwargs: Any) -> None:
    ask_recipients_recheck(vendor_id=vendor_id)


@receiver(order_payment_lapsed, dispatch_uid="asks.order_payment_lapsed")
def _order_payment_lapsed(sender: Any, order_ids: list[int], **kwargs: Any) -> None:
    ask_award_unpaid(order_ids=order_ids)
