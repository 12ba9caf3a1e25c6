"""Moderation: only moderators act, every action is audited and notified, suspension hides a vendor everywhere."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from marketplace.shop.exceptions import CheckoutRefused
from marketplace.shop.services import cart_add, checkout_place
from portfolios.models import PartnerMembership, VendorDailyStat
from portfolios.services import membership_start
from portfolios.services.flags import vendor_flags_scan
from promotions.models import Promotion
from tests.factories import ProductFactory, UserFactory, VendorFactory
from vendors.models import ModerationAction, Vendor, VendorFlag, VendorReport
from vendors.moderation import services as moderation


@pytest.fixture
def moderator(db):
    user = UserFactory(email="mod@test.example", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def pending(db):
    return VendorFactory(name="Pending Pies", status=Vendor.Status.PENDING, approved_at=None)


MODERATION_PAGES = ["moderation:queue", "moderation:vendor-list", "moderation:reports", "moderation:audit"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", MODERATION_PAGES)
def test_moderation_pages_only_for_moderators(client, moderator, consumer, vendor, name):
    url = reverse(name)
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    for user in (consumer, vendor.owner):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(moderator)
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_moderation_actions_refused_to_consumers_change_nothing(client, consumer, pending):
    client.force_login(consumer)
    response = client.post(reverse("moderation:vendor-action", args=[pending.pk, "approve"]))
    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.status == Vendor.Status.PENDING and not ModerationAction.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "action", "reason", "end"),
    [
        (Vendor.Status.PENDING, "approve", "", Vendor.Status.APPROVED),
        (Vendor.Status.PENDING, "reject", "Incomplete business details", Vendor.Status.REJECTED),
        (Vendor.Status.APPROVED, "suspend", "Repeated non-delivery", Vendor.Status.SUSPENDED),
        (Vendor.Status.SUSPENDED, "reinstate", "Deliveries fixed", Vendor.Status.APPROVED),
    ],
)
def test_moderation_action_writes_one_audit_row_and_one_email(
    client, moderator, mailoutbox, start, action, reason, end, django_capture_on_commit_callbacks
):
    vendor = VendorFactory(status=start)
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("moderation:vendor-action", args=[vendor.pk, action]), {"reason": reason})
    vendor.refresh_from_db()
    assert vendor.status == end
    audit = ModerationAction.objects.get()
    assert (audit.moderator, audit.vendor, audit.kind, audit.reason) == (moderator, vendor, action, reason)
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [vendor.owner.email]


@pytest.mark.django_db
def test_moderation_reject_without_reason_is_refused(client, moderator, pending):
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:vendor-action", args=[pending.pk, "reject"]), {"reason": ""}, follow=True
    )
    assert "Give a reason" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Vendor.Status.PENDING and not ModerationAction.objects.exists()


@pytest.mark.django_db
def test_suspended_vendor_invisible_everywhere_and_not_purchasable(
    client, consumer, moderator, vendor, django_capture_on_commit_callbacks
):
    product = ProductFactory(vendor=vendor, name="Hidden Blend")
    membership_start(consumer=consumer, vendor_id=vendor.pk)
    now = timezone.now()
    ad = Promotion.objects.create(
        vendor=vendor,
        title="Loud ad",
        kind=Promotion.Kind.PUBLIC,
        discount_value=5,
        starts_at=now,
        ends_at=now + timedelta(days=2),
        state=Promotion.State.RUNNING,
    )
    cart_add(consumer=consumer, product_id=product.pk)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.vendor_suspend(moderator=moderator, vendor_id=vendor.pk, reason="Fraud")

    pages = [reverse("shop:home"), reverse("shop:vendor-list"), reverse("shop:search") + "?q=hidden"]
    for url in pages:
        assert vendor.name not in client.get(url).content.decode() and "Loud ad" not in client.get(url).content.decode()
    assert client.get(vendor.get_absolute_url()).status_code == 404
    assert client.get(product.get_absolute_url()).status_code == 404
    api = APIClient()
    assert vendor.slug not in str(api.get("/api/v1/vendors/").json())
    assert "Hidden Blend" not in str(api.get("/api/v1/products/").json())
    with pytest.raises(CheckoutRefused, match="not selling"):
        checkout_place(consumer=consumer, idempotency_key="s", ship_to_name="a", ship_to_address="b")
    ad.refresh_from_db()
    assert ad.state == Promotion.State.PAUSED
    # Rule 1: the membership stays, shown as suspended in the consumer's portfolio.
    assert PartnerMembership.objects.active().filter(consumer=consumer, vendor=vendor).exists()
    client.force_login(consumer)
    assert "Suspended" in client.get(reverse("portfolios:portfolio")).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        moderation.vendor_reinstate(moderator=moderator, vendor_id=vendor.pk, reason="Cleared")
    assert client.get(vendor.get_absolute_url()).status_code == 200
    ad.refresh_from_db()
    assert ad.state == Promotion.State.RUNNING


@pytest.mark.django_db
def test_report_create_one_open_report_per_consumer_then_moderator_resolves(
    client, consumer, moderator, vendor, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(consumer)
    url = reverse("moderation:report", args=[vendor.slug])
    assert client.post(url, {"reason": "not_delivered", "text": "Never came"}).status_code == 302
    again = client.post(url, {"reason": "fraud"})
    assert again.status_code == 400 and "already have an open report" in again.content.decode()
    assert VendorReport.objects.count() == 1
    client.force_login(moderator)
    page = client.get(reverse("moderation:reports")).content.decode()
    assert vendor.name in page and "1 open report" in page
    report = VendorReport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("moderation:report-close", args=[report.pk, "resolve"]), {"note": "Refund arranged"})
    report.refresh_from_db()
    assert report.status == VendorReport.Status.RESOLVED
    assert ModerationAction.objects.get().kind == ModerationAction.Kind.REPORT_RESOLVED
    # The vendor and the reporter each hear the outcome once.
    assert sorted(m.to[0] for m in mailoutbox) == sorted([vendor.owner.email, consumer.email])


@pytest.mark.django_db
def test_vendor_flags_scan_flags_spike_in_endings_at_top_of_queue(client, moderator, vendor):
    calm = VendorFactory(name="Calm Candles")
    today = timezone.localdate()
    now = timezone.now()
    VendorDailyStat.objects.create(
        vendor=vendor, day=today - timedelta(days=1), adds=0, ends=9, net=-9, computed_at=now
    )
    VendorDailyStat.objects.create(
        vendor=vendor, day=today - timedelta(days=30), adds=5, ends=1, net=4, computed_at=now
    )
    vendor_flags_scan()
    flag = VendorFlag.objects.get(vendor=vendor)
    assert flag.kind == VendorFlag.Kind.ENDINGS_SPIKE and flag.details["ended_last_7_days"] == 9
    client.force_login(moderator)
    page = client.get(reverse("moderation:queue")).content.decode()
    assert "9 partnerships ended in the last 7 days" in page
    assert page.index(vendor.name) < page.index("Applications waiting")
    assert "Early warnings (1)" in page and calm.name not in page
    vendor_flags_scan()
    assert VendorFlag.objects.filter(vendor=vendor, cleared_at__isnull=True).count() == 1


@pytest.mark.django_db
def test_admin_bulk_actions_write_audit_rows(client, moderator, mailoutbox, django_capture_on_commit_callbacks):
    vendors = [VendorFactory(status=Vendor.Status.PENDING) for _ in range(3)]
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:vendors_vendor_changelist"),
            {
                "action": "approve_selected_vendors",
                "_selected_action": [v.pk for v in vendors],
                "reason": "",
            },
        )
    assert response.status_code == 302
    assert set(Vendor.objects.filter(pk__in=[v.pk for v in vendors]).values_list("status", flat=True)) == {"approved"}
    assert ModerationAction.objects.filter(kind="approve").count() == 3 and len(mailoutbox) == 3


@pytest.mark.django_db
def test_audit_log_filters_by_kind_and_vendor(client, moderator):
    a, b = VendorFactory(name="Alpha Co", status="pending"), VendorFactory(name="Beta Co")
    moderation.vendor_approve(moderator=moderator, vendor_id=a.pk)
    moderation.vendor_suspend(moderator=moderator, vendor_id=b.pk, reason="Complaints")
    client.force_login(moderator)
    page = client.get(reverse("moderation:audit"), {"kind": "suspend"}).content.decode()
    assert "Beta Co" in page and "Alpha Co" not in page
    page = client.get(reverse("moderation:audit"), {"vendor": "alpha"}).content.decode()
    assert "Alpha Co" in page and "Beta Co" not in page


@pytest.mark.django_db
def test_moderation_api_refuses_non_moderators_and_requires_reasons(moderator, consumer, pending, vendor):
    api = APIClient()
    assert api.get("/api/v1/moderation/queue/").status_code == 401
    api.force_authenticate(consumer)
    assert api.get("/api/v1/moderation/queue/").status_code == 403
    assert api.post(f"/api/v1/moderation/vendors/{pending.pk}/approve/").status_code == 403
    api.force_authenticate(moderator)
    assert [v["slug"] for v in api.get("/api/v1/moderation/queue/").json()["results"]] == [pending.slug]
    refused = api.post(f"/api/v1/moderation/vendors/{vendor.pk}/suspend/", {"reason": ""}, format="json")
    assert refused.status_code == 400 and "reason" in refused.json()
    assert api.post(f"/api/v1/moderation/vendors/{pending.pk}/approve/").json()["status"] == "approved"
    assert api.get("/api/v1/moderation/audit/").json()["results"][0]["kind"] == "approve"
    conflict = api.post(f"/api/v1/moderation/vendors/{pending.pk}/approve/")
    assert conflict.status_code == 409
