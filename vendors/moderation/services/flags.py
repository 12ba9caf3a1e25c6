"""Early-warning flags: raised by the statistics job's scan, cleared (and snoozed) by moderators."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.accounts.models import User
from marketplace.kernel.errors import NotFoundError

from ...models import Vendor, VendorFlag
from ._common import _require_moderator, flag_setting

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
        raise ValidationError({"kind": _("Unknown flag kind.")})
    if not Vendor.objects.filter(pk=vendor_id).exists():
        raise NotFoundError(_("No such vendor."))
    return _flag_raise(vendor_id=vendor_id, kind=kind, details=details)


@transaction.atomic
def vendor_flag_clear(*, flag_id: int, moderator: User | None = None) -> VendorFlag:
    """Clear an open flag. A moderator clearing it snoozes the scan for that kind for a while; the scan
    itself (moderator=None) clears flags whose figures no longer hold. Idempotent for a cleared flag."""
    if moderator is not None:
        _require_moderator(moderator)
    flag = VendorFlag.objects.select_for_update().filter(pk=flag_id).first()
    if flag is None:
        raise NotFoundError(_("No such flag."))
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
    from ..selectors import flag_snoozed_vendor_ids

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
