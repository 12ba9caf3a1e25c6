"""Transactional e-mail to users: one message per recipient, in text and HTML, sent after the commit.

The templates are `templates/emails/<name>.txt` and `templates/emails/<name>.html`, rendered with the
context given plus `site_name` and `site_url` (where links point). Messages go through Django's e-mail
backend (EMAIL_BACKEND). They live in the bottom layer so every app may send one (imports point down only).

Sending never breaks the request that caused it: the change it tells of is already committed, so an SMTP
server that refuses or cannot be reached is logged, and the user keeps a page that tells the truth.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

if TYPE_CHECKING:
    from .models import User

logger = logging.getLogger(__name__)
SITE_NAME = "Partner Marketplace"


@contextmanager
def recipient_language(user: User | None) -> Iterator[str]:
    """Render what is written inside in the language the recipient reads (subject and bodies): their saved
    choice (User.language), else the site's default (settings.LANGUAGE_CODE); never the language of the request
    or task that happens to cause the message. Yields the language used."""
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        yield language


def mail_render(*, template: str, context: dict[str, Any]) -> tuple[str, str]:
    """The text and HTML bodies of `templates/emails/<template>.{txt,html}`; `site_url` (settings.SITE_URL) is
    there for absolute links, as in `{{ site_url }}{% url 'shop:order-detail' order.pk %}`."""
    context = {"site_name": SITE_NAME, "site_url": settings.SITE_URL, **context}
    return (
        render_to_string(f"emails/{template}.txt", context),
        render_to_string(f"emails/{template}.html", context),
    )


def mail_send(*, to: str, subject: str, text: str, html: str) -> bool:
    """Send one message to one address now. Returns False, after logging, when the mail server refuses it or
    cannot be reached; never raises that."""
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
    message.attach_alternative(html, "text/html")
    try:
        message.send(fail_silently=False)
    except (smtplib.SMTPException, OSError):
        logger.exception("Could not send the e-mail %r to %s", subject, to)
        return False
    return True


def mail_send_on_commit(*, to: str | None, subject: str, template: str, context: dict[str, Any]) -> None:
    """Render the message now (from the state inside this transaction) and send it once the transaction
    commits; a rolled-back change sends nothing. No address (a deleted account) sends nothing."""
    if not to:
        return
    text, html = mail_render(template=template, context=context)
    transaction.on_commit(lambda: mail_send(to=to, subject=subject, text=text, html=html))


def mail_send_text_on_commit(*, to: str, subject: str, text: str) -> None:
    """A plain-text message sent once the transaction commits; like mail_send, a mail server that refuses it
    or cannot be reached is logged, never raised into the request that already committed."""

    def send() -> None:
        message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
        try:
            message.send(fail_silently=False)
        except (smtplib.SMTPException, OSError):
            logger.exception("Could not send the e-mail %r to %s", subject, to)

    transaction.on_commit(send)
