"""Helpers for the set-based statistics SQL that every layer's statistics job writes (portfolios, shop).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection


@dataclass(frozen=True)
class Scope:
    """Which vendors a statement touches, as SQL after `vendor_id` and its parameters."""

    sql: str
    params: tuple[Any, ...]

    @classmethod
    def id_range(cls, low: int, high: int) -> Scope:
        return cls("BETWEEN %s AND %s", (low, high))

    @classmethod
    def ids(cls, vendor_ids: Sequence[int]) -> Scope:
        placeholders = ", ".join(["%s"] * len(vendor_ids))
        return cls(f"IN ({placeholders})", tuple(vendor_ids))


def sql_datetime(value: datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def sql_execute(sql: str, params: Iterable[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
