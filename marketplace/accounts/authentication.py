"""API authentication by personal token: `Authorization: Token <key>`, looked up by its hash."""

from __future__ import annotations

import hashlib

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from .models import APIToken


def token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class HashedTokenAuthentication(TokenAuthentication):
    keyword = "Token"

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
