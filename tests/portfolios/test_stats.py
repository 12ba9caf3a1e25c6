"""The statistics equal a straightforward recount, however the portfolio changes, and survive reruns."""

from __future__ import annotations

import random

import pytest
from django.core.management import CommandError, call_command

from marketplace.accounts.models import Region
from marketplace.accounts.services import profile_update
from marketplace.kernel.sql import Scope
from portfolios import services
from portfolios.models import (
    CategoryStats,
    MarketplaceSegmentBaseline,
    PartnerMembership,
    StatsDirtyVendor,
    VendorSegmentStat,
    VendorStats,
)
from portfolios.services.stats import stats_reconcile_all, stats_refresh_scope
from portfolios.tasks import stats_reconcile_shard_task
from tests.factories import UserFactory, VendorFactory
from tests.helpers import expected_vendor, random_history, stored_vendor


@pytest.fixture
def market(db):
    consumers = [UserFactory() for _ in range(24)]
    vendors = [VendorFactory() for _ in range(3)]
    return consumers, vendors


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_stats_incremental_refresh_equals_recount_after_random_history(
    market, seed, django_capture_on_commit_callbacks, settings
):
    settings.MARKETPLACE = {**settings.MARKETPLACE, "STATS_MIN_GROUP": 3}
    consumers, vendors = market
    random_history(random.Random(seed), consumers, vendors, 220, django_capture_on_commit_callbacks)
    assert not StatsDirtyVendor.objects.exists()  # every change was refreshed after its commit
    assert PartnerMembership.objects.exists()
    for vendor in vendors:
        assert stored_vendor(vendor) == expected_vendor(vendor)


@pytest.mark.django_db
def test_stats_full_reconcile_equals_recount_and_fixes_drifted_rows(
    market, django_capture_on_commit_callbacks, settings
):
    settings.MARKETPLACE = {**settings.MARKETPLACE, "STATS_MIN_GROUP": 3, "STATS_SHARD_SIZE": 2}
    consumers, vendors = market
    random_history(random.Random(9), consumers, vendors, 150, django_capture_on_commit_callbacks)
    VendorStats.objects.update(current_partners=999, partners_ever=0)  # a drifted, wrong state
    VendorSegmentStat.objects.all().delete()
    assert stats_reconcile_all() >= 2
    for vendor in vendors:
        assert stored_vendor(vendor) == expected_vendor(vendor)
    holders = PartnerMembership.objects.active().filter(vendor__category=vendors[0].category)
    assert CategoryStats.objects.get(category=vendors[0].category).consumers_holding == (
        holders.values("consumer").distinct().count()
    )


@pytest.mark.django_db
def test_stats_task_delivered_twice_changes_nothing(market, django_capture_on_commit_callbacks):
    consumers, vendors = market
    random_history(random.Random(4), consumers, vendors, 120, django_capture_on_commit_callbacks)
    low, high = min(v.pk for v in vendors), max(v.pk for v in vendors)
    stats_reconcile_shard_task.apply(args=[low, high])
    first = [stored_vendor(v) for v in vendors]
    stats_reconcile_shard_task.apply(args=[low, high])
    assert [stored_vendor(v) for v in vendors] == first


@pytest.mark.django_db
def test_stats_segment_rows_are_never_about_fewer_than_k_consumers(db, settings, django_capture_on_commit_callbacks):
    settings.MARKETPLACE = {**settings.MARKETPLACE, "STATS_MIN_GROUP": 5}
    vendor = VendorFactory()
    london, leeds = Region.objects.get(code="london"), Region.objects.get(code="north")
    for n in range(9):
        consumer = UserFactory()
        profile_update(
            user=consumer,
            region=london if n < 6 else leeds,
            age_band="25-34",
            interests=[],
            share_region=True,
            share_age_band=n < 4,
            share_interests=False,
            weekly_promotion_cap=5,
        )
        with django_capture_on_commit_callbacks(execute=True):
            services.membership_start(consumer=consumer, vendor_id=vendor.pk)
    stats_refresh_scope(scope=Scope.ids([vendor.pk]))
    rows = {(s.dimension, s.value): s.partners for s in VendorSegmentStat.objects.filter(vendor=vendor)}
    # 3 in the north and 4 sharing an age band are suppressed; 9 share a region at all (the base for lift)
    assert rows == {("region", "london"): 6, ("region", "*"): 9}
    stats_reconcile_all()
    assert not VendorSegmentStat.objects.filter(partners__lt=5).exists()
    assert not MarketplaceSegmentBaseline.objects.filter(consumers__lt=5).exists()


@pytest.mark.django_db
def test_stats_refresh_counts_muted_partners_as_unreachable(consumer, vendor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_start(consumer=consumer, vendor_id=vendor.pk)
    assert VendorStats.objects.get(vendor=vendor).reachable_partners == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_set_muted(consumer=consumer, vendor_id=vendor.pk, muted=True)
    stats = VendorStats.objects.get(vendor=vendor)
    assert (stats.current_partners, stats.reachable_partners) == (1, 0)


@pytest.mark.django_db
def test_refresh_stats_command_refreshes_one_vendor_or_all(market):
    _, vendors = market
    call_command("refresh_stats", "--vendor", str(vendors[0].pk), verbosity=0)
    assert set(VendorStats.objects.values_list("vendor_id", flat=True)) == {vendors[0].pk}
    call_command("refresh_stats", "--full", verbosity=0)
    assert VendorStats.objects.count() == 3


@pytest.mark.django_db
def test_refresh_stats_command_refuses_bad_arguments_and_changes_nothing(market):
    _, vendors = market
    with pytest.raises(CommandError, match="No vendor with id"):
        call_command("refresh_stats", "--vendor", str(vendors[0].pk), "--vendor", "999999", verbosity=0)
    with pytest.raises(CommandError):
        call_command("refresh_stats", "--vendor", "1", "--full", verbosity=0)
    with pytest.raises(CommandError):
        call_command("refresh_stats", "--vendor", "abc", verbosity=0)
    assert not VendorStats.objects.exists()
