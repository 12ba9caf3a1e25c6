"""Listeners for domain signals of lower layers (connected in PromotionsConfig.ready)."""

from __future__ import annotations

import logging
from typing import Any

from django.db import DatabaseError
from django.dispatch import receiver

from portfolios.signals import membership_changed, portfolio_page_context
from vendors.models import Vendor
from vendors.signals import vendor_status_changed

from .models import PromotionFeedback
from .selectors.partner_feed import partner_feed_get
from .services import (
    promotion_deliveries_for_new_partner,
    promotions_pause_for_vendor,
    promotions_resume_for_vendor,
)

logger = logging.getLogger(__name__)


@receiver(vendor_status_changed, dispatch_uid="promotions_follow_vendor_status")
def promotions_follow_vendor_status(
    sender: Any, *, vendor_id: int, old_status: str, new_status: str, **kwargs: Any
) -> None:
    """A suspended vendor's running promotions pause; reinstating it resumes them."""
    if new_status == Vendor.Status.SUSPENDED:
        promotions_pause_for_vendor(vendor_id=vendor_id)
    elif old_status == Vendor.Status.SUSPENDED and new_status == Vendor.Status.APPROVED:
        promotions_resume_for_vendor(vendor_id=vendor_id)


@receiver(membership_changed, dispatch_uid="promotions_follow_partnership")
def promotions_follow_partnership(
    sender: Any, *, vendor_id: int, consumer_id: int | None = None, **kwargs: Any
) -> None:
    """A consumer who became a current, unmuted partner (start, reinstatement, unmute) receives the vendor's
    running partners-only promotions meant for them at once; the service decides who qualifies. An end or
    a mute needs nothing here: the feed and checkout read current, unmuted partners only.

    Runs after the membership change committed, so a database failure here is logged, not raised: the
    consumer's change is saved, and answering their request with an error would be untrue."""
    if consumer_id is None:
        return
    try:
        promotion_deliveries_for_new_partner(consumer_id=consumer_id, vendor_id=vendor_id)
    except DatabaseError:
        logger.exception("Running promotions of vendor %s not delivered to new partner %s", vendor_id, consumer_id)


@receiver(portfolio_page_context)
def _partner_feed_on_my_partners(sender: Any, consumer: Any, **kwargs: Any) -> dict[str, Any]:
    """My partners shows the promotions the consumer's partners sent them, with the feedback form's reasons."""
    return {"feed": partner_feed_get(consumer=consumer), "feedback_reasons": PromotionFeedback.Reason.choices}
