"""Races against PostgreSQL: a double-clicked decision or report counts once."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from marketplace.kernel.errors import ConflictError
from tests.factories import UserFactory, VendorFactory
from vendors.models import ModerationAction, Vendor, VendorReport
from vendors.moderation import services as moderation


def _race(work: Callable[[], object], times: int = 2) -> list[str]:
    outcomes: list[str] = []
    barrier = threading.Barrier(times)

    def run() -> None:
        try:
            barrier.wait()
            work()
            outcomes.append("ok")
        except ConflictError:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_vendor_approve_twice_at_once_writes_one_audit_row(reference_data):
    moderators = [UserFactory(), UserFactory()]
    for user in moderators:
        user.groups.add(reference_data)
    applicant = VendorFactory(status=Vendor.Status.PENDING, approved_at=None)
    turn = iter(moderators)
    outcomes = _race(lambda: moderation.vendor_approve(moderator=next(turn), vendor_id=applicant.pk))
    assert outcomes == ["conflict", "ok"]
    assert ModerationAction.objects.filter(vendor=applicant).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_report_create_double_submit_files_one_report():
    reporter = UserFactory()
    vendor = VendorFactory()
    outcomes = _race(
        lambda: moderation.report_create(reporter=reporter, vendor_id=vendor.pk, reason="fraud", text="Twice")
    )
    assert outcomes == ["conflict", "ok"]
    assert VendorReport.objects.filter(reporter=reporter, vendor=vendor).count() == 1
