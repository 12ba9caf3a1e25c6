"""Writes to users and consumer profiles."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from .models import ConsumerProfile, Interest, Region, User
from .signals import profile_changed


@transaction.atomic
def profile_update(
    *,
    user: User,
    region: Region | None,
    age_band: str,
    interests: Iterable[Interest],
    share_region: bool,
    share_age_band: bool,
    share_interests: bool,
    weekly_promotion_cap: int,
) -> ConsumerProfile:
    """Save what the consumer tells us and chooses to share. Atomic; partners' statistics refresh after commit."""
    profile, _ = ConsumerProfile.objects.select_for_update().get_or_create(user=user)
    profile.region, profile.age_band = region, age_band
    profile.share_region, profile.share_age_band, profile.share_interests = share_region, share_age_band, share_interests
    profile.weekly_promotion_cap = weekly_promotion_cap
    profile.full_clean()
    profile.save()
    profile.interests.set(list(interests))
    transaction.on_commit(lambda: profile_changed.send(sender=ConsumerProfile, user_id=user.pk))
    return profile
