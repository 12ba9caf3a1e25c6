"""Helpers for the tests of rules 2 and 3 (exclusion after an end, promotions that follow the partnership)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from promotions.models import Promotion


def running_promotion(vendor, *, kind: str = Promotion.Kind.PUBLIC, title: str, **extra) -> Promotion:
    """A promotion of `vendor` running now (written directly: these tests are about who sees it, not publishing)."""
    now = timezone.now()
    return Promotion.objects.create(
        vendor=vendor,
        title=title,
        kind=kind,
        discount_value=extra.pop("discount_value", Decimal("10")),
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(days=3),
        state=extra.pop("state", Promotion.State.RUNNING),
        **extra,
    )


@pytest.fixture
def api(consumer) -> APIClient:
    client = APIClient()
    client.force_authenticate(consumer)
    return client
