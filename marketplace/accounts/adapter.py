"""django-allauth's account adapter: its login, sign-up and password-reset limits count the visitor behind the
deployment's trusted proxies (marketplace.kernel.client_address.client_ip), not the proxy in front of everyone;
its e-mails (templates/account/email/) carry the site's name and links, as the site's own e-mails do."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.encoding import force_str

from marketplace.kernel.client_address import client_ip

from .mail import SITE_NAME


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        address = client_ip(request)
        if not address:  # allauth's own answer when the server gave no address at all
            raise PermissionDenied("Unable to determine client IP address")
        return address

    def format_email_subject(self, subject: str) -> str:
        # allauth's default prefix is the request's host ("[127.0.0.1:8000] "): the site's name reads better.
        return f"[{SITE_NAME}] {force_str(subject)}"

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        super().send_mail(template_prefix, email, {"site_name": SITE_NAME, "site_url": settings.SITE_URL, **context})
