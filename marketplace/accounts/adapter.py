"""django-allauth's account adapter: its login, sign-up and password-reset limits count the visitor behind the
deployment's trusted proxies (marketplace.kernel.client_address.client_ip), not the proxy in front of everyone."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from marketplace.kernel.client_address import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        address = client_ip(request)
        if not address:  # allauth's own answer when the server gave no address at all
            raise PermissionDenied("Unable to determine client IP address")
        return address
