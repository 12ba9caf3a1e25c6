"""Moderation services: every write that keeps the marketplace clean.

Each status change and report decision runs in one transaction, writes exactly one ModerationAction row
(the append-only audit log), and after commit emails the vendor's owner and, for status changes, sends
`vendors.signals.vendor_status_changed`. Only moderators (the "Moderators" group or superusers) may act;
anyone signed in may report a vendor.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from marketplace.accounts.mail import mail_send_on_commit, mail_send_text_on_commit
from marketplace.accounts.models import User
from marketplace.errors import ConflictError, ForbiddenError, NotFoundError

from ..models import ModerationAction, Product, Vendor, VendorFlag, VendorReport
from ..signals import vendor_status_changed

REASON_MAX_LENGTH = 2000

# Thresholds of the early-warning scan; settings.MARKETPLACE may override them.
FLAG_DEFAULTS: dict[str, Any] = {
    # Ended partnerships in the last 7 days must reach this many before a spike is worth a moderator's time.
    "FLAG_ENDINGS_MIN": 5,
    # ... and be this many times the vendor's usual 7-day rate, taken over the 8 weeks before.
    "FLAG_ENDINGS_FACTOR": 3,
    "FLAG_BASELINE_DAYS": 56,
    "FLAG_REPORTS_MIN": 3,
    # A flag a moderator cleared is not raised again by the scan for this long, unless the figures grow.
    "FLAG_SNOOZE_DAYS": 7,
}


def flag_setting(name: str) -> Any:
    return getattr(settings, "MARKETPLACE", {}).get(name, FLAG_DEFAULTS[name])


# --- helpers --------------------------------------------------------------------------------------------


def _require_moderator(user: User) -> None:
    if not (user.is_authenticated and user.is_active and user.is_moderator):
        raise ForbiddenError("Only moderators may do this.")


def _clean_reason(reason: str, *, field: str = "reason", required: bool = True) -> str:
    cleaned = (reason or "").strip()
    if required and not cleaned:
        raise ValidationError({field: "Give a reason: the vendor sees it."})
    if len(cleaned) > REASON_MAX_LENGTH:
        raise ValidationError({field: f"Keep it under {REASON_MAX_LENGTH} characters."})
    return cleaned


def _vendor_for_update(vendor_id: int) -> Vendor:
    vendor = Vendor.objects.select_for_update().select_related("owner").filter(pk=vendor_id).first()
    if vendor is None:
        raise NotFoundError("No such vendor.")
    return vendor


def _notify_owner(*, vendor: Vendor, action: ModerationAction) -> None:
    """Email the vendor's owner once the transaction commits (a rolled-back action sends nothing)."""
    recipient = vendor.owner.email
    context = {"vendor": vendor, "action": action, "site_name": "Partner Marketplace"}
    subject = f"{vendor.name}: {action.get_kind_display().lower()}"
    body = render_to_string(f"emails/moderation/{action.kind}.txt", context)

    mail_send_text_on_commit(to=recipient, subject=subject, text=body)


def _announce_status_change(*, vendor_id: int, old_status: str, new_status: str) -> None:
    transaction.on_commit(
        lambda: vendor_status_changed.send(
            sender=Vendor, vendor_id=vendor_id, old_status=old_status, new_status=new_status
        )
    )


def _change_status(
    *,
    moderator: User,
    vendor_id: int,
    allowed_from: tuple[str, ...],
    new_status: str,
    kind: str,
    reason: str,
    refusal: str,
) -> Vendor:
    _require_moderator(moderator)
    vendor = _vendor_for_update(vendor_id)
    if vendor.status not in allowed_from:
        raise ConflictError(refusal.format(vendor=vendor.name, status=vendor.get_status_display().lower()))
    old_status = vendor.status
    vendor.status = new_status
    # The reason the vendor sees is the latest refusal; approving or reinstating clears it.
    vendor.status_reason = reason if new_status in (Vendor.Status.REJECTED, Vendor.Status.SUSPENDED) else ""
    update_fields = ["status", "status_reason"]
    if new_status == Vendor.Status.APPROVED and vendor.approved_at is None:
        vendor.approved_at = timezone.now()
        update_fields.append("approved_at")
    vendor.save(update_fields=update_fields)
    action = ModerationAction.objects.create(moderator=moderator, vendor=vendor, kind=kind, reason=reason)
    _notify_owner(vendor=vendor, action=action)
    _announce_status_change(vendor_id=vendor.pk, old_status=str(old_status), new_status=str(new_status))
    return vendor


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
        refusal="{vendor} is {status}, not waiting for approval.",
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
        refusal="{vendor} is {status}, not waiting for approval.",
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
        refusal="{vendor} is {status}; only approved vendors can be suspended.",
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
        refusal="{vendor} is {status}; only suspended vendors can be reinstated.",
    )


