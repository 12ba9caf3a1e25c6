"""Which of the shop app's tables feed which cache scopes (marketplace.kernel.caching), declared beside them.

- `statistics` (timed): the sales figures (ratings) written by jobs, shown at most a timeout late.
Checkouts and stock changes bump the `vendor:{id}` of the vendors they sold from, in their services.
"""

from __future__ import annotations

from marketplace.kernel.caching import scope_kind

scope_kind("statistics", models=["shop.VendorSalesStats"], timed=True)
