"""The moderators' read of the buyers' reviews: a vendor's, or one named by a report."""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import ServiceRating


def review_list_for_moderation(
    *, vendor_id: int | None = None, review_id: int | None = None
) -> QuerySet[ServiceRating]:
    """Reviews (ratings given with text after reviews were published), newest first, hidden ones too, each
    with its vendor and the audit row that hid it: one query per page whatever its length."""
    qs = ServiceRating.objects.filter(public=True).select_related("vendor", "hidden_by", "hidden_by__moderator")
    if vendor_id is not None:
        qs = qs.filter(vendor_id=vendor_id)
    if review_id is not None:
        qs = qs.filter(pk=review_id)
    return qs.order_by("-created_at", "-id")
