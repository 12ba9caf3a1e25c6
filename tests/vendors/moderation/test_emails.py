"""Reporters hear what happened to their report: one e-mail per event, in text and HTML, sent after the commit;
the vendor gets the moderator's note too."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory
from tests.helpers import outbox_html, outbox_to
from vendors.models import VendorReport
from vendors.moderation import services as moderation


@pytest.mark.django_db
def test_report_create_acknowledges_the_report_to_its_reporter(consumer, vendor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        moderation.report_create(reporter=consumer, vendor_id=vendor.pk, reason="not_delivered", text="Nothing came.")
    (message,) = mail.outbox
    assert message.to == [consumer.email]
    assert message.subject == "Your report on Bean There is with the moderators"
    assert "order not delivered" in message.body and "Nothing came." in message.body
    assert "Nothing came." in outbox_html(message)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("outcome", "status", "wording"),
    [("resolve", "resolved", "acted on it"), ("dismiss", "dismissed", "dismissed it")],
)
def test_report_close_mails_the_reporter_and_the_vendor_the_note(
    client, consumer, vendor, moderator, outcome, status, wording, django_capture_on_commit_callbacks
):
    report = moderation.report_create(reporter=consumer, vendor_id=vendor.pk, reason="fraud", text="")
    mail.outbox.clear()
    client.force_login(moderator)
    reports_page = client.get(reverse("moderation:reports"))
    assert b"Sent to the vendor and the reporter" in reports_page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("moderation:report-close", args=[report.pk, outcome]), {"note": "We spoke to the vendor."}
        )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == status
    (to_reporter,) = outbox_to(consumer.email)
    (to_vendor,) = outbox_to(vendor.owner.email)
    assert to_reporter.subject == f"Your report on Bean There: {status}"
    assert wording in to_reporter.body
    assert "Moderator's note: We spoke to the vendor." in to_reporter.body
    assert "We spoke to the vendor." in outbox_html(to_reporter)
    assert "We spoke to the vendor." in to_vendor.body


@pytest.mark.django_db
def test_report_close_of_a_deleted_reporter_mails_only_the_vendor(
    vendor, moderator, django_capture_on_commit_callbacks
):
    reporter = UserFactory(email="gone@test.example")
    report = moderation.report_create(reporter=reporter, vendor_id=vendor.pk, reason="fraud", text="")
    reporter.delete()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.report_dismiss(moderator=moderator, report_id=report.pk, note="Nothing found.")
    assert [m.to for m in mail.outbox] == [[vendor.owner.email]]
    assert VendorReport.objects.get(pk=report.pk).status == VendorReport.Status.DISMISSED
