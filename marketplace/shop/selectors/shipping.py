"""What delivery costs at each vendor: its terms as pages show them (kept for the product page) and the one
rule checkout, the cart and the pages share to charge them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from marketplace.kernel.caching import kept
from marketplace.kernel.languages import Bilingual

from ..models import ShippingPolicy, ShippingRegionRate

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class RegionRate(Bilingual):
    code: str
    name: str
    rate: Decimal
    name_zh_hant: str = ""


@dataclass(frozen=True)
class ShippingTerms:
    """One vendor's delivery charges. A vendor that set none delivers free."""

    vendor_id: int
    flat_rate: Decimal = ZERO
    free_over: Decimal | None = None
    region_rates: tuple[RegionRate, ...] = ()  # by region name

    @property
    def always_free(self) -> bool:
        return not self.flat_rate and not any(r.rate for r in self.region_rates)

    def charge(self, *, goods: Decimal, region: str = "") -> Decimal:
        """The delivery charge of an order whose goods (after promotions) come to `goods`, delivered to the
        region with code `region` ("" for none named): free over the vendor's threshold, else the region's
        own rate where the vendor set one, else its flat rate."""
        if self.free_over is not None and goods >= self.free_over:
            return ZERO
        for rate in self.region_rates:
            if rate.code == region:
                return rate.rate
        return self.flat_rate


def shipping_terms_for_vendors(*, vendor_ids: Iterable[int]) -> dict[int, ShippingTerms]:
    """The terms of each vendor named (free for one that set none). Two queries whatever the number."""
    ids = sorted(set(vendor_ids))
    if not ids:
        return {}
    rates: dict[int, list[RegionRate]] = {}
    for vendor_id, code, name, name_zh_hant, rate in (
        ShippingRegionRate.objects.filter(vendor_id__in=ids)
        .order_by("vendor_id", "region__name", "region_id")
        .values_list("vendor_id", "region__code", "region__name", "region__name_zh_hant", "rate")
    ):
        rates.setdefault(vendor_id, []).append(RegionRate(code=code, name=name, rate=rate, name_zh_hant=name_zh_hant))
    terms = {vendor_id: ShippingTerms(vendor_id=vendor_id) for vendor_id in ids}
    for vendor_id, flat_rate, free_over in ShippingPolicy.objects.filter(vendor_id__in=ids).values_list(
        "vendor_id", "flat_rate", "free_over"
    ):
        terms[vendor_id] = ShippingTerms(
            vendor_id=vendor_id,
            flat_rate=flat_rate,
            free_over=free_over,
            region_rates=tuple(rates.get(vendor_id, ())),
        )
    return terms


@kept("shipping-terms", shape=2, scopes=lambda vendor_id: (f"vendor:{vendor_id}",))
def shipping_terms_shown(*, vendor_id: int) -> ShippingTerms:
    """One vendor's terms as its product pages show them, kept until the vendor's scope moves (its policy or
    a region rate saved: the shop's cache_scopes.py)."""
    return shipping_terms_for_vendors(vendor_ids=[vendor_id])[vendor_id]


def shipping_terms_kept(*, vendor_id: int) -> ShippingTerms:
    """shipping_terms_shown, kept."""
    return shipping_terms_shown.get(vendor_id=vendor_id)
