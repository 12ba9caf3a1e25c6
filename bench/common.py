"""What the bench scripts share: their database on the server named in DATABASE_URL, and their own section
of docs/benchmarks.md. Imports no Django, so a script may use it before django.setup()."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def admin_connection() -> tuple[Any, str]:
    """An autocommit connection to the server's `postgres` database, and the name of the bench database."""
    import environ
    import psycopg2

    config = environ.Env.db_url_config(os.environ["DATABASE_URL"])
    conn = psycopg2.connect(
        dbname="postgres",
        user=config["USER"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        password=config["PASSWORD"] or None,
    )
    conn.autocommit = True
    return conn, config["NAME"]


def ensure_database() -> None:
    """Create the bench database when it does not exist yet."""
    conn, name = admin_connection()
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def write_section(section: str, start: str, end: str) -> None:
    """Put `section` (which begins with `start` and ends with `end`) in docs/benchmarks.md in place of the
    previous one, keeping the rest of the file; appended when there was none."""
    DOCS.parent.mkdir(exist_ok=True)
    current = DOCS.read_text() if DOCS.exists() else "# Benchmarks\n"
    if start in current and end in current:
        before, rest = current.split(start, 1)
        after = rest.split(end, 1)[1].lstrip("\n")
        current = before + section + ("\n" + after if after else "")
    else:
        current = current.rstrip("\n") + "\n\n" + section
    DOCS.write_text(current)
