"""django-allauth's account adapter: its login, sign-up and password-reset limits count the visitor behind the
deployment's trusted proxies (marketplace.kernel.client_address.client_ip), not the proxy in front of everyone;
its e-mails (templates/account/email/) carry the site's name and links, as the site's own e-mails do; a language
chosen with the header's switcher before signing up is saved on the new user."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.encoding import force_str
from django.utils.translation import get_language

from marketplace.kernel.client_address import client_ip

from .mail import SITE_NAME


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        address = client_ip(request)
        if not address:  # allauth's own answer when the server gave no address at all
            raise PermissionDenied("Unable to determine client IP address")
        return address

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        # A visitor who switched language before signing up (the switcher's cookie) keeps it as their saved
        # choice; one who never chose keeps following their browser (User.language blank).
        if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) and get_language() in dict(settings.LANGUAGES):
            user.language = get_language()
        return super().save_user(request, user, form, commit=commit)

    def format_email_subject(self, subject: str) -> str:
        # allauth's default prefix is the request's host ("[127.0.0.1:8000] "): the site's name reads better.
        return f"[{SITE_NAME}] {force_str(subject)}"

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        super().send_mail(template_prefix, email, {"site_name": SITE_NAME, "site_url": settings.SITE_URL, **context})
