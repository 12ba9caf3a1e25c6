"""The planner's cost of a random page read, set for this database: 1.1 instead of PostgreSQL's 4.

PostgreSQL's default prices a random read as a spinning disk's. On SSDs, and with the hot tables in memory as
here, that made it hash every vendor (a sequential scan of the whole table) to join the products of a
shopper's 20 partners instead of 360 lookups by primary key: 29 ms against 2.4 ms at 10k vendors (docs/
benchmarks.md). 1.1 is the usual value for SSD storage. It applies to new connections. A database user that
may not ALTER DATABASE (not its owner) keeps the default and is told to ask the owner to run the statement.
"""

import logging

from django.db import DatabaseError, migrations, transaction

logger = logging.getLogger(__name__)
STATEMENT = "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET random_page_cost = {}', current_database()); END $$"


def _set(cost: str):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor != "postgresql":
            return
        try:
            with transaction.atomic(using=schema_editor.connection.alias), schema_editor.connection.cursor() as cursor:
                cursor.execute(STATEMENT.format(cost))
        except DatabaseError as exc:
            logger.warning(
                "Could not set random_page_cost = %s for this database (%s); ask its owner to run: "
                "ALTER DATABASE <name> SET random_page_cost = %s",
                cost,
                exc,
                cost,
            )

    return run


class Migration(migrations.Migration):
    dependencies = [("shop", "0004_sales_rating_index")]

    operations = [migrations.RunPython(_set("1.1"), _set("DEFAULT"))]
