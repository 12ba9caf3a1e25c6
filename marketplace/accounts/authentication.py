"""API authentication by personal token: `Authorization: Token <key>`, looked up by its hash."""

from __future__ import annotations

import hashlib

from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.request import Request

from marketplace.kernel.caching import counters
from marketplace.kernel.client_address import client_ip

from .models import APIToken


def token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


# Failed token authentications are limited like failed logins (allauth's login_failed limit): a visitor whose
# wrong tokens reach this many in the window is answered 429 with Retry-After for each further wrong token.
# Only the visitor's own address counts (marketplace.kernel.client_address: behind the trusted proxies, the visitor,
# not the proxy), and only requests that carry a token: a right token, a session or an anonymous request from
# the same address is never refused by it. A key is 43 random characters (accounts.services.api_token_create),
# so letting a right one through after wrong ones gives a guesser nothing; the limit spares the database and
# the log a flood of guesses.
FAILED_TOKEN_LIMIT = 10
FAILED_TOKEN_WINDOW_SECONDS = 300


class HashedTokenAuthentication(TokenAuthentication):
    keyword = "Token"

    def authenticate(self, request: Request):  # type: ignore[no-untyped-def]
        """The token's user, None when the request carries no token (the next authenticator decides). A wrong
        token answers 401, or 429 once this visitor's wrong tokens reached FAILED_TOKEN_LIMIT in the window."""
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            address = client_ip(request)
            if (counters.read("token-auth-failed", address) or 0) >= FAILED_TOKEN_LIMIT:
                raise exceptions.Throttled(
                    wait=FAILED_TOKEN_WINDOW_SECONDS,
                    detail=gettext("Too many failed token attempts from this address."),
                ) from None
            counters.count_up("token-auth-failed", address, timeout=FAILED_TOKEN_WINDOW_SECONDS)
            raise

    def authenticate_credentials(self, key: str):  # type: ignore[no-untyped-def]
        token = (
            APIToken.objects.select_related("user").filter(key_hash=token_hash(key), revoked_at__isnull=True).first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(gettext("Invalid or revoked token."))
        now = timezone.now()
        # Written at most once a minute, so scripts hammering the API do not turn reads into writes.
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            APIToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token


class HashedTokenScheme(OpenApiAuthenticationExtension):
    """The token scheme as the API docs show it: where a key comes from and how it is sent."""

    target_class = HashedTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):  # type: ignore[no-untyped-def]
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "A personal token from your account's API tokens page (/account/tokens/), sent as "
            "`Authorization: Token <key>`: enter `Token <key>` here.",
        }
