"""The fresh rows of each statistics table, one SELECT each: stats.py writes them back, and the benchmark's
plain-SQL floors run the same SELECTs. Every figure counts only partners who count (`_counted`, the SQL form of
PartnerMembership.objects.counted())."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from marketplace.kernel.privacy import counting_rule, min_group
from marketplace.kernel.sql import Scope, sql_datetime

MEMBERSHIP = "portfolios_partnermembership"
EVENT = "portfolios_membershipevent"
PROFILE = "accounts_consumerprofile"
USER = "accounts_user"
PROFILE_INTERESTS = "accounts_consumerprofile_interests"


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
