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
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone

from marketplace.kernel.privacy import counting_rule, min_group
from marketplace.kernel.sql import Scope, sql_datetime, sql_execute
from vendors.models import Vendor

from ..models import StatsDirtyVendor, VendorDailyStat

MEMBERSHIP = "portfolios_partnermembership"
EVENT = "portfolios_membershipevent"
PROFILE = "accounts_consumerprofile"
USER = "accounts_user"
PROFILE_INTERESTS = "accounts_consumerprofile_interests"

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


# --- The fresh rows of each table, as one SELECT each ----------------------------------------------------


@dataclass(frozen=True)
class Rows:
    """One table's fresh rows: its SELECT (columns named as the table's), the key and figure columns."""

    table: str
    keys: tuple[str, ...]
    figures: tuple[str, ...]
    sql: str
    params: tuple[Any, ...]


def _since_90d(now: datetime) -> Any:
    return sql_datetime(now - timedelta(days=settings.MARKETPLACE["PUBLIC_FACTS_DAYS"]))


def _counted_joins(m: str) -> str:
    """The joins `_counted` reads, for a membership table aliased `m`: its consumer (c), their profile (cp) and
    its vendor (cv). Left joins: an anonymised membership has no consumer."""
    return (
        f"LEFT JOIN {USER} c ON c.id = {m}.consumer_id "
        f"LEFT JOIN {PROFILE} cp ON cp.user_id = {m}.consumer_id "
        f"JOIN vendors_vendor cv ON cv.id = {m}.vendor_id"
    )


def _counted(m: str, now: datetime) -> tuple[str, tuple[Any, ...]]:
    """SQL (and its parameters) true when membership `m` counts in its vendor's figures: the rule of
    marketplace/kernel/privacy.py ("who counts"), the same as PartnerMembership.objects.counted(). Needs _counted_joins.
    Compares columns with two cutoffs, so it is one more condition of the set-based statement, never a loop."""
    rule = counting_rule(now)
    partner_cutoff = sql_datetime(rule.partner_cutoff)
    sql = f"""(
        ({m}.consumer_id IS NOT NULL AND c.is_active AND c.date_joined <= %s AND {m}.consumer_id <> cv.owner_id
         AND (cp.buyer_since IS NOT NULL OR {m}.started_at <= %s))
        OR ({m}.consumer_id IS NULL AND {m}.started_at <= %s)
    )"""
    return sql, (sql_datetime(rule.account_cutoff), partner_cutoff, partner_cutoff)


def vendor_totals_rows(scope: Scope, now: datetime) -> Rows:
    """Every vendor in scope (zeros without memberships): current and reachable partners, consumers ever,
    partnerships ended by the consumer's verdict in the last 90 days (account closures have no reason); of the
    memberships that count (`_counted`) only.

    Consumers ever: memberships in (vendor, consumer) order from the covering index, a consumer counted at
    their first row (LAG) instead of COUNT(DISTINCT), which sorts every vendor's rows again; an anonymised
    membership (no consumer) counts on its own."""
    counted, counted_params = _counted("mm", now)
    return Rows(
        table="portfolios_vendorstats",
        keys=("vendor_id",),
        figures=("current_partners", "reachable_partners", "partners_ever", "ended_90d"),
        sql=f"""
        SELECT v.id AS vendor_id,
               COALESCE(t.current_partners, 0) AS current_partners,
               COALESCE(t.reachable_partners, 0) AS reachable_partners,
               COALESCE(t.partners_ever, 0) AS partners_ever,
               COALESCE(t.ended_90d, 0) AS ended_90d
        FROM vendors_vendor v
        LEFT JOIN (
            SELECT m.vendor_id,
                   COUNT(*) FILTER (WHERE m.ended_at IS NULL) AS current_partners,
                   COUNT(*) FILTER (WHERE m.ended_at IS NULL AND NOT m.muted) AS reachable_partners,
                   COUNT(*) FILTER (WHERE m.consumer_id IS NULL OR m.previous IS NULL OR m.consumer_id <> m.previous)
                     AS partners_ever,
                   COUNT(*) FILTER (WHERE m.ended_at >= %s AND m.end_reason <> '') AS ended_90d
            FROM (
                SELECT mm.vendor_id, mm.consumer_id, mm.ended_at, mm.muted, mm.end_reason,
                       LAG(mm.consumer_id) OVER (PARTITION BY mm.vendor_id ORDER BY mm.consumer_id) AS previous
                FROM {MEMBERSHIP} mm {_counted_joins("mm")}
                WHERE mm.vendor_id {scope.sql} AND {counted}
            ) m
            GROUP BY m.vendor_id
        ) t ON t.vendor_id = v.id
        WHERE v.id {scope.sql}
        """,
        params=(_since_90d(now), *scope.params, *counted_params, *scope.params),
    )


