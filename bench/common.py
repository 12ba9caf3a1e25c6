"""What the bench scripts share: their database on the server named in DATABASE_URL, and their own section
of docs/benchmarks.md. Imports no Django, so a script may use it before django.setup()."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
# `make bench SCALE=10` (or BENCH_SCALE=10): every script multiplies the sizes it seeds or expects (consumers,
# vendors, memberships, orders) by it; a size named in its own variable (BENCH_VENDORS=300) is taken as it is.
SCALE = float(os.environ.get("BENCH_SCALE", "1") or "1")


def scaled(name: str, default: int) -> int:
    """The size in the environment variable `name` when set, otherwise `default` (its size at scale 1) times
    the scale factor."""
    value = os.environ.get(name)
    return int(value) if value else max(1, round(default * SCALE))


def scale_text() -> str:
    return f"{SCALE:g}"


def command(script: str) -> str:
    """The command that produced a run's figures, as it can be typed again: `make bench SCALE=n` under make,
    the script itself otherwise, with every BENCH_* setting of the run (database and Redis named only under
    make, where the Makefile names them)."""
    named = sorted((k, v) for k, v in os.environ.items() if k.startswith("BENCH_") and k != "BENCH_SCALE")
    settings = " ".join(f"{name}={value}" for name, value in named)
    if os.environ.get("MAKELEVEL"):
        return f"make bench SCALE={scale_text()}" + (f" {settings}" if settings else "")
    hidden = r"\1:…@"  # never a password in the docs
    urls = " ".join(
        f"{name}={re.sub(r'(://[^:/@]*):[^@]*@', hidden, os.environ[name])}"
        for name in ("DATABASE_URL", "REDIS_URL")
        if os.environ.get(name)
    )
    parts = [urls, f"BENCH_SCALE={scale_text()}", settings, f"python {script}"]
    return " ".join(part for part in parts if part)


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
