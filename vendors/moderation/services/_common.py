"""What the moderation services share: who may act, reasons, the locked vendor, telling the owner."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from marketplace.accounts.mail import SITE_NAME, mail_send_text_on_commit, recipient_language
from marketplace.accounts.models import User
from marketplace.kernel.errors import ConflictError, ForbiddenError, NotFoundError

from ...models import ModerationAction, Vendor
from ...signals import vendor_status_changed

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
        raise ForbiddenError(_("Only moderators may do this."))


def _clean_reason(reason: str, *, field: str = "reason", required: bool = True) -> str:
    cleaned = (reason or "").strip()
    if required and not cleaned:
        raise ValidationError({field: _("Give a reason: the vendor sees it.")})
    if len(cleaned) > REASON_MAX_LENGTH:
        raise ValidationError({field: _("Keep it under %(limit)s characters.") % {"limit": REASON_MAX_LENGTH}})
    return cleaned


def _vendor_for_update(vendor_id: int) -> Vendor:
    vendor = Vendor.objects.select_for_update().select_related("owner").filter(pk=vendor_id).first()
    if vendor is None:
        raise NotFoundError(_("No such vendor."))
    return vendor


def _notify_owner(*, vendor: Vendor, action: ModerationAction) -> None:
    """Email the vendor's owner once the transaction commits (a rolled-back action sends nothing), in the
    owner's language."""
    recipient = vendor.owner.email
    context = {"vendor": vendor, "action": action, "site_name": SITE_NAME}
    with recipient_language(vendor.owner):
        subject = _("%(vendor)s: %(action)s") % {"vendor": vendor.name, "action": action.get_kind_display().lower()}
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
    refusal: Promise,
) -> Vendor:
    _require_moderator(moderator)
    vendor = _vendor_for_update(vendor_id)
    if vendor.status not in allowed_from:
        raise ConflictError(refusal % {"vendor": vendor.name, "status": vendor.get_status_display().lower()})
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
