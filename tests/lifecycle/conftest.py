"""Shared helpers of the lifecycle tests: an order placed and paid through the real checkout and payment."""

from __future__ import annotations

import pytest

from marketplace.shop.models import Order
from marketplace.shop.services import cart_add
from tests.payments import checkout_and_pay


def place_order(consumer, product, *, key: str = "k1", quantity: int = 2) -> Order:  # type: ignore[no-untyped-def]
    """Placed and paid with the fake provider's test card: a paid order, as a buyer leaves it."""
    cart_add(consumer=consumer, product_id=product.pk, quantity=quantity)
    result = checkout_and_pay(consumer, key, ship_to_name="Ada Shopper", ship_to_address="1 Bean Street\nLondon")
    return result.orders[0]


@pytest.fixture
def moderator(reference_data):  # type: ignore[no-untyped-def]
    from tests.factories import UserFactory

    user = UserFactory(email="mod@test.example", is_staff=True)
    user.groups.add(reference_data)
    return user
