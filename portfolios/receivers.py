"""Listeners for domain signals of lower layers (connected in PortfoliosConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from marketplace.accounts.signals import profile_changed

from .models import PartnerMembership
from .services.stats import stats_mark_dirty
from .tasks import stats_refresh_dirty_enqueue


@receiver(profile_changed, dispatch_uid="portfolios_stats_on_profile_change")
def refresh_stats_on_profile_change(sender: Any, user_id: int, **kwargs: Any) -> None:
    """A consumer changed what they share: only their current partners' figures change. The marketplace
    baselines (one consumer in all of them) catch up at the periodic reconcile."""
    vendor_ids = PartnerMembership.objects.active().filter(consumer_id=user_id).values_list("vendor_id", flat=True)
    stats_mark_dirty(vendor_ids=list(vendor_ids))
    stats_refresh_dirty_enqueue()
