"""How the statistics are written back: incremental refreshes leave exactly what a from-scratch recount
writes, a refresh that changes nothing still marks the vendor refreshed, two refreshes of one vendor at
once both succeed."""

from __future__ import annotations

import random
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from marketplace.accounts.models import Region
from marketplace.accounts.services import profile_update
from marketplace.kernel.sql import Scope
from portfolios import services
from portfolios.models import (
    CategoryStats,
    MarketplaceSegmentBaseline,
    PartnerMembership,
    VendorDailyStat,
    VendorEndReasonStat,
    VendorSegmentStat,
    VendorStats,
)
from portfolios.services.stats import stats_reconcile_all, stats_refresh_marketplace, stats_refresh_scope
from tests.factories import UserFactory, VendorFactory
from tests.helpers import expected_vendor, random_history, stored_vendor

ROOT = Path(__file__).resolve().parents[2]
TABLES = {
    VendorStats: ("vendor_id",),
    VendorEndReasonStat: ("vendor_id", "reason"),
    VendorSegmentStat: ("vendor_id", "dimension", "value"),
    VendorDailyStat: ("vendor_id", "day"),
    MarketplaceSegmentBaseline: ("dimension", "value"),
    CategoryStats: ("category_id",),
}


def _every_statistic() -> dict[str, set[tuple[object, ...]]]:
    """Every row of every statistics table, without computed_at."""
    snapshot = {}
    for model in TABLES:
        fields = [f.attname for f in model._meta.concrete_fields if f.attname not in ("id", "computed_at")]
        snapshot[model.__name__] = set(model.objects.values_list(*fields))
    return snapshot


@pytest.fixture
def market(db):
    consumers = [UserFactory() for _ in range(24)]
    vendors = [VendorFactory() for _ in range(3)]
    return consumers, vendors


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [5, 6])
def test_stats_after_incremental_refreshes_equal_a_from_scratch_recount(
    market, seed, django_capture_on_commit_callbacks, settings
):
    settings.MARKETPLACE = {**settings.MARKETPLACE, "STATS_MIN_GROUP": 3}
    consumers, vendors = market
    stats_reconcile_all()  # the marketplace tables, so the comparison covers them too
    random_history(random.Random(seed), consumers, vendors, 200, django_capture_on_commit_callbacks)
    stats_refresh_marketplace()  # the hourly reconcile's part that no portfolio change triggers
    refreshed = _every_statistic()
    assert refreshed["VendorSegmentStat"] and refreshed["VendorDailyStat"]

    for model in TABLES:
        model.objects.all().delete()
    stats_reconcile_all()
    assert _every_statistic() == refreshed


@pytest.mark.django_db
def test_stats_refresh_that_changes_nothing_still_marks_the_vendor_refreshed(
    consumer, vendor, django_capture_on_commit_callbacks, settings
):
    settings.MARKETPLACE = {**settings.MARKETPLACE, "STATS_MIN_GROUP": 1}
    london = Region.objects.get(code="london")
    profile_update(
        user=consumer,
        region=london,
        age_band="25-34",
        interests=[],
        share_region=True,
        share_age_band=False,
        share_interests=False,
        weekly_promotion_cap=5,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_start(consumer=consumer, vendor_id=vendor.pk)  # refreshed after commit
    segment = VendorSegmentStat.objects.get(vendor=vendor, dimension="region", value="london")
    changed_at = segment.computed_at

    later = timezone.now() + timedelta(minutes=5)
    stats_refresh_scope(scope=Scope.ids([vendor.pk]), now=later)
    assert VendorStats.objects.get(vendor=vendor).computed_at == later  # insights: "Last refreshed"
    segment = VendorSegmentStat.objects.get(vendor=vendor, dimension="region", value="london")
    assert (segment.partners, segment.reachable) == (1, 1)
    if connection.vendor == "postgresql":
        assert segment.computed_at == changed_at  # the unchanged row was not written again

    with django_capture_on_commit_callbacks(execute=True):
        services.membership_set_muted(consumer=consumer, vendor_id=vendor.pk, muted=True)  # refreshed after commit
    segment = VendorSegmentStat.objects.get(vendor=vendor, dimension="region", value="london")
    assert (segment.partners, segment.reachable) == (1, 0)
    assert segment.computed_at > changed_at


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_stats_two_refreshes_of_one_vendor_at_once_both_succeed():
    """The hourly reconcile of a shard and a portfolio change's refresh can meet on one vendor: the second
    waits for the first's new rows and then agrees with them, instead of failing on the unique keys."""
    vendor = VendorFactory()
    now = timezone.now()
    PartnerMembership.objects.bulk_create(
        PartnerMembership(consumer=UserFactory(), vendor=vendor, started_at=now) for _ in range(7)
    )
    first_wrote, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with transaction.atomic():
                stats_refresh_scope(scope=Scope.ids([vendor.pk]))
                first_wrote.set()
                release.wait(timeout=30)
        except BaseException as error:  # noqa: BLE001 (reported by the main thread)
            errors.append(error)
            first_wrote.set()
        finally:
            close_old_connections()
            connection.close()

    def second() -> None:
        try:
            stats_refresh_scope(scope=Scope.ids([vendor.pk]))
        except BaseException as error:  # noqa: BLE001 (reported by the main thread)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    threads[0].start()
    assert first_wrote.wait(timeout=30)
    threads[1].start()
    time.sleep(0.5)  # the second refresh is now waiting on the first's uncommitted rows
    release.set()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert stored_vendor(vendor) == expected_vendor(vendor)
    assert VendorStats.objects.get(vendor=vendor).current_partners == 7

