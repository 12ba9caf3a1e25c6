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
    """The queries of a returning visitor's GET: the header's facts are cached from their first page on."""
    client.get(url)
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


# --- The queue a page at a time ---------------------------------------------------------------------------


def _applicants(n: int, prefix: str = "Applicant") -> list[Vendor]:
    return [VendorFactory(name=f"{prefix} {i:02}", status=Vendor.Status.PENDING, approved_at=None) for i in range(n)]


def _flagged(n: int, prefix: str = "Flagged") -> None:
    for i in range(n):
        vendor = VendorFactory(name=f"{prefix} {i:02}")
        moderation.vendor_flag_raise(vendor_id=vendor.pk, kind=VendorFlag.Kind.REPORTS, details={"open_reports": 3})


@pytest.mark.django_db
def test_queue_shows_applications_twenty_five_a_page_oldest_first(client, moderator):
    # Given 30 applications waiting and a vendor already approved
    _applicants(30)
    VendorFactory(name="Already Approved")
    client.force_login(moderator)
    url = reverse("moderation:queue")

    # When a moderator opens the queue
    first = client.get(url).content.decode()

    # Then page 1 shows the oldest 25 with a Next link; page 2 the newest 5 with a Previous link
    assert "Applications waiting (30)" in first
    assert "Applicant 00" in first and "Applicant 24" in first and "Applicant 25" not in first
    assert 'rel="next"' in first and "page=2" in first and 'rel="prev"' not in first
    assert "Already Approved" not in first
    second = client.get(url, {"page": 2}).content.decode()
    assert "Applicant 25" in second and "Applicant 29" in second and "Applicant 24" not in second
    assert 'rel="prev"' in second and "Page 2 of 2" in second


@pytest.mark.django_db
def test_queue_is_only_for_moderators(client, consumer):
    _applicants(30)
    url = reverse("moderation:queue")
    assert "/accounts/login/" in client.get(url, {"page": 2})["Location"]
    client.force_login(consumer)
    assert client.get(url, {"page": 2}).status_code == 403


@pytest.mark.django_db
def test_deciding_an_application_returns_to_the_same_page(client, moderator):
    # Given a moderator on page 2 of 26 applications
    applicants = _applicants(26)
    client.force_login(moderator)
    here = reverse("moderation:queue") + "?page=2"
    page = client.get(here).content.decode()
    assert 'name="next" value="/moderation/?page=2"' in page

    # When they approve the only application on that page
    response = client.post(reverse("moderation:vendor-action", args=[applicants[25].pk, "approve"]), {"next": here})

    # Then they are sent back to page 2, which now shows the last page there is, not an error
    assert response.status_code == 302 and response["Location"] == here
    back = client.get(here)
    assert back.status_code == 200
    assert "Applications waiting (25)" in back.content.decode() and "Applicant 24" in back.content.decode()
    applicants[25].refresh_from_db()
    assert applicants[25].status == Vendor.Status.APPROVED


@pytest.mark.django_db
def test_queue_pages_early_warnings_separately_and_keeps_both_pages(client, moderator):
    # Given 30 flagged vendors and 30 applications
    _flagged(30)
    _applicants(30)
    client.force_login(moderator)
    url = reverse("moderation:queue")

    # When the moderator pages through the warnings while on page 2 of the applications
    page = client.get(url, {"page": 2}).content.decode()
    assert "Early warnings (30)" in page and "Flagged 24" in page and "Flagged 25" not in page
    assert "?page=2&amp;flags_page=2" in page  # the warnings' Next keeps the applications' page
    warnings = client.get(url, {"page": 2, "flags_page": 2}).content.decode()

    # Then they see the other warnings and still the same applications, and each list's links keep the other
    assert "Flagged 25" in warnings and "Flagged 29" in warnings and "Flagged 24" not in warnings
    assert "Applicant 25" in warnings and "Applicant 24" not in warnings
    assert "flags_page=2&amp;page=1" in warnings

    # And clearing a flag from there returns to the same pages
    flag = VendorFlag.objects.get(vendor__name="Flagged 27")
    here = url + "?page=2&flags_page=2"
    assert f'name="next" value="{url}?page=2&amp;flags_page=2"' in warnings
    response = client.post(reverse("moderation:flag-clear", args=[flag.pk]), {"next": here})
    assert response.status_code == 302 and response["Location"] == here
    assert "Early warnings (29)" in client.get(here).content.decode()


