"""Consumers' reports on vendors and the moderators' decisions on them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.accounts.mail import mail_send_on_commit, recipient_language
from marketplace.accounts.models import User
from marketplace.kernel.errors import ConflictError, ForbiddenError, NotFoundError

from ...models import ModerationAction, Vendor, VendorFlag, VendorReport
from ._common import REASON_MAX_LENGTH, _clean_reason, _notify_owner, _require_moderator, flag_setting
from .flags import _flag_clear, _flag_raise

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
        raise ForbiddenError(_("Sign in to report a vendor."))
    vendor = Vendor.objects.filter(pk=vendor_id, status__in=REPORTABLE_STATUSES).first()
    if vendor is None:
        raise NotFoundError(_("No such vendor."))
    if vendor.owner_id == reporter.pk:
        raise ConflictError(_("You cannot report your own vendor."))
    errors: dict[str, str] = {}
    if reason not in VendorReport.Reason.values:
        errors["reason"] = _("Choose one of the listed reasons.")
    cleaned_text = (text or "").strip()
    if len(cleaned_text) > REASON_MAX_LENGTH:
        errors["text"] = _("Keep it under %(limit)s characters.") % {"limit": REASON_MAX_LENGTH}
    if errors:
        raise ValidationError(errors)
    already = _("You already have an open report on %(vendor)s; a moderator will look at it.")
    if VendorReport.objects.filter(reporter=reporter, vendor=vendor, status=VendorReport.Status.OPEN).exists():
        raise ConflictError(already % {"vendor": vendor.name})
    try:
        # The partial unique constraint settles a double submit that slipped past the check above.
        with transaction.atomic():
            report = VendorReport.objects.create(reporter=reporter, vendor=vendor, reason=reason, text=cleaned_text)
    except IntegrityError as exc:
        raise ConflictError(already % {"vendor": vendor.name}) from exc
    open_count = VendorReport.objects.filter(vendor=vendor, status=VendorReport.Status.OPEN).count()
    if open_count >= flag_setting("FLAG_REPORTS_MIN"):
        _flag_raise(vendor_id=vendor.pk, kind=VendorFlag.Kind.REPORTS, details={"open_reports": open_count})
    with recipient_language(reporter):
        mail_send_on_commit(
            to=reporter.email,
            subject=_("Your report on %(vendor)s is with the moderators") % {"vendor": vendor.name},
            template="reports/received",
            context={"report": report},
        )
    return report


def _report_close(*, moderator: User, report_id: int, note: str, status: str, kind: str) -> VendorReport:
    _require_moderator(moderator)
    note = _clean_reason(note, field="note")
    report = VendorReport.objects.select_for_update().filter(pk=report_id).first()
    if report is None:
        raise NotFoundError(_("No such report."))
    if report.status != VendorReport.Status.OPEN:
        raise ConflictError(_("This report is already %(status)s.") % {"status": report.get_status_display().lower()})
    report.status = status
    report.resolved_at = timezone.now()
    report.save(update_fields=["status", "resolved_at"])
    vendor = Vendor.objects.select_related("owner").get(pk=report.vendor_id)
    action = ModerationAction.objects.create(moderator=moderator, vendor=vendor, kind=kind, reason=note)
    _notify_owner(vendor=vendor, action=action)
    # The reporter hears the outcome and the same note the vendor gets (the form says so); a deleted
    # account is not written to.
    with recipient_language(report.reporter):
        mail_send_on_commit(
            to=report.reporter.email if report.reporter else None,
            subject=_("Your report on %(vendor)s: %(outcome)s")
            % {"vendor": vendor.name, "outcome": report.get_status_display().lower()},
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
