"""Amounts at the provider boundary: integers in the currency's minor unit (pence for GBP, yen for JPY).

Orders keep Decimal prices with two places; the currency's own precision (Babel's CLDR data) decides how many
minor units make one major unit, so a currency without minor units is not multiplied by 100.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import get_currency_precision
from django.conf import settings

from marketplace.kernel.money import currency


def currency_precision(code: str | None = None) -> int:
    return get_currency_precision(code or currency())


def to_minor(amount: Decimal, code: str | None = None) -> int:
    """A Decimal amount in the currency's minor unit, rounded half up."""
    scale = Decimal(10) ** currency_precision(code)
    return int((Decimal(amount) * scale).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def from_minor(amount_minor: int, code: str | None = None) -> Decimal:
    """An integer amount of minor units as a Decimal of the currency's major unit ("1234" → 12.34)."""
    precision = currency_precision(code)
    return (Decimal(amount_minor) / (Decimal(10) ** precision)).quantize(Decimal(1).scaleb(-precision))


def platform_fee_percent() -> Decimal:
    return Decimal(str(settings.MARKETPLACE["PLATFORM_FEE_PERCENT"]))


def platform_fee_minor(gross_minor: int, percent: Decimal | None = None) -> int:
    """The platform's fee on an order's gross, in minor units, rounded half up; never more than the gross."""
    percent = platform_fee_percent() if percent is None else percent
    fee = (Decimal(gross_minor) * percent / Decimal(100)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return max(0, min(gross_minor, int(fee)))


def proportion_minor(part_of: int, numerator: int, denominator: int) -> int:
    """`part_of * numerator / denominator`, rounded half up: the fee's share of a partial refund."""
    if denominator <= 0:
        return 0
    value = (Decimal(part_of) * Decimal(numerator) / Decimal(denominator)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(value)
