"""Portfolio statistics: recomputed from the source tables with set-based SQL, never counted up.

Each table has one SELECT that computes its fresh rows for a scope of vendors (`*_rows` below; the benchmark's
plain-SQL floors run the same SELECTs into temp tables). A refresh writes them back in one statement per
table inside one transaction, so a refresh that runs twice, or dies halfway and runs again, leaves exactly
the same figures:
- PostgreSQL: a data-modifying WITH that updates only the rows whose figures changed (IS DISTINCT FROM),
  inserts the new ones (ON CONFLICT, for a concurrent refresh of the same vendor) and deletes the rows that
  are no longer there. An unchanged row is not written at all, so the hourly reconcile of a quiet
  marketplace writes almost nothing; `computed_at` of such a row is when its figure last changed, while
  VendorStats.computed_at (written on every refresh) says when the vendor's figures were last checked.

Scopes: a vendor-id range (the sharded full reconcile) or a list of ids (the dirty vendors; one array
parameter).
Who counts (rule 4, marketplace/kernel/privacy.py): every per-vendor and marketplace figure counts only memberships
whose consumer a vendor could not have made for the purpose (`_counted`: the SQL form of
PartnerMembership.objects.counted(), with the cutoffs of marketplace.kernel.privacy.counting_rule at the refresh's
`now`). Segment rows about fewer than K such consumers are never written; every figure is released (noise,
suppression, rounding) when read, by marketplace/kernel/privacy.py.

A consumer comes to count with time (their account ages, their partnership lengthens) or when a second vendor
delivers to them, without a membership event: the hourly reconcile recomputes every vendor's totals, end
reasons and segments, so they show within the hour. Daily rows are computed once a day has closed: a day's
counted adds and ends are those of the partners who counted when it was computed (its plain adds and ends, of
every membership, are for the moderators' early warning).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone

from marketplace.kernel.sql import Scope, sql_execute
from vendors.models import Vendor

from ..models import StatsDirtyVendor, VendorDailyStat
from .stats_rows import (
    Rows,
    baseline_rows,
    category_rows,
    daily_rows,
    end_reasons_rows,
    segments_rows,
    vendor_totals_rows,
)

# Session settings of a statistics transaction on PostgreSQL (SET LOCAL), also used by the benchmark's floors.
# work_mem: a shard's partner rows and the profile hash (about 10 MB) stay in memory instead of spilling to
# temporary files; jit off: compiling costs 50-150 ms per statement, more than these statements gain from it;
# random_page_cost 1.1: what they read is cached (the covering index, profiles, interests), so for a few
# hundred vendors index lookups beat hashing every profile's interests (measured: the 1% refresh's segment
# statement 70 -> 50 ms).
PG_SETTINGS = (("work_mem", "64MB"), ("jit", "off"), ("random_page_cost", "1.1"))
# Only in a transaction of the statistics job's own: a commit lost in a server crash loses nothing, as the
# dirty marks cleared in the same transaction come back with it and the refresh runs again. Never inside a
# caller's transaction, which may hold a consumer's change.
PG_OWN_TRANSACTION_SETTINGS = (("synchronous_commit", "off"),)


def stats_session_tune(*, own_transaction: bool = False) -> None:
    """Apply PG_SETTINGS (and, in a transaction the statistics job began itself, PG_OWN_TRANSACTION_SETTINGS)
    until the end of the current transaction."""
    settings_ = PG_SETTINGS + (PG_OWN_TRANSACTION_SETTINGS if own_transaction else ())
    calls = ", ".join("set_config(%s, %s, true)" for _ in settings_)
    sql_execute(f"SELECT {calls}", [part for pair in settings_ for part in pair])


def scope_ids(vendor_ids: Sequence[int]) -> Scope:
    """The vendors with these ids: one array parameter (one plan whatever the count)."""
    return Scope("= ANY(%s)", (list(vendor_ids),))


# --- Writing fresh rows back -----------------------------------------------------------------------------


def _store(rows: Rows, *, now: datetime, stale: str, stale_params: tuple[Any, ...], touch_all: bool = False) -> None:
    """Make the rows of `rows.table` where `stale` holds (a condition on its unqualified columns) equal to the
    fresh rows, in one statement.

    touch_all: write every row's figures and computed_at, changed or not (the vendor's "last refreshed")."""
    columns = (*rows.keys, *rows.figures)
    names = ", ".join(columns)
    # One join of the fresh rows with the stored ones in scope sorts every key into new, changed (figures
    # differ), gone or unchanged; then only the few rows that differ are written, each found by its unique key.
    stored = f"SELECT {names} FROM {rows.table} WHERE {stale}"
    on = " AND ".join(f"s.{k} = f.{k}" for k in rows.keys)
    stored_figures, fresh_figures = (", ".join(f"{alias}.{c}" for c in rows.figures) for alias in ("s", "f"))
    differs = "TRUE" if touch_all else f"({stored_figures}) IS DISTINCT FROM ({fresh_figures})"
    first = rows.keys[0]
    key_of_d = " AND ".join(f"t.{k} = d.{k}" for k in rows.keys)
    sql_execute(
        f"""
        WITH f AS MATERIALIZED ({rows.sql}),
        d AS MATERIALIZED (
            SELECT {", ".join(f"COALESCE(f.{k}, s.{k}) AS {k}" for k in rows.keys)},
                   {", ".join(f"f.{c}" for c in rows.figures)},
                   CASE WHEN s.{first} IS NULL THEN 'new' WHEN f.{first} IS NULL THEN 'gone'
                        WHEN {differs} THEN 'changed' END AS change
            FROM f FULL JOIN ({stored}) s ON {on}
        ),
        changed AS (
            UPDATE {rows.table} t SET {", ".join(f"{c} = d.{c}" for c in rows.figures)}, computed_at = %s
            FROM d WHERE d.change = 'changed' AND {key_of_d}
        ),
        added AS (
            INSERT INTO {rows.table} ({names}, computed_at)
            SELECT {names}, %s FROM d WHERE d.change = 'new'
            ON CONFLICT ({", ".join(rows.keys)}) DO UPDATE
            SET {", ".join(f"{c} = EXCLUDED.{c}" for c in rows.figures)}, computed_at = EXCLUDED.computed_at
        )
        DELETE FROM {rows.table} t USING d WHERE d.change = 'gone' AND {key_of_d}
        """,
        (*rows.params, *stale_params, now, now),
    )


def _store_vendor_tables(scope: Scope, now: datetime, since_day: date | None) -> None:
    where, params = f"vendor_id {scope.sql}", scope.params
    _store(vendor_totals_rows(scope, now), now=now, stale=where, stale_params=params, touch_all=True)
    _store(end_reasons_rows(scope, now), now=now, stale=where, stale_params=params)
    _store(segments_rows(scope, now), now=now, stale=where, stale_params=params)
    day_where, day_params = where, params
    if since_day is not None:
        day_where, day_params = f"{where} AND day >= %s", (*params, since_day)
    _store(daily_rows(scope, since_day, now), now=now, stale=day_where, stale_params=day_params)


def stats_refresh_scope(*, scope: Scope, now: datetime | None = None, since_day: date | None = None) -> None:
    """Recompute every per-vendor statistics table for the vendors in scope (daily rows from `since_day`,
    every day when None). Atomic and idempotent."""
    now = now or timezone.now()
    own = not connection.in_atomic_block
    with transaction.atomic():
        stats_session_tune(own_transaction=own)
        _store_vendor_tables(scope, now, since_day)


def stats_refresh_marketplace(*, now: datetime | None = None, category_ids: Sequence[int] | None = None) -> None:
    """Recompute the marketplace-wide tables: segment baselines for lift and category holders for overlap.

    Atomic and idempotent. `category_ids` limits the category figures to those categories. These scan the
    whole marketplace, so they run with the full reconcile and after profile changes, not per portfolio change.
    """
    now = now or timezone.now()
    own = not connection.in_atomic_block
    with transaction.atomic():
        stats_session_tune(own_transaction=own)
        _store(baseline_rows(now), now=now, stale="1 = 1", stale_params=())
        if category_ids is not None and not category_ids:
            return
        if category_ids is None:
            _store(category_rows(now=now), now=now, stale="1 = 1", stale_params=())
            return
        placeholders = ", ".join(["%s"] * len(category_ids))
        _store(
            category_rows(f"AND v.category_id IN ({placeholders})", tuple(category_ids), now=now),
            now=now,
            stale=f"category_id IN ({placeholders})",
            stale_params=tuple(category_ids),
        )


def vendor_id_shards(*, shard_size: int | None = None) -> list[tuple[int, int]]:
    """Vendor-id ranges of about `shard_size` ids each, covering every vendor."""
    size = shard_size or int(settings.MARKETPLACE["STATS_SHARD_SIZE"])
    bounds = Vendor.objects.aggregate(low=Min("id"), high=Max("id"))
    if bounds["low"] is None:
        return []
    return [(low, min(low + size - 1, bounds["high"])) for low in range(bounds["low"], bounds["high"] + 1, size)]


def stats_reconcile_shard(*, low: int, high: int, since_day: date | None = None) -> None:
    """Recompute the figures of the vendors with ids in [low, high], and their daily rows from `since_day`
    (every day when None). Atomic and idempotent."""
    stats_refresh_scope(scope=Scope.id_range(low, high), since_day=since_day)


def daily_checkpoint() -> date | None:
    """The first day the periodic reconcile recomputes: closed days are computed once (the event log is
    append-only and stamped with the time of the change), so only the last computed day and after are
    redone. None (recompute every day) while nothing is computed yet."""
    last = VendorDailyStat.objects.aggregate(last=Max("day"))["last"]
    return last - timedelta(days=1) if last else None


def stats_reconcile_all(*, progress: Callable[[int], None] | None = None) -> int:
    """Recompute all statistics in-process, shard by shard, every day included (operators after loading
    back-dated data, the demo, tests). Returns the number of shards."""
    shards = vendor_id_shards()
    for low, high in shards:
        stats_reconcile_shard(low=low, high=high)
        if progress:
            progress(1)
    stats_refresh_marketplace()
    StatsDirtyVendor.objects.all().delete()
    return len(shards)


def stats_mark_dirty(*, vendor_ids: Iterable[int]) -> None:
    """Mark vendors for the next incremental refresh; marking one twice keeps one row with the newer time."""
    now = timezone.now()
    rows = [
        StatsDirtyVendor(vendor_id=vendor_id, marked_at=now) for vendor_id in sorted(set(vendor_ids))
    ]  # sorted: no lock-order deadlock
    if rows:
        StatsDirtyVendor.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["vendor"], update_fields=["marked_at"]
        )


def stats_refresh_dirty(*, limit: int = 2000) -> list[int]:
    """Refresh the vendors marked dirty, at most `limit` of them; returns their ids.

    One transaction: the dirty rows are locked (others skip them), the vendors recomputed, and only the
    marks not renewed since the refresh began are cleared, so a change during the refresh is refreshed again next time.
    A worker killed halfway rolls back and leaves the marks for the next run.
    """
    now = timezone.now()
    own = not connection.in_atomic_block
    with transaction.atomic():
        marks = list(
            StatsDirtyVendor.objects.select_for_update(skip_locked=True)
            .order_by("marked_at")
            .values_list("vendor_id", flat=True)[:limit]
        )
        if not marks:
            return []
        vendor_ids = sorted(marks)
        stats_session_tune(own_transaction=own)
        # Yesterday too, so a change just before midnight is counted on the right day.
        _store_vendor_tables(scope_ids(vendor_ids), now, (now - timedelta(days=1)).date())
        StatsDirtyVendor.objects.filter(vendor_id__in=vendor_ids, marked_at__lte=now).delete()
    return vendor_ids
