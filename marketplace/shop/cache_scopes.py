"""Which of the shop app's tables feed which cache scopes (marketplace.kernel.caching), declared beside them.

- `statistics` (timed): the sales figures (ratings) written by jobs, shown at most a timeout late.
- `vendor:{id}`: the buyers' reviews on its page (ServiceRating: a rating with text, a moderator hiding one).
Checkouts and stock changes bump the `vendor:{id}` of the vendors they sold from, in their services.
"""

from __future__ import annotations

from marketplace.kernel.caching import feeds, scope_kind

from .models import ServiceRating

scope_kind("statistics", models=["shop.VendorSalesStats"], timed=True)


def _rating(rating: ServiceRating) -> list[str]:
    return [f"vendor:{rating.vendor_id}"]  # a review shown, or hidden by a moderator, changes the vendor's page


scope_kind("vendor", models=["shop.ServiceRating"])
feeds(ServiceRating, _rating)
