"""Indexes for the statistics pipeline (portfolios/services/stats.py), PostgreSQL only.

- membership_vendor_cover_idx: every column the per-vendor statistics read from a membership, in (vendor,
  consumer) order. A shard of the full reconcile (a vendor-id range) or a list of dirty vendors is then one
  index-only range per vendor instead of heap pages spread over the whole table (memberships are stored in the
  order consumers made them, so a shard's rows sit on nearly every page), and consumers ever are counted
  from that order without sorting.
- daily_stat_day_idx: the reconcile's daily checkpoint (the last computed day) without reading every row.

Built CONCURRENTLY (the migration is not atomic), so a live marketplace keeps writing memberships meanwhile.
SQLite (the embedded mode) does without them.
"""

from django.db import migrations

FORWARD = (
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS membership_vendor_cover_idx ON portfolios_partnermembership "
    "(vendor_id, consumer_id) INCLUDE (ended_at, muted, end_reason)",
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS daily_stat_day_idx ON portfolios_vendordailystat (day)",
)
REVERSE = (
    "DROP INDEX CONCURRENTLY IF EXISTS membership_vendor_cover_idx",
    "DROP INDEX CONCURRENTLY IF EXISTS daily_stat_day_idx",
)


def _postgres_only(statements: tuple[str, ...]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("portfolios", "0004_membershipevent_kind_closed"),
    ]

    operations = [
        migrations.RunPython(_postgres_only(FORWARD), _postgres_only(REVERSE), elidable=False),
    ]
