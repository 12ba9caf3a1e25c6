"""A small marketplace for the asks: a consumer with two partners in Electronics, a vendor of the same category
that is not their partner, and a partner in another category."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.accounts.models import User
from marketplace.asks.models import Ask, Offer
from marketplace.asks.services import ask_draft_create, ask_publish, offer_make
from portfolios.services import membership_start
from tests.factories import CategoryFactory, UserFactory, VendorFactory
from vendors.models import Vendor


@dataclass
class AskWorld:
    consumer: User
    first: Vendor
    second: Vendor
    outsider: Vendor  # same category, not a partner
    elsewhere: Vendor  # a partner in another category


@pytest.fixture
def world(db) -> AskWorld:
    electronics = CategoryFactory(name="Electronics", slug="electronics")
    garden = CategoryFactory(name="Garden", slug="garden")
    consumer = UserFactory(email="asker@test.example", display_name="Ada Asker")
    first = VendorFactory(name="Disc Hut", slug="disc-hut", category=electronics)
    second = VendorFactory(name="Player Planet", slug="player-planet", category=electronics)
    outsider = VendorFactory(name="Stranger Sounds", slug="stranger-sounds", category=electronics)
    elsewhere = VendorFactory(name="Green Fingers", slug="green-fingers", category=garden)
    for vendor in (first, second, elsewhere):
        membership_start(consumer=consumer, vendor_id=vendor.pk)
    return AskWorld(consumer=consumer, first=first, second=second, outsider=outsider, elsewhere=elsewhere)


def in_days(days: float) -> object:
    return timezone.now() + timedelta(days=days)


def open_ask(world: AskWorld, *, title: str = "A DVD player under 3,000", **fields: object) -> Ask:
    defaults: dict[str, object] = {
        "category_id": world.first.category_id,
        "title": title,
        "description": "Region-free, with HDMI.",
        "respond_by": in_days(3),
        "budget": "3000",
    }
    ask = ask_draft_create(consumer=world.consumer, **{**defaults, **fields})
    return ask_publish(consumer=world.consumer, ask_id=ask.pk)


def offer(vendor: Vendor, ask: Ask, price: str = "2899.00", **fields: object) -> Offer:
    defaults: dict[str, object] = {"valid_until": in_days(2), "included": "Cable and two years' warranty"}
    return offer_make(vendor=vendor, ask_id=ask.pk, price=Decimal(price), **{**defaults, **fields})
