from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    """pg_trgm for fuzzy name search; Django skips it on SQLite (the embedded mode searches without it)."""

    dependencies = [("shop", "0002_vendorsalesstats")]
    operations = [TrigramExtension()]
