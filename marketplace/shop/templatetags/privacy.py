"""Public facts as templates may show them: every figure through marketplace.kernel.privacy (rule 4), so a page
never prints a count, end reason or rating average about fewer than K consumers.

`{{ facts|public_facts }}` takes the facts a shop selector returns; `{{ vendor|card_facts }}` reads the
statistics rows a vendor list already joined (no query of its own). Both are idempotent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

from marketplace.kernel.privacy import public_facts_from
from vendors.models import Vendor
from vendors.shown import VendorShown, figures_of

register = template.Library()


@register.filter
def public_facts(facts: Mapping[str, Any]) -> dict[str, Any]:
    return public_facts_from(facts)


@register.filter
def card_facts(vendor: Vendor | VendorShown) -> dict[str, Any]:
    figures = figures_of(vendor)
    return public_facts_from(
        {
            "vendor_id": vendor.pk,
            "partner_count": figures.current_partners,
            "rating_average": figures.rating_average,
            "rating_count": figures.rating_count,
        }
    )