# --- reports --------------------------------------------------------------------------------------------

REPORTABLE_STATUSES = (Vendor.Status.APPROVED, Vendor.Status.SUSPENDED)


@transaction.atomic
def report_create(*, reporter: User, vendor_id: int, reason: str, text: str) -> VendorReport:
    """A signed-in user reports a vendor. At most one open report per reporter and vendor.

    Atomic; raises a REPORTS flag when the vendor's open reports reach the threshold; after commit the
    reporter gets one e-mail acknowledging the report. Raises NotFoundError for vendors not in the
    marketplace, ConflictError for a second open report or a report on one's own vendor, ValidationError for
    an unknown reason or an over-long text.
    """
    if not reporter.is_authenticated:
        raise ForbiddenError("Sign in to report a vendor.")
    vendor = Vendor.objects.filter(pk=vendor_id, status__in=REPORTABLE_STATUSES).first()
    if vendor is None:
        raise NotFoundError("No such vendor.")
    if vendor.owner_id == reporter.pk:
        raise ConflictError("You cannot report your own vendor.")
    errors: dict[str, str] = {}
    if reason not in VendorReport.Reason.values:
        errors["reason"] = "Choose one of the listed reasons."
    cleaned_text = (text or "").strip()
    if len(cleaned_text) > REASON_MAX_LENGTH:
        errors["text"] = f"Keep it under {REASON_MAX_LENGTH} characters."
    if errors:
        raise ValidationError(errors)
    if VendorReport.objects.filter(reporter=reporter, vendor=vendor, status=VendorReport.Status.OPEN).exists():
        raise ConflictError(f"You already have an open report on {vendor.name}; a moderator will look at it.")
    try:
        # The partial unique constraint settles a double submit that slipped past the check above.
        with transaction.atomic():
            report = VendorReport.objects.create(reporter=reporter, vendor=vendor, reason=reason, text=cleaned_text)
    except IntegrityError as exc:
        raise ConflictError(f"You already have an open report on {vendor.name}; a moderator will look at it.") from exc
    open_count = VendorReport.objects.filter(vendor=vendor, status=VendorReport.Status.OPEN).count()
    if open_count >= flag_setting("FLAG_REPORTS_MIN"):
        _flag_raise(vendor_id=vendor.pk, kind=VendorFlag.Kind.REPORTS, details={"open_reports": open_count})
    mail_send_on_commit(
        to=reporter.email,
        subject=f"Your report on {vendor.name} is with the moderators",
        template="reports/received",
        context={"report": report},
    )
    return report


def _report_close(*, moderator: User, report_id: int, note: str, status: str, kind: str) -> VendorReport:
    _require_moderator(moderator)
    note = _clean_reason(note, field="note")
    report = VendorReport.objects.select_for_update().filter(pk=report_id).first()
    if report is None:
        raise NotFoundError("No such report.")
    if report.status != VendorReport.Status.OPEN:
        raise ConflictError(f"This report is already {report.get_status_display().lower()}.")
    report.status = status
    report.resolved_at = timezone.now()
    report.save(update_fields=["status", "resolved_at"])
    vendor = Vendor.objects.select_related("owner").get(pk=report.vendor_id)
    action = ModerationAction.objects.create(moderator=moderator, vendor=vendor, kind=kind, reason=note)
    _notify_owner(vendor=vendor, action=action)
    # The reporter hears the outcome and the same note the vendor gets (the form says so); a deleted
    # account is not written to.
    mail_send_on_commit(
        to=report.reporter.email if report.reporter else None,
        subject=f"Your report on {vendor.name}: {report.get_status_display().lower()}",
        template="reports/closed",
        context={"report": report, "note": note},
    )
    open_count = VendorReport.objects.filter(vendor=vendor, status=VendorReport.Status.OPEN).count()
    if open_count < flag_setting("FLAG_REPORTS_MIN"):
        _flag_clear(vendor_id=vendor.pk, kind=VendorFlag.Kind.REPORTS)
    return report


@transaction.atomic
def report_resolve(*, moderator: User, report_id: int, note: str) -> VendorReport:
    """Close an open report as acted upon. Atomic; one audit row with the note; emails the vendor's owner."""
    return _report_close(
        moderator=moderator,
        report_id=report_id,
        note=note,
        status=VendorReport.Status.RESOLVED,
        kind=ModerationAction.Kind.REPORT_RESOLVED,
    )


