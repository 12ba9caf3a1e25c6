from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_makemigrations_check_finds_models_and_migrations_in_step():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)  # exits non-zero when a migration is missing
    assert "No changes detected" in out.getvalue()
