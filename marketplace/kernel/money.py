"""Money as people read it: one formatting path for every page, e-mail, message and export.

Amounts are Decimals in the configured currency (`MARKETPLACE["CURRENCY"]`, an ISO 4217 code). Babel writes
them the way the reader's language does (two decimals and a thousands separator: "£1,376.40" in English),
so no template writes a currency symbol. The template filter `money` is a builtin (settings.TEMPLATES), so
every template has it without `{% load %}`.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel.numbers import format_currency, get_currency_symbol
from django import template
from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import get_language, gettext, to_locale

register = template.Library()

FALLBACK_LOCALE = "en_GB"


def currency() -> str:
    """The marketplace's one currency, as an ISO 4217 code."""
    return settings.MARKETPLACE["CURRENCY"]


def _locale() -> str:
    language = get_language() or settings.LANGUAGE_CODE
    return to_locale(language) or FALLBACK_LOCALE


def currency_symbol() -> str:
    """The currency's symbol in the reader's language ("£"), for form labels."""
    return get_currency_symbol(currency(), locale=_locale())


def _money_label(text: str, optional: bool = False) -> str:
    if optional:
        return gettext("%(label)s (%(currency)s, optional)") % {"label": text, "currency": currency_symbol()}
    return f"{text} ({currency_symbol()})"


# A form field's label with the currency in it ("Price (£)"), read when the form is shown, not at import.
money_label = lazy(_money_label, str)


def format_money(amount: Decimal | int | float | str | None) -> str:
    """An amount as the reader's language writes money: "£1,376.40". None (a figure not shown) is "—"."""
    if amount is None or amount == "":
        return "—"
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return "—"
    if not value.is_finite():  # NaN or an infinity is no amount (and a signalling NaN cannot be a cache key)
        return "—"
    return _formatted(value, currency(), _locale())


# Babel's formatting took about a tenth of a millisecond an amount, the most costly part of a product card (a
# vendor page writes 40 amounts); prices repeat, so each amount is written once per currency and language.
@lru_cache(maxsize=8192)
def _formatted(value: Decimal, code: str, locale: str) -> str:
    try:
        return format_currency(value, code, locale=locale)
    except (ValueError, LookupError):  # a language Babel has no data for: the fallback's way of writing it
        return format_currency(value, code, locale=FALLBACK_LOCALE)


@register.filter(name="money", is_safe=False)
def money_filter(amount: Decimal | int | float | str | None) -> str:
    return format_money(amount)
