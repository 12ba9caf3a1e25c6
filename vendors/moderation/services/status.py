"""Approving, rejecting, suspending and reinstating vendors."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy

from marketplace.accounts.models import User

from ...models import ModerationAction, Vendor
from ._common import _change_status, _clean_reason

# --- vendor status --------------------------------------------------------------------------------------


@transaction.atomic
def vendor_approve(*, moderator: User, vendor_id: int, reason: str = "") -> Vendor:
    """Approve a pending application: the vendor appears in the marketplace from the next request.

    Atomic; writes one audit row; emails the owner and sends vendor_status_changed after commit.
    Raises ForbiddenError for non-moderators, NotFoundError, ConflictError unless the vendor is pending.
    """
    return _change_status(
        moderator=moderator,
        vendor_id=vendor_id,
        allowed_from=(Vendor.Status.PENDING,),
        new_status=Vendor.Status.APPROVED,
        kind=ModerationAction.Kind.APPROVE,
        reason=_clean_reason(reason, required=False),
        refusal=gettext_lazy("%(vendor)s is %(status)s, not waiting for approval."),
    )


@transaction.atomic
def vendor_reject(*, moderator: User, vendor_id: int, reason: str) -> Vendor:
    """Reject a pending application with a reason the applicant sees (they may correct and resubmit).

    Atomic; one audit row; email and vendor_status_changed after commit. A reason is required.
    """
    return _change_status(
        moderator=moderator,
        vendor_id=vendor_id,
        allowed_from=(Vendor.Status.PENDING,),
        new_status=Vendor.Status.REJECTED,
        kind=ModerationAction.Kind.REJECT,
        reason=_clean_reason(reason),
        refusal=gettext_lazy("%(vendor)s is %(status)s, not waiting for approval."),
    )


@transaction.atomic
def vendor_suspend(*, moderator: User, vendor_id: int, reason: str) -> Vendor:
    """Suspend an approved vendor: hidden everywhere and not purchasable from the next request.

    Memberships are kept (only consumers change portfolios); running promotions pause through the
    vendor_status_changed receiver. Atomic; one audit row; email after commit. A reason is required.
    """
    return _change_status(
        moderator=moderator,
        vendor_id=vendor_id,
        allowed_from=(Vendor.Status.APPROVED,),
        new_status=Vendor.Status.SUSPENDED,
        kind=ModerationAction.Kind.SUSPEND,
        reason=_clean_reason(reason),
        refusal=gettext_lazy("%(vendor)s is %(status)s; only approved vendors can be suspended."),
    )


@transaction.atomic
def vendor_reinstate(*, moderator: User, vendor_id: int, reason: str) -> Vendor:
    """Reinstate a suspended vendor: everything suspension hid is visible again from the next request.

    Atomic; one audit row; email and vendor_status_changed after commit. A reason is required.
    """
    return _change_status(
        moderator=moderator,
        vendor_id=vendor_id,
        allowed_from=(Vendor.Status.SUSPENDED,),
        new_status=Vendor.Status.APPROVED,
        kind=ModerationAction.Kind.REINSTATE,
        reason=_clean_reason(reason),
        refusal=gettext_lazy("%(vendor)s is %(status)s; only suspended vendors can be reinstated."),
    )
