"""A vendor's own promotions: the one place that scopes a promotion to the vendor asking for it, so one
vendor never reads or changes another's (pages, the API and the services all look promotions up here)."""

from __future__ import annotations

from django.db.models import QuerySet

from vendors.models import Vendor

from ..models import Promotion


def promotion_list_for_vendor(*, vendor: Vendor) -> QuerySet[Promotion]:
    return (
        Promotion.objects.filter(vendor=vendor)
        .select_related("segment_region", "segment_interest")
        .order_by("-created_at", "-id")
    )


def promotion_get_for_vendor(*, vendor: Vendor, pk: int, for_update: bool = False) -> Promotion | None:
    qs = promotion_list_for_vendor(vendor=vendor)
    if for_update:
        qs = qs.select_for_update(of=("self",))
    return qs.filter(pk=pk).first()