def end_reasons_rows(scope: Scope, now: datetime) -> Rows:
    """Per vendor and reason: partnerships that count ended in the last 90 days and ever (closures have no
    reason)."""
    counted, counted_params = _counted("mm", now)
    return Rows(
        table="portfolios_vendorendreasonstat",
        keys=("vendor_id", "reason"),
        figures=("ended_90d", "ended_total"),
        sql=f"""
        SELECT mm.vendor_id, mm.end_reason AS reason,
               COUNT(*) FILTER (WHERE mm.ended_at >= %s) AS ended_90d, COUNT(*) AS ended_total
        FROM {MEMBERSHIP} mm {_counted_joins("mm")}
        WHERE mm.vendor_id {scope.sql} AND mm.ended_at IS NOT NULL AND mm.end_reason <> '' AND {counted}
        GROUP BY mm.vendor_id, mm.end_reason
        """,
        params=(_since_90d(now), *scope.params, *counted_params),
    )


def segments_rows(scope: Scope, now: datetime | None = None) -> Rows:
    """Current partners who count (`_counted`) and share region, age band or interests, by value, and per
    dimension the value "*": those who share that dimension at all (the base for lift). Rows about fewer than
    K are not stored.

    One statement: the scope's current partners with what they share are read once (the `partner` CTE);
    each dimension groups them by an integer or short key, and the region and age band totals are the sums
    of their values (a consumer has one of each), so only interests need a pass of their own."""
    counted, counted_params = _counted("m", now or timezone.now())
    return Rows(
        table="portfolios_vendorsegmentstat",
        keys=("vendor_id", "dimension", "value"),
        figures=("partners", "reachable"),
        sql=f"""
        WITH partner AS MATERIALIZED (
            SELECT m.vendor_id, m.consumer_id, m.muted,
                   CASE WHEN p.share_region THEN p.region_id END AS region_id,
                   CASE WHEN p.share_age_band AND p.age_band <> '' THEN p.age_band END AS age_band,
                   p.share_interests AS interests_shared
            FROM {MEMBERSHIP} m
            JOIN {PROFILE} p ON p.user_id = m.consumer_id
            {_counted_joins("m")}
            WHERE m.ended_at IS NULL AND m.vendor_id {scope.sql} AND {counted}
        ), by_region AS (
            SELECT vendor_id, region_id, COUNT(*) AS partners, COUNT(*) FILTER (WHERE NOT muted) AS reachable
            FROM partner WHERE region_id IS NOT NULL
            GROUP BY vendor_id, region_id
        ), by_age AS (
            SELECT vendor_id, age_band, COUNT(*) AS partners, COUNT(*) FILTER (WHERE NOT muted) AS reachable
            FROM partner WHERE age_band IS NOT NULL
            GROUP BY vendor_id, age_band
        ), by_interest AS (
            SELECT pa.vendor_id, pi.interest_id, COUNT(*) AS partners,
                   COUNT(*) FILTER (WHERE NOT pa.muted) AS reachable
            FROM partner pa
            JOIN {PROFILE_INTERESTS} pi ON pi.consumerprofile_id = pa.consumer_id
            WHERE pa.interests_shared
            GROUP BY pa.vendor_id, pi.interest_id
        ), counted AS (
            SELECT g.vendor_id, 'region' AS dimension, r.code AS value, g.partners, g.reachable
            FROM by_region g JOIN accounts_region r ON r.id = g.region_id
            UNION ALL
            SELECT vendor_id, 'region', '*', SUM(partners), SUM(reachable) FROM by_region GROUP BY vendor_id
            UNION ALL
            SELECT vendor_id, 'age_band', age_band, partners, reachable FROM by_age
            UNION ALL
            SELECT vendor_id, 'age_band', '*', SUM(partners), SUM(reachable) FROM by_age GROUP BY vendor_id
            UNION ALL
            SELECT g.vendor_id, 'interest', i.slug, g.partners, g.reachable
            FROM by_interest g JOIN accounts_interest i ON i.id = g.interest_id
            UNION ALL
            SELECT pa.vendor_id, 'interest', '*', COUNT(*), COUNT(*) FILTER (WHERE NOT pa.muted)
            FROM partner pa
            WHERE pa.interests_shared
              AND EXISTS (SELECT 1 FROM {PROFILE_INTERESTS} pi WHERE pi.consumerprofile_id = pa.consumer_id)
            GROUP BY pa.vendor_id
        )
        SELECT vendor_id, dimension, value, partners, reachable FROM counted WHERE partners >= %s
        """,
        params=(*scope.params, *counted_params, min_group()),
    )


