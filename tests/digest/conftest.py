"""Fixtures of the digest tests: a real SMTP server (aiosmtpd) on a local port, and a consumer with partners."""

from __future__ import annotations

import email
import socket
from dataclasses import dataclass
from datetime import timedelta
from email import policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from marketplace.accounts.models import ConsumerProfile, DigestFrequency, User
from portfolios.services import membership_start
from promotions.models import Promotion
from promotions.services import promotion_deliver
from tests.factories import ProductFactory, UserFactory, VendorFactory
from tests.rules.conftest import running_promotion
from vendors.models import Product, Vendor

SITE = "https://market.test"


class Inbox:
    """What the SMTP server accepted: each message parsed, with the envelope's recipients."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []
        self.port = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def use_smtp(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5


@pytest.fixture
def smtp_server(settings):
    """A local SMTP server the test starts; Django's SMTP backend is pointed at it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.port = controller.port
    use_smtp(settings, controller.port)
    yield inbox
    controller.stop()


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def confirm_digest(user: User, frequency: str = DigestFrequency.WEEKLY) -> ConsumerProfile:
    """The consumer saved their digest choice on /account/ (written as the page's service would)."""
    profile, _ = ConsumerProfile.objects.get_or_create(user=user)
    profile.digest_frequency = frequency
    profile.digest_confirmed_at = timezone.now() - timedelta(days=30)
    profile.save()
    return profile


def delivered_promotion(vendor: Vendor, title: str, **extra) -> Promotion:
    """A partners-only promotion of `vendor` running now, delivered to its audience as the clock would."""
    promotion = running_promotion(vendor, kind=Promotion.Kind.PARTNERS, title=title, **extra)
    promotion_deliver(promotion=promotion)
    return promotion


@dataclass
class World:
    consumer: User
    vendor: Vendor
    promotion: Promotion
    product: Product


@pytest.fixture
def world(reference_data) -> World:
    """A consumer who confirmed a weekly digest, one partner with a promotion delivered to them and a new product."""
    vendor = VendorFactory(name="Bean There", slug="bean-there")
    consumer = UserFactory(email="digest-reader@test.example", display_name="Dee Reader")
    confirm_digest(consumer)
    membership_start(consumer=consumer, vendor_id=vendor.pk)
    promotion = delivered_promotion(vendor, "Bean There partner week")
    product = ProductFactory(vendor=vendor, name="Ethiopia Natural")
    return World(consumer=consumer, vendor=vendor, promotion=promotion, product=product)
