"""Writes to users and consumer profiles."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from marketplace.kernel.caching import changed
from marketplace.kernel.errors import NotFoundError

from .authentication import token_hash
from .models import APIToken, ConsumerProfile, DigestFrequency, Interest, Region, User
from .signals import profile_changed
from .unsubscribe import unsubscribe_check, unsubscribe_token_read

MAX_ACTIVE_TOKENS = 10


def portfolio_changed(*, consumer_id: int) -> None:
    """Something this consumer sees of their own changed (a membership, a feedback, a delivery made for them
    alone): bump their durable `consumer:{id}` scope in the caller's transaction, so what is kept under it
    (My partners, their feed) is read afresh on their next visit (marketplace.kernel.caching)."""
    changed(f"consumer:{consumer_id}")


def profile_buyer_since_set(*, user_ids: Iterable[int] | QuerySet[Any], when: datetime) -> int:
    """Record `when` as buyer_since of these consumers' profiles, where it is not set yet (set once, never moved:
    idempotent). Only the shop's fulfilment calls it, for consumers whose orders two vendors have delivered.
    Returns how many profiles were marked."""
    return ConsumerProfile.objects.filter(user_id__in=user_ids, buyer_since__isnull=True).update(buyer_since=when)


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
    digest_frequency: str | None = None,
) -> ConsumerProfile:
    """Save what the consumer tells us and chooses to share. Atomic.

    Only a change to what partners' statistics can see (a shared attribute, or whether it is shared) sends
    `profile_changed` after commit, so saving the weekly cap alone recomputes nothing. A `digest_frequency`
    given (the account page always shows it) is the consumer's confirmed choice: from then on the partner
    digest may be sent (digest_confirmed_at, stamped at the first confirmation and at each change), never
    before."""
    profile, _ = ConsumerProfile.objects.select_for_update().get_or_create(user=user)
    shared_before = _shared_attributes(profile)
    profile.region, profile.age_band = region, age_band
    profile.share_region, profile.share_age_band, profile.share_interests = (
        share_region,
        share_age_band,
        share_interests,
    )
    profile.weekly_promotion_cap = weekly_promotion_cap
    # Stamped when first confirmed and on each change of it (not on every save), so an unsubscribe link stays
    # usable until the digest setting itself changes (marketplace/accounts/unsubscribe.py).
    if digest_frequency is not None and (
        profile.digest_confirmed_at is None or digest_frequency != profile.digest_frequency
    ):
        profile.digest_frequency = digest_frequency
        profile.digest_confirmed_at = timezone.now()
    profile.full_clean()
    profile.save()
    profile.interests.set(list(interests))
    if _shared_attributes(profile) != shared_before:
        transaction.on_commit(lambda: profile_changed.send(sender=ConsumerProfile, user_id=user.pk))
    return profile


@transaction.atomic
def profile_digest_set(*, user: User, digest_frequency: str) -> ConsumerProfile:
    """The consumer chooses how often the partner digest comes (daily, weekly, never), from their digest page.
    Atomic. As on the account page, the choice is confirmed (digest_confirmed_at stamped) when first made and
    at each change, so no digest goes to anyone who has not chosen; choosing the same again changes nothing."""
    if digest_frequency not in DigestFrequency.values:
        choices = ", ".join(DigestFrequency.values)
        message = gettext("Choose one of %(choices)s; got %(language)r.") % {
            "choices": choices,
            "language": digest_frequency,
        }
        raise ValidationError({"digest_frequency": message})
    profile, _ = ConsumerProfile.objects.select_for_update().get_or_create(user=user)
    if profile.digest_confirmed_at is None or digest_frequency != profile.digest_frequency:
        profile.digest_frequency = digest_frequency
        profile.digest_confirmed_at = timezone.now()
        profile.save(update_fields=["digest_frequency", "digest_confirmed_at", "updated_at"])
    return profile


@transaction.atomic
def user_language_set(*, user: User, language: str) -> User:
    """Save the language the user chose to read the site in (the header's switcher, the account page); from
    their next page on it wins over their browser's Accept-Language (UserLanguageMiddleware). Atomic; a
    language the site does not speak is refused and nothing changes; choosing the same again writes nothing."""
    if language not in dict(settings.LANGUAGES):
        choices = ", ".join(code for code, _name in settings.LANGUAGES)
        message = gettext("Choose one of %(choices)s; got %(language)r.") % {"choices": choices, "language": language}
        raise ValidationError({"language": message})
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user


def _shared_attributes(profile: ConsumerProfile) -> tuple[object, ...]:
    """What vendors' aggregate figures can see of this consumer: each attribute only if it is shared."""
    interest_ids = sorted(profile.interests.values_list("pk", flat=True)) if profile.pk else []
    return (
        profile.region_id if profile.share_region else None,
        profile.age_band if profile.share_age_band else None,
        tuple(interest_ids) if profile.share_interests else (),
    )


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[APIToken, str]:
    """Create a token and return it with its key; the key is not stored and cannot be shown again."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": gettext("Give the token a name, so you can tell it apart later.")})
    if APIToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        message = gettext("You can hold at most %(most)d active tokens; revoke one first.") % {
            "most": MAX_ACTIVE_TOKENS
        }
        raise ValidationError({"name": message})
    key = secrets.token_urlsafe(32)
    token = APIToken.objects.create(user=user, name=name[:60], prefix=key[:8], key_hash=token_hash(key))
    return token, key


@transaction.atomic
def api_token_revoke(*, user: User, token_id: int) -> APIToken:
    """Revoke one of the user's own tokens; another user's token is simply not found."""
    token = APIToken.objects.select_for_update().filter(pk=token_id, user=user).first()
    if token is None:
        raise NotFoundError(gettext("No such token."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


@transaction.atomic
def profile_digest_unsubscribe(*, token: str) -> ConsumerProfile:
    """Stop the partner digest of the user a one-click unsubscribe token names: digest frequency "never".

    Needs no login: the signed token is the authority (marketplace/accounts/unsubscribe.py). Atomic, with the
    profile row locked, so two clicks at once unsubscribe once and the second is told the link was used. A
    forged, expired or already used token raises UnsubscribeRefused and changes nothing."""
    user_id, fingerprint = unsubscribe_token_read(token=token)
    profile = (
        ConsumerProfile.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(user_id=user_id, user__is_active=True)
        .first()
    )
    profile = unsubscribe_check(profile=profile, fingerprint=fingerprint)
    profile.digest_frequency = DigestFrequency.NEVER
    profile.save(update_fields=["digest_frequency", "updated_at"])
    return profile
