"""What vendors learn of their partners' asks, computed off the request: per vendor, the asks received over the
last INSIGHT_WEEKS weeks (in total and per week), how many it answered, how many of its priced offers were
accepted, and the median time to answer. Recomputed from the asks and offers with set-based SQL (never counted
up), so a refresh that runs twice, or dies halfway and runs again, gives the same figures.

When: after commit of a publish (its recipient vendors), an answer (its vendor), an acceptance or an unpaid award
(the offer's vendor), through `ask_stats_refresh_task`; and every hour for every vendor, sharded by vendor-id range
(`ask_stats_reconcile_task`), which moves the window and repairs a refresh that was lost. The insights page and API
read these rows only and release them (marketplace/kernel/privacy: suppressed under K, noised, rounded)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from marketplace.kernel.enqueue import enqueue_safely
from marketplace.kernel.sql import Scope, sql_datetime, sql_execute

INSIGHT_WEEKS = 12


def insight_window_start(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(weeks=INSIGHT_WEEKS)


def ask_stats_refresh(*, scope: Scope, now: datetime | None = None) -> None:
    """Recompute VendorAskStats and VendorAskWeekStat for the vendors in scope, in one transaction. Each vendor's
    rows are upserted (two refreshes of one vendor at once both succeed and leave the same figures) and its week
    rows the window no longer covers are deleted."""
    now = now or timezone.now()
    since, at = sql_datetime(insight_window_start(now)), sql_datetime(now)
    with transaction.atomic():
        sql_execute(
            f"""
            INSERT INTO asks_vendoraskstats
                (vendor_id, received, answered, priced, won, median_answer_seconds, since, computed_at)
            SELECT v.id,
                   (SELECT COUNT(*) FROM asks_askrecipient r WHERE r.vendor_id = v.id AND r.published_at >= %s),
                   COALESCE(a.answered, 0), COALESCE(a.priced, 0), COALESCE(a.won, 0),
                   CASE WHEN a.median IS NULL THEN NULL
                        ELSE GREATEST(0, ROUND(EXTRACT(EPOCH FROM a.median)))::integer END,
                   %s, %s
            FROM vendors_vendor v
            LEFT JOIN LATERAL (
                SELECT COUNT(*) AS answered,
                       COUNT(*) FILTER (WHERE o.state <> 'not_interested') AS priced,
                       COUNT(*) FILTER (WHERE o.state = 'accepted') AS won,
                       percentile_disc(0.5) WITHIN GROUP (ORDER BY o.created_at - k.published_at) AS median
                FROM asks_offer o JOIN asks_ask k ON k.id = o.ask_id
                WHERE o.vendor_id = v.id AND k.published_at >= %s
            ) a ON TRUE
            WHERE v.id {scope.sql}
            ON CONFLICT (vendor_id) DO UPDATE SET
                received = EXCLUDED.received,
                answered = EXCLUDED.answered,
                priced = EXCLUDED.priced,
                won = EXCLUDED.won,
                median_answer_seconds = EXCLUDED.median_answer_seconds,
                since = EXCLUDED.since,
                computed_at = EXCLUDED.computed_at
            """,
            (since, since, at, since, *scope.params),
        )
        sql_execute(
            f"""
            INSERT INTO asks_vendoraskweekstat (vendor_id, week, received, computed_at)
            SELECT r.vendor_id, date_trunc('week', r.published_at AT TIME ZONE 'UTC')::date, COUNT(*), %s
            FROM asks_askrecipient r
            WHERE r.vendor_id {scope.sql} AND r.published_at >= %s
            GROUP BY 1, 2
            ON CONFLICT (vendor_id, week) DO UPDATE SET
                received = EXCLUDED.received,
                computed_at = EXCLUDED.computed_at
            """,
            (at, *scope.params, since),
        )
        sql_execute(
            f"DELETE FROM asks_vendoraskweekstat WHERE vendor_id {scope.sql} AND computed_at <> %s",
            (*scope.params, at),
        )


def ask_stats_refresh_on_commit(*, vendor_ids: Iterable[int]) -> None:
    """Queue a refresh of these vendors' ask figures once the caller's transaction commits. A refresh lost to a
    broker outage is caught up by the hourly reconcile, so the figures are late, never wrong."""
    from ..tasks import ask_stats_refresh_task

    ids = sorted(set(vendor_ids))
    if ids:
        transaction.on_commit(lambda: enqueue_safely(ask_stats_refresh_task, ids))
