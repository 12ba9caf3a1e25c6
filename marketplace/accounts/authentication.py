"""API authentication by personal token: `Authorization: Token <key>`, looked up by its hash."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.request import Request

from .models import APIToken


def token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


# Failed token authentications are throttled like failed logins (allauth's login_failed limit): guessing
# tokens from one address stops after this many failures in the window, with a 429 and Retry-After.
FAILED_TOKEN_LIMIT = 10
FAILED_TOKEN_WINDOW_SECONDS = 300


def _failures_key(request: Request) -> str:
    return f"token-auth-failed:{request.META.get('REMOTE_ADDR', '')}"


class HashedTokenAuthentication(TokenAuthentication):
    keyword = "Token"

    def authenticate(self, request: Request):  # type: ignore[no-untyped-def]
        key = _failures_key(request)
        if (cache.get(key) or 0) >= FAILED_TOKEN_LIMIT:
            raise exceptions.Throttled(
                wait=FAILED_TOKEN_WINDOW_SECONDS, detail="Too many failed token attempts from this address."
            )
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            if not cache.add(key, 1, timeout=FAILED_TOKEN_WINDOW_SECONDS):
                try:
                    cache.incr(key)
                except ValueError:  # expired between add and incr: start a new window
                    cache.add(key, 1, timeout=FAILED_TOKEN_WINDOW_SECONDS)
            raise

    def authenticate_credentials(self, key: str):  # type: ignore[no-untyped-def]
        token = (
            APIToken.objects.select_related("user").filter(key_hash=token_hash(key), revoked_at__isnull=True).first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Invalid or revoked token.")
        now = timezone.now()
        # Written at most once a minute, so scripts hammering the API do not turn reads into writes.
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            APIToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
