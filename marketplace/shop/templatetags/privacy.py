"""Public facts as templates may show them: every figure through marketplace.kernel.privacy (rule 4), so a page
never prints a count, end reason or rating average about fewer than K consumers.

`{{ facts|public_facts }}` takes the facts a shop selector returns; `{{ vendor|card_facts }}` reads the
statistics rows a vendor list already joined (no query of its own). Both are idempotent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template
from django.core.exceptions import ObjectDoesNotExist

from marketplace.kernel.privacy import public_facts_from
from vendors.models import Vendor

register = template.Library()


def _row(vendor: Vendor, name: str) -> Any:
    try:
        return getattr(vendor, name)
    except ObjectDoesNotExist:  # the statistics job has not written this vendor's row yet
        return None


@register.filter
def public_facts(facts: Mapping[str, Any]) -> dict[str, Any]:
    return public_facts_from(facts)


@register.filter
def card_facts(vendor: Vendor) -> dict[str, Any]:
    stats, sales = _row(vendor, "stats"), _row(vendor, "sales_stats")
    return public_facts_from(
        {
            "vendor_id": vendor.pk,
            "partner_count": stats.current_partners if stats else 0,
            "rating_average": sales.rating_average if sales else None,
            "rating_count": sales.rating_count if sales else 0,
        }
    )
