"""Pausing and resuming a vendor's promotions when moderation suspends or reinstates it.

Only suspension puts a promotion in the PAUSED state (vendors cannot pause their own), so resuming
every paused promotion of a reinstated vendor restores exactly what suspension paused.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Case, Value, When
from django.utils import timezone

from .models import Promotion


@transaction.atomic
def promotions_pause_for_vendor(*, vendor_id: int) -> int:
    """Pause the vendor's running promotions. Idempotent; returns how many were paused."""
    return Promotion.objects.filter(vendor_id=vendor_id, state=Promotion.State.RUNNING).update(
        state=Promotion.State.PAUSED
    )


@transaction.atomic
def promotions_resume_for_vendor(*, vendor_id: int) -> int:
    """Resume the vendor's paused promotions: running again, or ended if their schedule ran out meanwhile.
    Idempotent; returns how many were resumed."""
    now = timezone.now()
    return Promotion.objects.filter(vendor_id=vendor_id, state=Promotion.State.PAUSED).update(
        state=Case(
            When(ends_at__lte=now, then=Value(Promotion.State.ENDED)),
            default=Value(Promotion.State.RUNNING),
        )
    )
