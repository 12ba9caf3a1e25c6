"""The moderators' API and the consumers' report endpoint: same services, same rules, one error shape."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.factories import UserFactory, VendorFactory
from vendors.models import ModerationAction, Vendor, VendorFlag, VendorReport
from vendors.moderation import services as moderation


@pytest.fixture
def moderator(reference_data):
    user = UserFactory(email="api-mod@test.example")
    user.groups.add(reference_data)
    return user


@pytest.fixture
def mod_api(moderator) -> APIClient:
    api = APIClient()
    api.force_authenticate(moderator)
    return api


@pytest.fixture
def consumer_api(consumer) -> APIClient:
    api = APIClient()
    api.force_authenticate(consumer)
    return api


@pytest.mark.django_db
def test_report_create_api_files_one_open_report_per_consumer(consumer_api, vendor, consumer):
    # Given an approved vendor, when a consumer reports it twice through the API
    url = f"/api/v1/moderation/report/{vendor.slug}/"
    first = consumer_api.post(url, {"reason": "not_delivered", "text": "Never came"}, format="json")
    second = consumer_api.post(url, {"reason": "fraud"}, format="json")
    # then the first is filed and the second is a conflict, leaving one open report
    assert first.status_code == 201 and first.json()["status"] == "open"
    assert second.status_code == 409 and "already have an open report" in second.json()["detail"]
    assert VendorReport.objects.filter(reporter=consumer, vendor=vendor).count() == 1


@pytest.mark.django_db
def test_report_create_api_bad_input_answers_400_with_field_errors(consumer_api, vendor):
    response = consumer_api.post(
        f"/api/v1/moderation/report/{vendor.slug}/", {"reason": "bored", "text": "x" * 2001}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"reason", "text"}
    assert not VendorReport.objects.exists()


@pytest.mark.django_db
def test_report_create_api_unknown_or_pending_vendor_answers_404(consumer_api):
    pending = VendorFactory(status=Vendor.Status.PENDING, approved_at=None)
    assert consumer_api.post("/api/v1/moderation/report/nobody/", {"reason": "fraud"}).status_code == 404
    assert consumer_api.post(f"/api/v1/moderation/report/{pending.slug}/", {"reason": "fraud"}).status_code == 404


@pytest.mark.django_db
def test_report_create_api_refuses_own_vendor_and_anonymous(vendor):
    owner_api = APIClient()
    owner_api.force_authenticate(vendor.owner)
    url = f"/api/v1/moderation/report/{vendor.slug}/"
    assert owner_api.post(url, {"reason": "fraud"}, format="json").status_code == 409
    assert APIClient().post(url, {"reason": "fraud"}, format="json").status_code in (401, 403)
    assert not VendorReport.objects.exists()


@pytest.mark.django_db
def test_report_resolve_api_needs_a_note_then_closes_once(
    mod_api, consumer, vendor, mailoutbox, django_capture_on_commit_callbacks
):
    report = moderation.report_create(reporter=consumer, vendor_id=vendor.pk, reason="fraud", text="")
    url = f"/api/v1/moderation/reports/{report.pk}/resolve/"
    missing = mod_api.post(url, {"note": ""}, format="json")
    assert missing.status_code == 400 and "note" in missing.json()
    with django_capture_on_commit_callbacks(execute=True):
        done = mod_api.post(url, {"note": "Refund arranged"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "resolved"
    again = mod_api.post(f"/api/v1/moderation/reports/{report.pk}/dismiss/", {"note": "late"}, format="json")
    assert again.status_code == 409
    assert ModerationAction.objects.filter(kind=ModerationAction.Kind.REPORT_RESOLVED).count() == 1
    assert sorted(m.to[0] for m in mailoutbox) == sorted([vendor.owner.email, consumer.email])  # vendor, reporter


@pytest.mark.django_db
def test_report_list_api_filters_open_reports(mod_api, consumer, other_consumer, vendor, moderator):
    open_report = moderation.report_create(reporter=consumer, vendor_id=vendor.pk, reason="fraud", text="")
    closed = moderation.report_create(reporter=other_consumer, vendor_id=vendor.pk, reason="abuse", text="")
    moderation.report_dismiss(moderator=moderator, report_id=closed.pk, note="Unfounded")
    ids = [r["id"] for r in mod_api.get("/api/v1/moderation/reports/", {"status": "open"}).json()["results"]]
    assert ids == [open_report.pk]


@pytest.mark.django_db
def test_moderation_api_unknown_objects_answer_404(mod_api):
    assert mod_api.post("/api/v1/moderation/vendors/999999/suspend/", {"reason": "x"}).status_code == 404
    assert mod_api.post("/api/v1/moderation/reports/999999/resolve/", {"note": "x"}).status_code == 404
    assert mod_api.post("/api/v1/moderation/flags/999999/clear/").status_code == 404


@pytest.mark.django_db
def test_vendor_reject_api_reason_reaches_the_applicant(mod_api, mailoutbox, django_capture_on_commit_callbacks):
    applicant = VendorFactory(status=Vendor.Status.PENDING, approved_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        response = mod_api.post(
            f"/api/v1/moderation/vendors/{applicant.pk}/reject/", {"reason": "Add a contact address"}, format="json"
        )
    assert response.status_code == 200
    assert response.json()["status"] == "rejected" and response.json()["status_reason"] == "Add a contact address"
    assert "Add a contact address" in mailoutbox[0].body


@pytest.mark.django_db
def test_moderation_vendor_list_api_filters_by_status_and_search(mod_api):
    VendorFactory(name="Open Oranges")
    suspended = VendorFactory(name="Shut Shoes", status=Vendor.Status.SUSPENDED)
    by_status = mod_api.get("/api/v1/moderation/vendors/", {"status": "suspended"}).json()["results"]
    assert [v["slug"] for v in by_status] == [suspended.slug]
    by_search = mod_api.get("/api/v1/moderation/vendors/", {"q": "orang"}).json()["results"]
    assert [v["name"] for v in by_search] == ["Open Oranges"]
    assert mod_api.get("/api/v1/moderation/vendors/", {"status": "banished"}).status_code == 400


@pytest.mark.django_db
def test_flag_list_api_shows_figures_and_clear_removes_it(mod_api, vendor):
    flag = moderation.vendor_flag_raise(vendor_id=vendor.pk, kind=VendorFlag.Kind.REPORTS, details={"open_reports": 4})
    listed = mod_api.get("/api/v1/moderation/flags/").json()["results"]
    assert [(f["vendor"], f["details"]["open_reports"]) for f in listed] == [(vendor.slug, 4)]
    assert mod_api.post(f"/api/v1/moderation/flags/{flag.pk}/clear/").status_code == 200
    assert mod_api.get("/api/v1/moderation/flags/").json()["results"] == []


@pytest.mark.django_db
def test_audit_api_filters_and_rejects_bad_dates(mod_api, moderator):
    a = VendorFactory(name="Alpha Co", status=Vendor.Status.PENDING, approved_at=None)
    b = VendorFactory(name="Beta Co")
    moderation.vendor_approve(moderator=moderator, vendor_id=a.pk)
    moderation.vendor_suspend(moderator=moderator, vendor_id=b.pk, reason="Complaints")
    rows = mod_api.get("/api/v1/moderation/audit/", {"kind": "suspend"}).json()["results"]
    assert [(r["vendor"], r["reason"], r["moderator"]) for r in rows] == [(b.slug, "Complaints", moderator.email)]
    rows = mod_api.get("/api/v1/moderation/audit/", {"moderator": moderator.pk, "vendor": "alpha"}).json()["results"]
    assert [r["kind"] for r in rows] == ["approve"]
    bad = mod_api.get("/api/v1/moderation/audit/", {"date_from": "yesterday"})
    assert bad.status_code == 400 and "date_from" in bad.json()
