"""Data for the scale tests: vendors with products, some with statistics rows, and a consumer's partners."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from portfolios.services import membership_start
from portfolios.services.stats import stats_reconcile_all
from tests.factories import ProductFactory, VendorFactory


@pytest.fixture
def grow_marketplace(consumer) -> Callable[[int], None]:
    """grow(n): n more approved vendors with two products each (one "coffee" product per vendor); the
    consumer partners with every third; the statistics job then writes the rows of all but the newest."""
    made: list[int] = []

    def grow(n: int) -> None:
        for _ in range(n):
            vendor = VendorFactory(description="Coffee roasters and tea blenders")
            ProductFactory(vendor=vendor, name=f"Coffee beans {vendor.pk}", description="Roasted this week")
            ProductFactory(vendor=vendor, name=f"Teapot {vendor.pk}", description="Glazed stoneware")
            if len(made) % 3 == 0:
                membership_start(consumer=consumer, vendor_id=vendor.pk)
            made.append(vendor.pk)
        stats_reconcile_all()
        VendorFactory(description="Approved after the statistics job ran: no statistics row yet")

    return grow
