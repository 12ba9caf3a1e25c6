"""Reads of the shop floor."""

from __future__ import annotations

from django.db.models import Avg, Count

from vendors.models import Vendor

from .models import ServiceRating


def vendor_rating(*, vendor: Vendor) -> dict[str, object]:
    """Average service rating of one vendor and how many ratings it rests on."""
    agg = ServiceRating.objects.filter(vendor=vendor).aggregate(average=Avg("score"), count=Count("id"))
    return {"average": agg["average"], "count": agg["count"]}
