"""Sales and rating figures per vendor, recomputed from orders and ratings (never counted up)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from marketplace.kernel.sql import Scope, sql_datetime, sql_execute


def sales_stats_refresh(*, scope: Scope) -> None:
    """Recompute VendorSalesStats for the vendors in scope: orders (paid, not cancelled), revenue, the
    partners' part of it, average service rating. Atomic and idempotent; one upsert per vendor row, so two
    refreshes of one vendor at once (two purchases paid in the same moment) both succeed and leave the same
    figures (a delete and an insert made the second fail on the row the first had just written)."""
    now = timezone.now()
    live = "o.vendor_id = v.id AND o.status NOT IN ('cancelled', 'awaiting_payment')"
    with transaction.atomic():
        sql_execute(
            f"""
            INSERT INTO shop_vendorsalesstats
                (vendor_id, orders_total, revenue_total, partner_revenue, rating_average, rating_count, computed_at)
            SELECT v.id,
                   (SELECT COUNT(*) FROM shop_order o WHERE {live}),
                   COALESCE((SELECT SUM(o.total) FROM shop_order o WHERE {live}), 0),
                   COALESCE((SELECT SUM(o.total) FROM shop_order o WHERE {live} AND o.buyer_was_partner = %s), 0),
                   (SELECT ROUND(AVG(r.score), 2) FROM shop_servicerating r WHERE r.vendor_id = v.id),
                   (SELECT COUNT(*) FROM shop_servicerating r WHERE r.vendor_id = v.id),
                   %s
            FROM vendors_vendor v
            WHERE v.id {scope.sql}
            ON CONFLICT (vendor_id) DO UPDATE SET
                orders_total = EXCLUDED.orders_total,
                revenue_total = EXCLUDED.revenue_total,
                partner_revenue = EXCLUDED.partner_revenue,
                rating_average = EXCLUDED.rating_average,
                rating_count = EXCLUDED.rating_count,
                computed_at = EXCLUDED.computed_at
            """,
            (True, sql_datetime(now), *scope.params),
        )
