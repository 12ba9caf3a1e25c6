"""Moderation pages: constant queries whatever the data, and bad input answered with a message, never a 500."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import UserFactory, VendorFactory
from vendors.models import ModerationAction, Vendor, VendorFlag, VendorReport
from vendors.moderation import services as moderation


@pytest.fixture
def moderator(reference_data):
    user = UserFactory(email="page-mod@test.example")
    user.groups.add(reference_data)
    return user


def _grow(n: int, moderator, busy: Vendor) -> None:  # type: ignore[no-untyped-def]
    """Add n of everything a moderation page lists, and n more reports and audit rows on `busy`."""
    for _ in range(n):
        VendorFactory(status=Vendor.Status.PENDING, approved_at=None)
        reported = VendorFactory()
        for _ in range(2):
            moderation.report_create(reporter=UserFactory(), vendor_id=reported.pk, reason="fraud", text="")
        moderation.report_create(reporter=UserFactory(), vendor_id=busy.pk, reason="abuse", text="")
        moderation.vendor_flag_raise(vendor_id=reported.pk, kind=VendorFlag.Kind.REPORTS, details={"open_reports": 2})
        moderation.vendor_suspend(moderator=moderator, vendor_id=reported.pk, reason="Checks")
        moderation.vendor_reinstate(moderator=moderator, vendor_id=reported.pk, reason="Fine")
        moderation.vendor_suspend(moderator=moderator, vendor_id=busy.pk, reason="Checks")
        moderation.vendor_reinstate(moderator=moderator, vendor_id=busy.pk, reason="Fine")


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_moderation_pages_run_constant_queries_whatever_the_rows(client, moderator):
    client.force_login(moderator)
    busy = VendorFactory()
    moderation.vendor_flag_raise(vendor_id=busy.pk, kind=VendorFlag.Kind.ENDINGS_SPIKE, details={})
    _grow(2, moderator, busy)
    urls = [
        reverse("moderation:queue"),
        reverse("moderation:vendor-list"),
        reverse("moderation:reports"),
        reverse("moderation:audit"),
        reverse("moderation:vendor-detail", args=[busy.pk]),
    ]
    few = [_queries(client, url) for url in urls]
    _grow(6, moderator, busy)
    assert [_queries(client, url) for url in urls] == few


@pytest.mark.django_db
def test_flag_list_api_runs_constant_queries(moderator):
    api = APIClient()
    api.force_authenticate(moderator)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert api.get("/api/v1/moderation/flags/", {"page_size": 100}).status_code == 200
        return len(ctx.captured_queries)

    busy = VendorFactory()
    _grow(1, moderator, busy)
    few = count()
    _grow(5, moderator, busy)
    assert count() == few


@pytest.mark.django_db
def test_vendor_action_overlong_reason_is_refused_with_a_message(client, moderator, vendor):
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:vendor-action", args=[vendor.pk, "suspend"]), {"reason": "x" * 2001}, follow=True
    )
    assert response.status_code == 200 and "at most 2000 characters" in response.content.decode()
    vendor.refresh_from_db()
    assert vendor.status == Vendor.Status.APPROVED and not ModerationAction.objects.exists()


@pytest.mark.django_db
def test_vendor_action_on_wrong_state_shows_why(client, moderator, vendor):
    client.force_login(moderator)
    response = client.post(reverse("moderation:vendor-action", args=[vendor.pk, "approve"]), follow=True)
    assert "not waiting for approval" in response.content.decode()
    assert client.post(reverse("moderation:vendor-action", args=[vendor.pk, "obliterate"])).status_code == 404
    missing = client.post(reverse("moderation:vendor-action", args=[999999, "suspend"]), {"reason": "x"})
    assert missing.status_code == 404  # NotFoundError from the service is a 404 on every page
    assert not ModerationAction.objects.exists()


@pytest.mark.django_db
def test_vendor_action_ignores_a_redirect_outside_moderation(client, moderator, vendor):
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:vendor-action", args=[vendor.pk, "suspend"]),
        {"reason": "Fraud", "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("moderation:queue")


@pytest.mark.django_db
def test_report_close_without_note_is_refused(client, moderator, consumer, vendor):
    report = moderation.report_create(reporter=consumer, vendor_id=vendor.pk, reason="fraud", text="")
    client.force_login(moderator)
    response = client.post(reverse("moderation:report-close", args=[report.pk, "dismiss"]), {"note": ""}, follow=True)
    assert "Give a reason" in response.content.decode()
    report.refresh_from_db()
    assert report.status == VendorReport.Status.OPEN and not ModerationAction.objects.exists()


@pytest.mark.django_db
def test_audit_log_bad_filters_show_errors_and_no_rows(client, moderator, vendor):
    moderation.vendor_suspend(moderator=moderator, vendor_id=vendor.pk, reason="Complaints")
    client.force_login(moderator)
    bad_date = client.get(reverse("moderation:audit"), {"date_from": "someday"})
    assert bad_date.status_code == 200 and "Enter a valid date" in bad_date.content.decode()
    reversed_dates = client.get(reverse("moderation:audit"), {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    page = reversed_dates.content.decode()
    assert "end date is before the start date" in page and "Complaints" not in page


@pytest.mark.django_db
def test_report_page_needs_login_and_a_vendor_in_the_marketplace(client, consumer, vendor):
    url = reverse("moderation:report", args=[vendor.slug])
    assert "/accounts/login/" in client.get(url)["Location"]
    client.force_login(consumer)
    assert client.get(url).status_code == 200
    pending = VendorFactory(status=Vendor.Status.PENDING, approved_at=None)
    assert client.get(reverse("moderation:report", args=[pending.slug])).status_code == 404
    bad = client.post(url, {"reason": "bored"})
    assert bad.status_code == 400 and not VendorReport.objects.exists()


@pytest.mark.django_db
def test_vendor_page_links_to_report_form_for_signed_in_users(client, consumer, vendor):
    report_url = reverse("moderation:report", args=[vendor.slug])
    assert report_url not in client.get(vendor.get_absolute_url()).content.decode()
    client.force_login(consumer)
    assert report_url in client.get(vendor.get_absolute_url()).content.decode()
