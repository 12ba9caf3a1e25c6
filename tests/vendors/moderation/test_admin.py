"""Admin bulk actions go through the moderation services: audit rows, reasons, refusals."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import UserFactory, VendorFactory
from vendors.models import ModerationAction, Vendor


@pytest.fixture
def moderator(reference_data):
    user = UserFactory(email="admin-mod@test.example", is_staff=True)
    user.groups.add(reference_data)
    return user


def _bulk(client, action: str, vendors: list[Vendor], reason: str):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("admin:vendors_vendor_changelist"),
        {"action": action, "_selected_action": [v.pk for v in vendors], "reason": reason},
        follow=True,
    )


@pytest.mark.django_db
def test_admin_bulk_suspend_records_the_reason_for_each_vendor(client, moderator):
    vendors = [VendorFactory() for _ in range(2)]
    client.force_login(moderator)
    response = _bulk(client, "suspend_selected_vendors", vendors, "Counterfeit goods")
    assert "Suspend selected vendors: 2 done." in response.content.decode()
    rows = ModerationAction.objects.filter(kind=ModerationAction.Kind.SUSPEND)
    assert sorted(rows.values_list("vendor_id", "reason")) == sorted((v.pk, "Counterfeit goods") for v in vendors)
    assert set(Vendor.objects.filter(pk__in=[v.pk for v in vendors]).values_list("status", flat=True)) == {
        Vendor.Status.SUSPENDED
    }


@pytest.mark.django_db
def test_admin_bulk_suspend_without_reason_changes_nothing_and_says_why(client, moderator):
    vendor = VendorFactory(name="Quiet Quills")
    client.force_login(moderator)
    response = _bulk(client, "suspend_selected_vendors", [vendor], "")
    assert "Quiet Quills: Give a reason" in response.content.decode()
    vendor.refresh_from_db()
    assert vendor.status == Vendor.Status.APPROVED and not ModerationAction.objects.exists()


@pytest.mark.django_db
def test_admin_vendor_form_keeps_status_read_only(client, moderator):
    vendor = VendorFactory()
    client.force_login(moderator)
    page = client.get(reverse("admin:vendors_vendor_change", args=[vendor.pk])).content.decode()
    assert 'name="status"' not in page