@transaction.atomic
def report_dismiss(*, moderator: User, report_id: int, note: str) -> VendorReport:
    """Close an open report as unfounded. Atomic; one audit row with the note; emails the vendor's owner."""
    return _report_close(
        moderator=moderator,
        report_id=report_id,
        note=note,
        status=VendorReport.Status.DISMISSED,
        kind=ModerationAction.Kind.REPORT_DISMISSED,
    )


# --- early-warning flags --------------------------------------------------------------------------------


def _flag_raise(*, vendor_id: int, kind: str, details: dict[str, Any]) -> VendorFlag:
    flag = (
        VendorFlag.objects.select_for_update().filter(vendor_id=vendor_id, kind=kind, cleared_at__isnull=True).first()
    )
    if flag is not None:
        if flag.details != details:
            flag.details = details
            flag.save(update_fields=["details"])
        return flag
    try:
        with transaction.atomic():
            return VendorFlag.objects.create(vendor_id=vendor_id, kind=kind, details=details)
    except IntegrityError:
        # Raised concurrently by another scan or report: the open flag exists, keep its figures fresh.
        flag = VendorFlag.objects.get(vendor_id=vendor_id, kind=kind, cleared_at__isnull=True)
        flag.details = details
        flag.save(update_fields=["details"])
        return flag


def _flag_clear(*, vendor_id: int, kind: str, cleared_by: User | None = None) -> VendorFlag | None:
    flag = (
        VendorFlag.objects.select_for_update().filter(vendor_id=vendor_id, kind=kind, cleared_at__isnull=True).first()
    )
    if flag is None:
        return None
    flag.cleared_at = timezone.now()
    if cleared_by is not None:
        flag.details = {**flag.details, "cleared_by": cleared_by.pk}
    flag.save(update_fields=["cleared_at", "details"])
    return flag


@transaction.atomic
def vendor_flag_raise(*, vendor_id: int, kind: str, details: dict[str, Any]) -> VendorFlag:
    """Raise an early-warning flag with the figures behind it. Idempotent: one open flag per vendor and kind;
    raising it again refreshes its figures."""
    if kind not in VendorFlag.Kind.values:
        raise ValidationError({"kind": "Unknown flag kind."})
    if not Vendor.objects.filter(pk=vendor_id).exists():
        raise NotFoundError("No such vendor.")
    return _flag_raise(vendor_id=vendor_id, kind=kind, details=details)


@transaction.atomic
def vendor_flag_clear(*, flag_id: int, moderator: User | None = None) -> VendorFlag:
    """Clear an open flag. A moderator clearing it snoozes the scan for that kind for a while; the scan
    itself (moderator=None) clears flags whose figures no longer hold. Idempotent for a cleared flag."""
    if moderator is not None:
        _require_moderator(moderator)
    flag = VendorFlag.objects.select_for_update().filter(pk=flag_id).first()
    if flag is None:
        raise NotFoundError("No such flag.")
    if flag.cleared_at is not None:
        return flag
    cleared = _flag_clear(vendor_id=flag.vendor_id, kind=flag.kind, cleared_by=moderator)
    assert cleared is not None
    return cleared


def vendor_flags_sync(*, kind: str, figures_by_vendor: dict[int, dict[str, Any]]) -> tuple[int, int]:
    """Make the open flags of `kind` match `figures_by_vendor` (vendor id -> the figures behind its flag).

    Called by the early-warning scan (portfolios.services.flags). Raises a flag for each listed vendor,
    updates its figures when they changed, clears the open flags of vendors no longer listed, and keeps a
    flag a moderator cleared recently closed unless its figures grew. Idempotent: running it twice gives
    the same open flags; each raise or clear is its own transaction. Returns (raised, cleared).
    """
    from .selectors import flag_snoozed_vendor_ids

    raised = cleared = 0
    snooze_since = timezone.now() - timedelta(days=flag_setting("FLAG_SNOOZE_DAYS"))
    snoozed = flag_snoozed_vendor_ids(kind=kind, since=snooze_since)
    open_flags = dict(VendorFlag.objects.filter(kind=kind, cleared_at__isnull=True).values_list("vendor_id", "details"))
    for vendor_id, figures in figures_by_vendor.items():
        previous = snoozed.get(vendor_id)
        if vendor_id not in open_flags and previous is not None and not _figures_grew(previous, figures):
            continue
        if open_flags.get(vendor_id) != figures:
            vendor_flag_raise(vendor_id=vendor_id, kind=kind, details=figures)
            raised += vendor_id not in open_flags
    for vendor_id in open_flags.keys() - figures_by_vendor.keys():
        with transaction.atomic():
            if _flag_clear(vendor_id=vendor_id, kind=kind) is not None:
                cleared += 1
    return raised, cleared


