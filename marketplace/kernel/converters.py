"""The `id` path converter: `<id:pk>` matches an id from 1 to ID_MAX, so a larger number answers 404.

Django's `int` converter takes any run of digits. PostgreSQL compares an over-large number as a numeric and
finds nothing, and Django skips an out-of-range lookup on an integer column; but a lookup through a foreign
key (`vendor_id=...`) or an `__in` list reaches the driver as a value it cannot bind: OverflowError, a 500.
Importing this module registers the converter (marketplace/urls.py imports it before any `include`).
"""

from __future__ import annotations

from django.urls import register_converter

from marketplace.kernel.limits import ID_MAX


class IdConverter:
    regex = "[0-9]{1,16}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= ID_MAX:
            raise ValueError(f"{value} is not an id")  # Django takes a ValueError for "no match": 404
        return number

    def to_url(self, value: int) -> str:
        return str(int(value))


register_converter(IdConverter, "id")
