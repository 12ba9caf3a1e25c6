"""Fixtures of the fault tests (Redis pointed elsewhere: tests.helpers.redis_at)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fresh_outage_memory(monkeypatch):
    """Each test meets Redis as if for the first time: no remembered outage of the cache or the broker."""
    monkeypatch.setattr("marketplace.kernel.caching.backend._health", {})
    monkeypatch.setattr("marketplace.kernel.enqueue._broker_down_until", {})
