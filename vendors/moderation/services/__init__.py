"""Moderation services: every write that keeps the marketplace clean.

Each status change and report decision runs in one transaction, writes exactly one ModerationAction row
(the append-only audit log), and after commit emails the vendor's owner and, for status changes, sends
`vendors.signals.vendor_status_changed`. Only moderators (the "Moderators" group or superusers) may act;
anyone signed in may report a vendor.

One module per concern: status.py, reports.py, flags.py, ownership.py (_common.py: what they share).
"""

from ._common import FLAG_DEFAULTS, REASON_MAX_LENGTH, flag_setting
from .flags import vendor_flag_clear, vendor_flag_raise, vendor_flags_sync
from .ownership import product_deactivate_by_moderator, vendor_owner_transfer
from .reports import REPORTABLE_STATUSES, report_create, report_dismiss, report_resolve
from .status import vendor_approve, vendor_reinstate, vendor_reject, vendor_suspend

__all__ = [
    "FLAG_DEFAULTS",
    "REASON_MAX_LENGTH",
    "REPORTABLE_STATUSES",
    "flag_setting",
    "product_deactivate_by_moderator",
    "report_create",
    "report_dismiss",
    "report_resolve",
    "vendor_approve",
    "vendor_flag_clear",
    "vendor_flag_raise",
    "vendor_flags_sync",
    "vendor_owner_transfer",
    "vendor_reinstate",
    "vendor_reject",
    "vendor_suspend",
]
