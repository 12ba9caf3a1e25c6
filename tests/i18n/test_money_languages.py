"""Money is written the reader's language's way, through the one `money` filter (Babel's format_currency with the
configured currency): no template writes a currency symbol."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation


@pytest.mark.parametrize(
    ("currency", "language", "shown"),
    [
        ("GBP", "en", "£1,376.40"),
        ("GBP", "zh-hant", "£1,376.40"),
        ("TWD", "en", "NT$1,376.40"),
        ("TWD", "zh-hant", "$1,376.40"),  # a Taiwanese reader's own dollar needs no "NT"
        ("EUR", "en", "€1,376.40"),
    ],
)
def test_money_filter_writes_the_configured_currency_in_the_readers_language(settings, currency, language, shown):
    settings.MARKETPLACE = {**settings.MARKETPLACE, "CURRENCY": currency}
    with translation.override(language):
        assert Template("{{ amount|money }}").render(Context({"amount": Decimal("1376.4")})) == shown


def test_no_template_writes_a_currency_symbol():
    written = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}"
        for path in Path(settings.BASE_DIR, "templates").rglob("*.*")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if any(symbol in line for symbol in ("£", "€", "NT$", "¥"))
    ]
    assert written == []
