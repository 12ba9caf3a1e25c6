"""Handing a vendor to another account happens only through vendor_owner_transfer: a moderator, a reason,
one audit row, and from then on the new owner (not the previous one) runs the workspace."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from marketplace.kernel.errors import ConflictError, ForbiddenError
from tests.factories import UserFactory, VendorFactory
from vendors.models import ModerationAction, Vendor
from vendors.moderation.services import vendor_owner_transfer


@pytest.fixture
def moderator(reference_data):
    user = UserFactory(email="transfer-mod@test.example", is_staff=True)
    user.groups.add(reference_data)
    return user


@pytest.fixture
def vendor():
    owner = UserFactory(email="seller@test.example")
    return VendorFactory(name="Old Mill Bakery", owner=owner, contact_email="seller@test.example")


@pytest.mark.django_db
def test_vendor_owner_transfer_hands_the_workspace_over_with_one_audit_row(
    moderator, vendor, client, mailoutbox, django_capture_on_commit_callbacks
):
    previous_owner = vendor.owner
    buyer_of_the_business = UserFactory(email="Buyer@Test.example")

    with django_capture_on_commit_callbacks(execute=True):
        vendor_owner_transfer(
            moderator=moderator, vendor_id=vendor.pk, new_owner_email="buyer@test.example ", reason="Business sold"
        )

    vendor.refresh_from_db()
    assert vendor.owner_id == buyer_of_the_business.pk
    assert vendor.contact_email == buyer_of_the_business.email  # it was the previous owner's own address
    action = ModerationAction.objects.get()
    assert (action.kind, action.moderator_id, action.vendor_id) == (
        ModerationAction.Kind.OWNER_TRANSFER,
        moderator.pk,
        vendor.pk,
    )
    assert "seller@test.example" in action.reason and "Business sold" in action.reason
    assert sorted(m.to[0] for m in mailoutbox) == sorted([previous_owner.email, buyer_of_the_business.email])

    client.force_login(buyer_of_the_business)
    assert "Old Mill Bakery" in client.get(reverse("sell:workspace")).content.decode()
    client.force_login(previous_owner)
    assert client.get(reverse("sell:product-list")).url == reverse("sell:apply")


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["", "   "])
def test_vendor_owner_transfer_without_a_reason_is_refused_and_changes_nothing(moderator, vendor, reason):
    UserFactory(email="buyer@test.example")

    with pytest.raises(ValidationError) as refused:
        vendor_owner_transfer(
            moderator=moderator, vendor_id=vendor.pk, new_owner_email="buyer@test.example", reason=reason
        )

    assert "reason" in refused.value.message_dict
    assert Vendor.objects.get(pk=vendor.pk).owner_id == vendor.owner_id
    assert not ModerationAction.objects.exists()


@pytest.mark.django_db
def test_vendor_owner_transfer_refuses_a_new_owner_who_already_runs_a_vendor(moderator, vendor):
    other = VendorFactory(name="Other Shop")

    with pytest.raises(ConflictError):
        vendor_owner_transfer(
            moderator=moderator, vendor_id=vendor.pk, new_owner_email=other.owner.email, reason="Merger"
        )

    assert Vendor.objects.get(pk=vendor.pk).owner_id == vendor.owner_id
    assert not ModerationAction.objects.exists()


@pytest.mark.django_db
def test_vendor_owner_transfer_refuses_an_unknown_or_inactive_account(moderator, vendor):
    UserFactory(email="gone@test.example", is_active=False)

    for email in ("nobody@test.example", "gone@test.example"):
        with pytest.raises(ValidationError) as refused:
            vendor_owner_transfer(moderator=moderator, vendor_id=vendor.pk, new_owner_email=email, reason="Sold")
        assert "new_owner_email" in refused.value.message_dict

    assert Vendor.objects.get(pk=vendor.pk).owner_id == vendor.owner_id
    assert not ModerationAction.objects.exists()


@pytest.mark.django_db
def test_vendor_owner_transfer_is_for_moderators_only(vendor):
    staff_not_moderator = UserFactory(is_staff=True)
    UserFactory(email="buyer@test.example")

    with pytest.raises(ForbiddenError):
        vendor_owner_transfer(
            moderator=staff_not_moderator, vendor_id=vendor.pk, new_owner_email="buyer@test.example", reason="Sold"
        )

    assert Vendor.objects.get(pk=vendor.pk).owner_id == vendor.owner_id


@pytest.mark.django_db
def test_admin_transfer_action_calls_the_service_and_reports_refusals(client, moderator, vendor):
    new_owner = UserFactory(email="buyer@test.example")
    client.force_login(moderator)
    changelist = reverse("admin:vendors_vendor_changelist")
    form = {"action": "transfer_ownership", "_selected_action": [vendor.pk], "new_owner_email": new_owner.email}

    refused = client.post(changelist, {**form, "reason": ""}, follow=True).content.decode()
    assert "Old Mill Bakery: Give a reason" in refused
    assert Vendor.objects.get(pk=vendor.pk).owner_id != new_owner.pk

    done = client.post(changelist, {**form, "reason": "Business sold"}, follow=True).content.decode()
    assert "Old Mill Bakery: ownership transferred." in done
    assert Vendor.objects.get(pk=vendor.pk).owner_id == new_owner.pk
    assert ModerationAction.objects.filter(kind=ModerationAction.Kind.OWNER_TRANSFER).count() == 1
