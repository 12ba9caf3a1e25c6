"""The vendor's delivery charges: written from its workspace (page and API), read at checkout."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from marketplace.accounts.models import Region
from marketplace.kernel.caching import changed
from vendors.models import Vendor

from ..models import ShippingPolicy, ShippingRegionRate

MAX_RATE = Decimal("1000.00")
MAX_FREE_OVER = Decimal("100000.00")


def _money_error(value: Decimal | None, *, upper: Decimal, what: str, positive: bool = False) -> str | None:
    if value is None:
        return None
    if not value.is_finite() or value != value.quantize(Decimal("0.01")):
        return f"Give {what} in whole pennies, like 4.50."
    if positive and value <= 0:
        return f"Give {what} above zero, or leave it empty."
    if value < 0 or value > upper:
        return f"Give {what} from 0 to {upper}."
    return None


@transaction.atomic
def shipping_policy_set(
    *,
    vendor: Vendor,
    flat_rate: Decimal,
    free_over: Decimal | None = None,
    region_rates: Mapping[str, Decimal] | None = None,
) -> ShippingPolicy:
    """Set how the vendor charges delivery: `flat_rate` per order, nothing for an order whose goods come to
    `free_over` or more (None: never free), and `region_rates` {region code: rate} instead of the flat rate for
    the regions named (the rates not named are removed). Only the vendor's owner reaches this (the workspace
    checks it). Atomic; bad input (a negative or unbounded amount, an unknown region) changes nothing and
    raises ValidationError naming each field. Orders placed before keep the charge they were placed with; the
    vendor's product pages show the new terms at once (its `vendor:{id}` scope)."""
    region_rates = dict(region_rates or {})
    errors: dict[str, str] = {}
    for field, value, upper, positive in (
        ("flat_rate", flat_rate, MAX_RATE, False),
        ("free_over", free_over, MAX_FREE_OVER, True),
    ):
        error = _money_error(value, upper=upper, what="the amount", positive=positive)
        if error:
            errors[field] = error
    regions = {r.code: r for r in Region.objects.filter(code__in=list(region_rates))}
    unknown = sorted(set(region_rates) - set(regions))
    if unknown:
        errors["region_rates"] = f"No such region: {', '.join(unknown)}."
    else:
        for code, rate in region_rates.items():
            error = _money_error(rate, upper=MAX_RATE, what=f"the rate to {regions[code].name}")
            if error:
                errors["region_rates"] = error
                break
    if errors:
        raise ValidationError(errors)
    policy, _ = ShippingPolicy.objects.update_or_create(
        vendor=vendor, defaults={"flat_rate": flat_rate, "free_over": free_over}
    )
    ShippingRegionRate.objects.filter(vendor=vendor).delete()
    ShippingRegionRate.objects.bulk_create(
        ShippingRegionRate(vendor=vendor, region=regions[code], rate=rate) for code, rate in region_rates.items()
    )
    changed(f"vendor:{vendor.pk}")  # bulk_create sends no signal
    return policy
