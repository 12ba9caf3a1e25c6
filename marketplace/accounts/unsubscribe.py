"""One-click unsubscribe from the partner digest, without logging in (RFC 8058).

The link carries a signed token (django.core.signing.TimestampSigner, salted for this purpose only) holding
the user id, the purpose and a fingerprint of the consumer's digest settings when the link was made. So:

- a token that was not made here (forged, truncated, another salt) is refused: `UnsubscribeRefused`;
- a token older than UNSUBSCRIBE_MAX_AGE is refused as expired;
- a token works once: unsubscribing changes the settings, so its fingerprint no longer matches, and a link
  from before a later change on /account/ (re-subscribing, another frequency) cannot undo that change either.

A refusal changes nothing. Only ever unsubscribes, so the endpoint may take the one-click POST without a CSRF
token (a forged POST can at worst stop a digest its owner can switch back on).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.utils.translation import gettext

from marketplace.kernel.errors import ConflictError

from .models import ConsumerProfile, DigestFrequency, User

PURPOSE_PARTNER_DIGEST = "partner_digest"
UNSUBSCRIBE_SALT = "marketplace.accounts.unsubscribe"
# Weekly digests sit in mailboxes for a while; two months is long enough to be read late, short enough that an
# old forwarded message stops working.
UNSUBSCRIBE_MAX_AGE = timedelta(days=60)


class UnsubscribeRefused(ConflictError):
    """The link cannot unsubscribe anyone: forged, expired, or already used. Nothing changed."""

    code = "unsubscribe_refused"


@dataclass(frozen=True)
class UnsubscribeTarget:
    user: User
    purpose: str


def _settings_fingerprint(profile: ConsumerProfile) -> str:
    confirmed = profile.digest_confirmed_at.isoformat() if profile.digest_confirmed_at else ""
    return hashlib.sha256(f"{profile.digest_frequency}|{confirmed}".encode()).hexdigest()[:16]


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=UNSUBSCRIBE_SALT)


def unsubscribe_token_make(*, profile: ConsumerProfile, purpose: str = PURPOSE_PARTNER_DIGEST) -> str:
    """A token for the unsubscribe link of a message to this profile's user, valid until it is used or expires."""
    return _signer().sign_object({"u": profile.user_id, "p": purpose, "v": _settings_fingerprint(profile)})


def unsubscribe_token_read(*, token: str) -> tuple[int, str]:
    """The user id and settings fingerprint of a genuine, unexpired token; UnsubscribeRefused otherwise."""
    user_id, _purpose, fingerprint = _read(token)
    return user_id, fingerprint


def unsubscribe_check(*, profile: ConsumerProfile | None, fingerprint: str) -> ConsumerProfile:
    """The profile, when a token with this fingerprint may still unsubscribe it; UnsubscribeRefused otherwise."""
    if profile is None:
        raise UnsubscribeRefused(_invalid_message())
    if profile.digest_frequency == DigestFrequency.NEVER or _settings_fingerprint(profile) != fingerprint:
        raise UnsubscribeRefused(_used_message())
    return profile


def _read(token: str) -> tuple[int, str, str]:
    try:
        payload = _signer().unsign_object(token, max_age=UNSUBSCRIBE_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise UnsubscribeRefused(
            gettext(
                "This unsubscribe link has expired. Sign in and choose “Never” under e-mail digest on your account "
                "page."
            )
        ) from exc
    except signing.BadSignature as exc:
        raise UnsubscribeRefused(_invalid_message()) from exc
    if (
        not isinstance(payload, dict)
        or not isinstance(payload.get("u"), int)
        or payload.get("p") != (PURPOSE_PARTNER_DIGEST)
    ):
        raise UnsubscribeRefused(_invalid_message())
    return payload["u"], payload["p"], str(payload.get("v", ""))


def _invalid_message() -> str:
    return gettext("This unsubscribe link is not valid. Copy the whole link from the e-mail.")


def _used_message() -> str:
    return gettext(
        "This unsubscribe link has already been used, or your e-mail settings changed since it was sent, so it "
        "changes nothing. Your current choice is on your account page."
    )


def unsubscribe_target(*, token: str) -> UnsubscribeTarget:
    """Who and what a still-usable token would unsubscribe (for the confirmation page). Writes nothing.
    Raises UnsubscribeRefused for a forged, expired or used token."""
    user_id, purpose, fingerprint = _read(token)
    profile = ConsumerProfile.objects.select_related("user").filter(user_id=user_id, user__is_active=True).first()
    profile = unsubscribe_check(profile=profile, fingerprint=fingerprint)
    return UnsubscribeTarget(user=profile.user, purpose=purpose)
