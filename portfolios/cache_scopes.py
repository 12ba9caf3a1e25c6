"""Which of the portfolios app's tables feed which cache scopes (marketplace.kernel.caching), declared beside them.

- `consumer:{id}` (durable): a membership saved or deleted bumps its consumer's scope in the same transaction
  (bulk writes and UPDATEs in the services call caching.changed themselves).
- `statistics` (timed): the statistics tables, written by jobs, shown at most a timeout late.
"""

from __future__ import annotations

from marketplace.kernel.caching import feeds, scope_kind

from .models import PartnerMembership

scope_kind("consumer", models=["portfolios.PartnerMembership"])
scope_kind(
    "statistics",
    models=[
        "portfolios.VendorStats",
        "portfolios.VendorEndReasonStat",
        "portfolios.VendorDailyStat",
        "portfolios.VendorSegmentStat",
        "portfolios.MarketplaceSegmentBaseline",
        "portfolios.CategoryStats",
    ],
)
feeds(PartnerMembership, lambda m: [f"consumer:{m.consumer_id}"] if m.consumer_id else [])