@pytest.mark.django_db
def test_queue_runs_the_same_queries_for_30_rows_as_for_60(client, moderator):
    client.force_login(moderator)
    url = reverse("moderation:queue")
    _flagged(30, "A")
    _applicants(30, "A")
    few = [_queries(client, url), _queries(client, url + "?page=2&flags_page=2")]
    _flagged(30, "B")
    _applicants(30, "B")
    assert [_queries(client, url), _queries(client, url + "?page=2&flags_page=2")] == few


@pytest.mark.django_db
def test_the_header_links_moderators_to_the_queue_and_owners_to_their_shop(client, moderator):
    shopper, owner = UserFactory(), VendorFactory().owner
    seen = {}
    for name, user in {"moderator": moderator, "shopper": shopper, "owner": owner}.items():
        client.force_login(user)
        seen[name] = client.get("/vendors/").content.decode()
    queue_link = f'<a href="{reverse("moderation:queue")}">Moderation</a>'
    assert queue_link in seen["moderator"]
    assert queue_link not in seen["shopper"] and queue_link not in seen["owner"]
    assert ">Your shop</a>" in seen["owner"] and ">Sell</a>" in seen["shopper"]


@pytest.mark.django_db
def test_queue_cards_carry_each_moderators_own_token_and_show_an_edited_application(moderator):
    import re

    from django.contrib.auth.models import Group
    from django.test import Client

    from marketplace.accounts.models import MODERATORS_GROUP

    second = UserFactory()
    second.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    applicant = VendorFactory(status=Vendor.Status.PENDING, approved_at=None, description="Fresh veg")
    pages, clients = [], []
    for user in (moderator, second):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        clients.append(client)
        pages.append(client.get(reverse("moderation:queue")).content.decode())
    assert all("Fresh veg" in page and "__csrf_token__" not in page for page in pages)
    tokens = [re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[0] for page in pages]
    assert tokens[0] != tokens[1]

    from vendors.services.application import vendor_application_resubmit

    vendor_application_resubmit(  # the applicant corrects their application
        owner=applicant.owner,
        name=applicant.name,
        description="Fresh veg and eggs",
        category=applicant.category,
        regions=[],
        contact_email="grower@example.com",
    )
    assert "Fresh veg and eggs" in clients[0].get(reverse("moderation:queue")).content.decode()
    approve = reverse("moderation:vendor-action", args=[applicant.pk, "approve"])
    assert clients[1].post(approve, {"csrfmiddlewaretoken": tokens[1]}).status_code == 302
    applicant.refresh_from_db()
    assert applicant.status == Vendor.Status.APPROVED


@pytest.mark.django_db
def test_reports_show_twenty_five_vendors_a_page_and_closing_one_returns_to_the_same_page(client, moderator):
    # Given 26 vendors with one open report each
    reported = [VendorFactory(name=f"Reported {i:02}") for i in range(26)]
    for vendor in reported:
        moderation.report_create(reporter=UserFactory(), vendor_id=vendor.pk, reason="fraud", text="")
    client.force_login(moderator)
    url = reverse("moderation:reports")

    # When the moderator opens the reports, then page 2
    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()

    # Then page 1 shows 25 vendors with a Next link and page 2 the last one
    assert "26 vendors with open reports" in first
    assert "Reported 00" in first and "Reported 24" in first and "Reported 25" not in first
    assert 'rel="next"' in first and "page=2" in first
    assert "Reported 25" in second and "Reported 24" not in second and "Page 2 of 2" in second
    here = url + "?page=2"
    assert f'name="next" value="{here}"' in second

    # And resolving the only report on page 2 returns there, which now shows the last page there is
    report = VendorReport.objects.get(vendor=reported[25])
    response = client.post(
        reverse("moderation:report-close", args=[report.pk, "resolve"]), {"note": "Checked", "next": here}
    )
    assert response.status_code == 302 and response["Location"] == here
    back = client.get(here)
    assert back.status_code == 200
    assert "25 vendors with open reports" in back.content.decode() and "Reported 24" in back.content.decode()
    report.refresh_from_db()
    assert report.status == VendorReport.Status.RESOLVED