def daily_rows(scope: Scope, since_day: date | None, now: datetime | None = None) -> Rows:
    """Adds (starts and reinstatements), ends and net per vendor per day, from the event log, from
    `since_day` (every day when None): of every membership (what moderators' early warning reads), and of the
    memberships that count (`_counted`, at `now`) only, the counted_* figures every vendor-facing figure reads."""
    counted, counted_params = _counted("mm", now or timezone.now())
    event_filter, event_params = "", ()
    if since_day is not None:
        event_filter = "AND e.created_at >= %s"
        event_params = (sql_datetime(timezone.make_aware(datetime.combine(since_day, datetime.min.time()))),)
    added, ended, gone = "e.kind IN ('started', 'reinstated')", "e.kind = 'ended'", "e.kind IN ('ended', 'closed')"
    return Rows(
        table="portfolios_vendordailystat",
        keys=("vendor_id", "day"),
        figures=("adds", "ends", "net", "counted_adds", "counted_ends", "counted_net"),
        sql=f"""
        SELECT e.vendor_id, DATE(e.created_at) AS day,
               COUNT(*) FILTER (WHERE {added}) AS adds,
               COUNT(*) FILTER (WHERE {ended}) AS ends,
               COUNT(*) FILTER (WHERE {added}) - COUNT(*) FILTER (WHERE {gone}) AS net,
               COUNT(*) FILTER (WHERE e.counted AND {added}) AS counted_adds,
               COUNT(*) FILTER (WHERE e.counted AND {ended}) AS counted_ends,
               COUNT(*) FILTER (WHERE e.counted AND {added}) - COUNT(*) FILTER (WHERE e.counted AND {gone})
                 AS counted_net
        FROM (
            SELECT e.vendor_id, e.created_at, e.kind, ({counted}) AS counted
            FROM {EVENT} e
            JOIN {MEMBERSHIP} mm ON mm.id = e.membership_id
            {_counted_joins("mm")}
            WHERE e.vendor_id {scope.sql} {event_filter}
        ) e
        GROUP BY e.vendor_id, DATE(e.created_at)
        """,
        params=(*counted_params, *scope.params, *event_params),
    )


def baseline_rows(now: datetime | None = None) -> Rows:
    """Consumers in the whole marketplace who share a dimension, by value and in all ("*"); at least K. Only
    active accounts at least PRIVACY_ACCOUNT_DAYS old (marketplace/kernel/privacy.py), so new accounts do not move
    it."""
    interested = f"EXISTS (SELECT 1 FROM {PROFILE_INTERESTS} pi WHERE pi.consumerprofile_id = p.user_id)"
    account_cutoff = sql_datetime(counting_rule(now).account_cutoff)
    return Rows(
        table="portfolios_marketplacesegmentbaseline",
        keys=("dimension", "value"),
        figures=("consumers",),
        sql=f"""
        WITH established AS MATERIALIZED (
            SELECT p.* FROM {PROFILE} p JOIN {USER} u ON u.id = p.user_id
            WHERE u.is_active AND u.date_joined <= %s
        ), counted AS (
            SELECT 'region' AS dimension, r.code AS value, COUNT(*) AS consumers
            FROM established p JOIN accounts_region r ON r.id = p.region_id
            WHERE p.share_region GROUP BY r.code
            UNION ALL
            SELECT 'region', '*', COUNT(*) FROM established p WHERE p.share_region AND p.region_id IS NOT NULL
            UNION ALL
            SELECT 'age_band', p.age_band, COUNT(*) FROM established p
            WHERE p.share_age_band AND p.age_band <> '' GROUP BY p.age_band
            UNION ALL
            SELECT 'age_band', '*', COUNT(*) FROM established p WHERE p.share_age_band AND p.age_band <> ''
            UNION ALL
            SELECT 'interest', i.slug, COUNT(*)
            FROM established p
            JOIN {PROFILE_INTERESTS} pi ON pi.consumerprofile_id = p.user_id
            JOIN accounts_interest i ON i.id = pi.interest_id
            WHERE p.share_interests GROUP BY i.slug
            UNION ALL
            SELECT 'interest', '*', COUNT(*) FROM established p WHERE p.share_interests AND {interested}
        )
        SELECT dimension, value, consumers FROM counted WHERE consumers >= %s
        """,
        params=(account_cutoff, min_group()),
    )


def category_rows(
    category_filter: str = "", category_params: tuple[Any, ...] = (), now: datetime | None = None
) -> Rows:
    """Per category: consumers holding at least one current partner in it, by a membership that counts
    (`_counted`; the base for a vendor's overlap)."""
    counted, counted_params = _counted("m", now or timezone.now())
    return Rows(
        table="portfolios_categorystats",
        keys=("category_id",),
        figures=("consumers_holding",),
        sql=f"""
        SELECT v.category_id, COUNT(DISTINCT m.consumer_id) AS consumers_holding
        FROM {MEMBERSHIP} m JOIN vendors_vendor v ON v.id = m.vendor_id
        {_counted_joins("m")}
        WHERE m.ended_at IS NULL AND {counted} {category_filter}
        GROUP BY v.category_id
        """,
        params=(*counted_params, *category_params),
    )


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
