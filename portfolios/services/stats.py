"""Portfolio statistics: recomputed from the source tables with set-based SQL, never counted up.

Every refresh deletes and re-inserts the rows of the vendors in its scope inside one transaction, so a
refresh that runs twice, or dies halfway and runs again, leaves exactly the same figures. The SQL is
plain enough to run on PostgreSQL (services mode, tests) and on SQLite (the embedded mode).

Scopes: a vendor-id range (the sharded full reconcile) or a list of ids (the dirty vendors).
Suppression (rule 4): segment rows about fewer than K consumers (marketplace.privacy.min_group) are never
written; what is shown of the other tables is suppressed and rounded when read (marketplace/privacy.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from marketplace.privacy import min_group
from marketplace.sql import Scope, sql_datetime, sql_execute
from vendors.models import Vendor

from ..models import StatsDirtyVendor, VendorDailyStat

MEMBERSHIP = "portfolios_partnermembership"
EVENT = "portfolios_membershipevent"
PROFILE = "accounts_consumerprofile"
PROFILE_INTERESTS = "accounts_consumerprofile_interests"


def _refresh_vendor_totals(scope: Scope, now: datetime) -> None:
    since_90d = now - timedelta(days=settings.MARKETPLACE["PUBLIC_FACTS_DAYS"])
    sql_execute(f"DELETE FROM portfolios_vendorstats WHERE vendor_id {scope.sql}", scope.params)
    sql_execute(
        f"""
        INSERT INTO portfolios_vendorstats
            (vendor_id, current_partners, reachable_partners, partners_ever, ended_90d, computed_at)
        SELECT v.id,
               COALESCE(SUM(CASE WHEN m.id IS NOT NULL AND m.ended_at IS NULL THEN 1 ELSE 0 END), 0),
               COALESCE(SUM(CASE WHEN m.id IS NOT NULL AND m.ended_at IS NULL AND m.muted = %s THEN 1 ELSE 0 END), 0),
               COUNT(DISTINCT m.consumer_id)
                 + COALESCE(SUM(CASE WHEN m.id IS NOT NULL AND m.consumer_id IS NULL THEN 1 ELSE 0 END), 0),
               COALESCE(SUM(CASE WHEN m.ended_at >= %s AND m.end_reason <> '' THEN 1 ELSE 0 END), 0),
               %s
        FROM vendors_vendor v
        LEFT JOIN {MEMBERSHIP} m ON m.vendor_id = v.id
        WHERE v.id {scope.sql}
        GROUP BY v.id
        """,
        (False, sql_datetime(since_90d), sql_datetime(now), *scope.params),
    )


def _refresh_end_reasons(scope: Scope, now: datetime) -> None:
    since_90d = now - timedelta(days=settings.MARKETPLACE["PUBLIC_FACTS_DAYS"])
    sql_execute(f"DELETE FROM portfolios_vendorendreasonstat WHERE vendor_id {scope.sql}", scope.params)
    sql_execute(
        f"""
        INSERT INTO portfolios_vendorendreasonstat (vendor_id, reason, ended_90d, ended_total, computed_at)
        SELECT m.vendor_id, m.end_reason, SUM(CASE WHEN m.ended_at >= %s THEN 1 ELSE 0 END), COUNT(*), %s
        FROM {MEMBERSHIP} m
        WHERE m.ended_at IS NOT NULL AND m.end_reason <> '' AND m.vendor_id {scope.sql}
        GROUP BY m.vendor_id, m.end_reason
        """,
        (sql_datetime(since_90d), sql_datetime(now), *scope.params),
    )


def _refresh_segments(scope: Scope, now: datetime) -> None:
    """Current partners who share region, age band or interests, by value; groups under K are not stored."""
    sql_execute(f"DELETE FROM portfolios_vendorsegmentstat WHERE vendor_id {scope.sql}", scope.params)
    insert = "INSERT INTO portfolios_vendorsegmentstat (vendor_id, dimension, value, partners, reachable, computed_at)"
    reachable = "SUM(CASE WHEN m.muted = %s THEN 1 ELSE 0 END)"
    k = min_group()
    sql_execute(
        f"""
        {insert}
        SELECT m.vendor_id, 'region', r.code, COUNT(*), {reachable}, %s
        FROM {MEMBERSHIP} m
        JOIN {PROFILE} p ON p.user_id = m.consumer_id
        JOIN accounts_region r ON r.id = p.region_id
        WHERE m.ended_at IS NULL AND p.share_region = %s AND m.vendor_id {scope.sql}
        GROUP BY m.vendor_id, r.code
        HAVING COUNT(*) >= %s
        """,
        (False, sql_datetime(now), True, *scope.params, k),
    )
    sql_execute(
        f"""
        {insert}
        SELECT m.vendor_id, 'age_band', p.age_band, COUNT(*), {reachable}, %s
        FROM {MEMBERSHIP} m
        JOIN {PROFILE} p ON p.user_id = m.consumer_id
        WHERE m.ended_at IS NULL AND p.share_age_band = %s AND p.age_band <> '' AND m.vendor_id {scope.sql}
        GROUP BY m.vendor_id, p.age_band
        HAVING COUNT(*) >= %s
        """,
        (False, sql_datetime(now), True, *scope.params, k),
    )
    sql_execute(
        f"""
        {insert}
        SELECT m.vendor_id, 'interest', i.slug, COUNT(*), {reachable}, %s
        FROM {MEMBERSHIP} m
        JOIN {PROFILE} p ON p.user_id = m.consumer_id
        JOIN {PROFILE_INTERESTS} pi ON pi.consumerprofile_id = p.user_id
        JOIN accounts_interest i ON i.id = pi.interest_id
        WHERE m.ended_at IS NULL AND p.share_interests = %s AND m.vendor_id {scope.sql}
        GROUP BY m.vendor_id, i.slug
        HAVING COUNT(*) >= %s
        """,
        (False, sql_datetime(now), True, *scope.params, k),
    )


def _refresh_segment_totals(scope: Scope, now: datetime) -> None:
    """Per dimension, value "*": current partners who share that dimension at all (the base for lift)."""
    insert = "INSERT INTO portfolios_vendorsegmentstat (vendor_id, dimension, value, partners, reachable, computed_at)"
    reachable = "SUM(CASE WHEN m.muted = %s THEN 1 ELSE 0 END)"
    k = min_group()
    for dimension, condition in (
        ("region", "p.share_region = %s AND p.region_id IS NOT NULL"),
        ("age_band", "p.share_age_band = %s AND p.age_band <> ''"),
        (
            "interest",
            f"p.share_interests = %s AND EXISTS (SELECT 1 FROM {PROFILE_INTERESTS} pi "
            "WHERE pi.consumerprofile_id = p.user_id)",
        ),
    ):
        sql_execute(
            f"""
            {insert}
            SELECT m.vendor_id, %s, '*', COUNT(*), {reachable}, %s
            FROM {MEMBERSHIP} m
            JOIN {PROFILE} p ON p.user_id = m.consumer_id
            WHERE m.ended_at IS NULL AND {condition} AND m.vendor_id {scope.sql}
            GROUP BY m.vendor_id
            HAVING COUNT(*) >= %s
            """,
            (dimension, False, sql_datetime(now), True, *scope.params, k),
        )


def _refresh_daily(scope: Scope, now: datetime, since_day: Any | None) -> None:
    """Adds (starts and reinstatements), ends and net per vendor per day, from the event log.

    Closed days never change (the log is append-only and stamped with the time of the change), so an
    incremental refresh recomputes only from `since_day`; the full reconcile recomputes every day.
    """
    day_filter, day_params = "", ()
    if since_day is not None:
        day_filter = "AND day >= %s"
        day_params = (since_day,)
    sql_execute(
        f"DELETE FROM portfolios_vendordailystat WHERE vendor_id {scope.sql} {day_filter}",
        (*scope.params, *day_params),
    )
    event_filter = "AND e.created_at >= %s" if since_day is not None else ""
    event_params = (
        (sql_datetime(timezone.make_aware(datetime.combine(since_day, datetime.min.time()))),) if since_day else ()
    )
    sql_execute(
        f"""
        INSERT INTO portfolios_vendordailystat (vendor_id, day, adds, ends, net, computed_at)
        SELECT e.vendor_id, DATE(e.created_at),
               SUM(CASE WHEN e.kind IN ('started', 'reinstated') THEN 1 ELSE 0 END),
               SUM(CASE WHEN e.kind = 'ended' THEN 1 ELSE 0 END),
               SUM(CASE WHEN e.kind IN ('started', 'reinstated') THEN 1 WHEN e.kind IN ('ended', 'closed') THEN -1
                   ELSE 0 END),
               %s
        FROM {EVENT} e
        WHERE e.vendor_id {scope.sql} {event_filter}
        GROUP BY e.vendor_id, DATE(e.created_at)
        """,
        (sql_datetime(now), *scope.params, *event_params),
    )


def stats_refresh_scope(*, scope: Scope, now: datetime | None = None, since_day: Any | None = None) -> None:
    """Recompute every per-vendor statistics table for the vendors in scope. Atomic and idempotent."""
    now = now or timezone.now()
    with transaction.atomic():
        _refresh_vendor_totals(scope, now)
        _refresh_end_reasons(scope, now)
        _refresh_segments(scope, now)
        _refresh_segment_totals(scope, now)
        _refresh_daily(scope, now, since_day)


def stats_refresh_marketplace(*, now: datetime | None = None, category_ids: Sequence[int] | None = None) -> None:
    """Recompute the marketplace-wide tables: segment baselines for lift and category holders for overlap.

    Atomic and idempotent. `category_ids` limits the category figures to those categories. These scan the
    whole marketplace, so they run with the full reconcile and after profile changes, not per portfolio change.
    """
    now = now or timezone.now()
    k = min_group()
    with transaction.atomic():
        sql_execute("DELETE FROM portfolios_marketplacesegmentbaseline", ())
        baseline = "INSERT INTO portfolios_marketplacesegmentbaseline (dimension, value, consumers, computed_at)"
        for dimension, value_sql, join, share, present in (
            ("region", "r.code", "JOIN accounts_region r ON r.id = p.region_id", "share_region", "TRUE"),
            ("age_band", "p.age_band", "", "share_age_band", "p.age_band <> ''"),
            (
                "interest",
                "i.slug",
                f"JOIN {PROFILE_INTERESTS} pi ON pi.consumerprofile_id = p.user_id "
                "JOIN accounts_interest i ON i.id = pi.interest_id",
                "share_interests",
                "TRUE",
            ),
        ):
            present_sql = "1 = 1" if present == "TRUE" else present
            sql_execute(
                f"""
                {baseline}
                SELECT %s, {value_sql}, COUNT(*), %s FROM {PROFILE} p {join}
                WHERE p.{share} = %s AND {present_sql}
                GROUP BY {value_sql} HAVING COUNT(*) >= %s
                """,
                (dimension, sql_datetime(now), True, k),
            )
            # The denominator for lift: every consumer who shares this dimension at all.
            total_join = "JOIN accounts_region r ON r.id = p.region_id" if dimension == "region" else ""
            total_where = (
                present_sql
                if dimension != "interest"
                else (f"EXISTS (SELECT 1 FROM {PROFILE_INTERESTS} pi WHERE pi.consumerprofile_id = p.user_id)")
            )
            sql_execute(
                f"""
                {baseline}
                SELECT %s, '*', total, %s FROM (
                    SELECT COUNT(*) AS total FROM {PROFILE} p {total_join} WHERE p.{share} = %s AND {total_where}
                ) counted
                WHERE total >= %s
                """,
                (dimension, sql_datetime(now), True, k),
            )

        category_filter, category_params = "", ()
        if category_ids is not None:
            if not category_ids:
                return
            category_filter = f"AND v.category_id IN ({', '.join(['%s'] * len(category_ids))})"
            category_params = tuple(category_ids)
            sql_execute(
                f"DELETE FROM portfolios_categorystats WHERE category_id IN ({', '.join(['%s'] * len(category_ids))})",
                category_params,
            )
        else:
            sql_execute("DELETE FROM portfolios_categorystats", ())
        sql_execute(
            f"""
            INSERT INTO portfolios_categorystats (category_id, consumers_holding, computed_at)
            SELECT v.category_id, COUNT(DISTINCT m.consumer_id), %s
            FROM {MEMBERSHIP} m JOIN vendors_vendor v ON v.id = m.vendor_id
            WHERE m.ended_at IS NULL {category_filter}
            GROUP BY v.category_id
            """,
            (sql_datetime(now), *category_params),
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
    with transaction.atomic():
        marks = list(StatsDirtyVendor.objects.select_for_update(skip_locked=True).order_by("marked_at")[:limit])
        if not marks:
            return []
        vendor_ids = sorted(m.vendor_id for m in marks)
        # Yesterday too, so a change just before midnight is counted on the right day.
        stats_refresh_scope(scope=Scope.ids(vendor_ids), now=now, since_day=(now - timedelta(days=1)).date())
        StatsDirtyVendor.objects.filter(vendor_id__in=vendor_ids, marked_at__lte=now).delete()
    return vendor_ids
