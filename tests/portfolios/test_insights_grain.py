"""Insights for small vendors: the trend widens from days to weeks or months when daily figures would all be
suppressed, K holds at every grain, and the page says which grain it shows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portfolios.models import VendorDailyStat, VendorStats
from portfolios.selectors.insights import insights_get

# Expectations here are exact released figures: their noise is off (tests/conftest.py exact_release; noise is
# tested in tests/privacy/test_calibration.py).
pytestmark = pytest.mark.usefixtures("exact_release")


def _daily(vendor, day, adds: int = 0, ends: int = 0) -> None:
    """A day's row as the statistics job writes it for partners who all count (insights read the counted_*)."""
    figures = {"adds": adds, "ends": ends, "net": adds - ends}
    VendorDailyStat.objects.update_or_create(
        vendor=vendor,
        day=day,
        defaults={**figures, **{f"counted_{k}": v for k, v in figures.items()}, "computed_at": timezone.now()},
    )


def _stats(vendor, partners: int) -> None:
    VendorStats.objects.update_or_create(
        vendor=vendor, defaults={"current_partners": partners, "partners_ever": partners, "computed_at": timezone.now()}
    )


@pytest.mark.django_db
def test_a_busy_vendor_sees_days(vendor):
    today = timezone.localdate()
    for i in range(30):
        _daily(vendor, today - timedelta(days=i), adds=6, ends=5)
    _stats(vendor, 300)
    insights = insights_get(vendor=vendor)
    assert insights.grain == "day" and len(insights.days) == 90
    assert insights.adds_series[-1] == 5  # 6 adds, released like every count: rounded down to a multiple of K


@pytest.mark.django_db
def test_a_vendor_with_thirty_partners_sees_a_weekly_or_monthly_trend(vendor):
    # Given 30 partners gained one or two at a time over the last months: every day is under K
    today = timezone.localdate()
    for i in range(0, 180, 4):
        _daily(vendor, today - timedelta(days=i), adds=2 if i % 8 == 0 else 1)
    _stats(vendor, 30)
    insights = insights_get(vendor=vendor)
    assert insights.grain in {"week", "month"}
    shown = [a for a in insights.adds_series if a is not None]
    assert shown and all(a >= insights.min_group for a in shown)  # K holds at the wider grain
    assert all(a is None or a >= 5 for a in insights.ends_series)
    assert len(set(p for p in insights.partners_series if p is not None)) >= 2  # the total visibly moves


@pytest.fixture
def owner_client(client, vendor):
    client.force_login(vendor.owner)
    return client


@pytest.mark.django_db
def test_the_insights_page_names_its_grain_and_tables_the_trend(owner_client, vendor):
    today = timezone.localdate()
    for i in range(0, 180, 4):
        _daily(vendor, today - timedelta(days=i), adds=1)
    _stats(vendor, 30)
    page = owner_client.get(reverse("sell:insights")).content.decode()
    grain = insights_get(vendor=vendor).grain
    assert f"Shown <strong>per {grain}</strong>" in page
    assert "The trend as a table" in page
    api = owner_client.get(reverse("api:sell-insights")).json()
    assert api["grain"] == grain