def _figures_grew(previous: dict[str, Any], current: dict[str, Any]) -> bool:
    keys = ("ended_last_7_days", "open_reports", "payment_differences")
    return any(current.get(key, 0) > previous.get(key, 0) for key in keys)


# --- products and ownership -----------------------------------------------------------------------------


@transaction.atomic
def product_deactivate_by_moderator(*, moderator: User, product_id: int, reason: str) -> Product:
    """Take a vendor's product off sale for a reason the vendor sees: hidden from the shop from the next
    request; its orders and history are kept.

    Atomic, product row locked; writes one audit row (on the vendor, naming the product); emails the vendor's
    owner after commit. Only moderators; a reason is required. Raises NotFoundError for an unknown product,
    ConflictError for one already off sale.
    """
    _require_moderator(moderator)
    reason = _clean_reason(reason)
    product = Product.objects.select_for_update().filter(pk=product_id).first()
    if product is None:
        raise NotFoundError("No such product.")
    if not product.active:
        raise ConflictError(f"“{product.name}” is already off sale.")
    product.active = False
    product.save(update_fields=["active", "updated_at"])
    vendor = Vendor.objects.select_related("owner").get(pk=product.vendor_id)
    action = ModerationAction.objects.create(
        moderator=moderator,
        vendor=vendor,
        kind=ModerationAction.Kind.PRODUCT_DEACTIVATE,
        reason=f"“{product.name}” (product #{product.pk}): {reason}",
    )
    _notify_owner(vendor=vendor, action=action)
    return product


@transaction.atomic
def vendor_owner_transfer(*, moderator: User, vendor_id: int, new_owner_email: str, reason: str) -> Vendor:
    """Hand a vendor to another existing user (the business was sold, say), for a recorded reason.

    From the commit on the new owner runs the vendor's workspace (catalogue, orders with their buyers' names
    and addresses, insights, promotions) and the previous owner sees none of it. Atomic: the vendor row and
    the new owner's user row are locked (vendor_apply locks that row too), so a user never ends up owning two
    vendors. Writes one audit row naming both owners; emails both after commit. A contact email that was the
    previous owner's own address becomes the new owner's. Only moderators; a reason is required.
    Raises ValidationError on new_owner_email for no such active user, ConflictError for the current owner or
    a user who already owns a vendor, NotFoundError for an unknown vendor.
    """
    _require_moderator(moderator)
    reason = _clean_reason(reason)
    email = (new_owner_email or "").strip().lower()
    if not email:
        raise ValidationError({"new_owner_email": "Enter the email address of the new owner's account."})
    vendor = _vendor_for_update(vendor_id)
    new_owner = User.objects.select_for_update().filter(email__iexact=email, is_active=True).first()
    if new_owner is None:
        raise ValidationError({"new_owner_email": "No active account has this email address; they sign up first."})
    previous_owner = vendor.owner
    if new_owner.pk == previous_owner.pk:
        raise ConflictError(f"{new_owner.email} already owns {vendor.name}.")
    if Vendor.objects.filter(owner=new_owner).exists():
        raise ConflictError(f"{new_owner.email} already owns a vendor; an account runs one vendor only.")
    vendor.owner = new_owner
    update_fields = ["owner"]
    if vendor.contact_email.strip().lower() == previous_owner.email.lower():
        vendor.contact_email = new_owner.email
        update_fields.append("contact_email")
    vendor.save(update_fields=update_fields)
    ModerationAction.objects.create(
        moderator=moderator,
        vendor=vendor,
        kind=ModerationAction.Kind.OWNER_TRANSFER,
        reason=f"From {previous_owner.email} to {new_owner.email}: {reason}",
    )
    context = {"vendor": vendor, "reason": reason, "site_name": "Partner Marketplace"}
    subject = f"{vendor.name}: ownership transferred"
    body = render_to_string("emails/moderation/owner_transfer.txt", context)
    recipients = [previous_owner.email, new_owner.email]

    for recipient in recipients:  # one message each: neither learns the other's address from the headers
        mail_send_text_on_commit(to=recipient, subject=subject, text=body)
    return vendor
