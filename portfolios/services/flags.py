"""The early-warning scan: flags for moderators raised from the statistics tables and the open reports.

The statistics live here, the flags in vendors (below): the scan computes the figures and hands them to
vendors.moderation.services.vendor_flags_sync, which owns raising, clearing and the moderators' snooze.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from vendors.models import VendorFlag
from vendors.moderation.selectors import vendor_open_report_counts
from vendors.moderation.services import flag_setting, vendor_flags_sync

from ..selectors.insights import vendor_endings_spikes


def vendor_flags_scan(*, today: date | None = None) -> dict[str, int]:
    """Raise and clear early-warning flags: ending spikes (VendorDailyStat) and piles of open reports.

    Idempotent: running it twice gives the same open flags; each raise or clear is its own transaction, so a
    scan that dies halfway loses nothing the next run does not redo. Returns counts for logging.
    """
    today = today or timezone.localdate()
    wanted = {
        VendorFlag.Kind.ENDINGS_SPIKE: vendor_endings_spikes(
            today=today,
            minimum=flag_setting("FLAG_ENDINGS_MIN"),
            factor=flag_setting("FLAG_ENDINGS_FACTOR"),
            baseline_days=flag_setting("FLAG_BASELINE_DAYS"),
        ),
        VendorFlag.Kind.REPORTS: {
            vendor_id: {"open_reports": count}
            for vendor_id, count in vendor_open_report_counts(minimum=flag_setting("FLAG_REPORTS_MIN")).items()
        },
    }
    raised = cleared = 0
    for kind, figures_by_vendor in wanted.items():
        kind_raised, kind_cleared = vendor_flags_sync(kind=kind, figures_by_vendor=figures_by_vendor)
        raised, cleared = raised + kind_raised, cleared + kind_cleared
    return {"raised": raised, "cleared": cleared}
