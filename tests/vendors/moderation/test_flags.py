"""Early warning: flags raised from reports and the statistics table, cleared when the figures drop."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from portfolios.models import VendorDailyStat
from portfolios.services.flags import vendor_flags_scan
from portfolios.tasks import vendor_flags_scan_task
from tests.factories import UserFactory
from vendors.models import VendorFlag
from vendors.moderation import services as moderation


@pytest.fixture
def moderator(reference_data):
    user = UserFactory(email="flag-mod@test.example")
    user.groups.add(reference_data)
    return user


def _open_flags(vendor) -> list[tuple[str, dict]]:  # type: ignore[no-untyped-def]
    return list(VendorFlag.objects.filter(vendor=vendor, cleared_at__isnull=True).values_list("kind", "details"))


def _daily(vendor, days_ago: int, ends: int) -> None:  # type: ignore[no-untyped-def]
    VendorDailyStat.objects.create(
        vendor=vendor,
        day=timezone.localdate() - timedelta(days=days_ago),
        adds=0,
        ends=ends,
        net=-ends,
        computed_at=timezone.now(),
    )


@pytest.mark.django_db
def test_report_create_raises_reports_flag_at_three_and_resolving_clears_it(vendor, moderator):
    reports = [
        moderation.report_create(reporter=UserFactory(), vendor_id=vendor.pk, reason="fraud", text="") for _ in range(3)
    ]
    assert _open_flags(vendor) == [(VendorFlag.Kind.REPORTS, {"open_reports": 3})]
    moderation.report_dismiss(moderator=moderator, report_id=reports[0].pk, note="Duplicate")
    assert _open_flags(vendor) == []


@pytest.mark.django_db
def test_vendor_flags_scan_ignores_a_vendor_at_its_usual_rate(vendor):
    # Given a vendor that loses about six partners a week, every week
    for days_ago in range(1, 63):
        _daily(vendor, days_ago, ends=1)
    # when the scan runs, then nothing is flagged
    vendor_flags_scan_task.delay()
    assert _open_flags(vendor) == []


@pytest.mark.django_db
def test_vendor_flags_scan_clears_spike_once_it_leaves_the_window(vendor):
    _daily(vendor, 2, ends=8)
    vendor_flags_scan()
    assert _open_flags(vendor)[0][1]["ended_last_7_days"] == 8
    # Nine days later the spike is history, not news.
    vendor_flags_scan(today=timezone.localdate() + timedelta(days=9))
    assert _open_flags(vendor) == []


@pytest.mark.django_db
def test_vendor_flag_clear_by_moderator_snoozes_scan_until_figures_grow(vendor, moderator):
    _daily(vendor, 1, ends=6)
    vendor_flags_scan()
    flag = VendorFlag.objects.get(vendor=vendor, cleared_at__isnull=True)
    moderation.vendor_flag_clear(flag_id=flag.pk, moderator=moderator)
    vendor_flags_scan()
    assert _open_flags(vendor) == []
    _daily(vendor, 2, ends=4)
    vendor_flags_scan()
    assert [details["ended_last_7_days"] for _, details in _open_flags(vendor)] == [10]


@pytest.mark.django_db
def test_vendor_flag_clear_refused_to_non_moderators(vendor, consumer):
    from marketplace.kernel.errors import ForbiddenError

    flag = moderation.vendor_flag_raise(vendor_id=vendor.pk, kind=VendorFlag.Kind.REPORTS, details={})
    with pytest.raises(ForbiddenError):
        moderation.vendor_flag_clear(flag_id=flag.pk, moderator=consumer)
    assert _open_flags(vendor) == [(VendorFlag.Kind.REPORTS, {})]
