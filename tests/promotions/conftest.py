"""Fixtures of the digest tests: a real SMTP server (aiosmtpd) on a local port, and a consumer with partners."""

from __future__ import annotations

import pytest
from aiosmtpd.controller import Controller

from portfolios.services import membership_start
from tests.factories import ProductFactory, UserFactory, VendorFactory
from tests.helpers import Inbox, World, confirm_digest, delivered_promotion, free_port, use_smtp


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
