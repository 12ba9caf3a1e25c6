"""Seeding benchmark (not a test): how long `seed_demo` takes at marketplace scale, against a plain COPY.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/marketplace_bench_seed .venv/bin/python bench/seed_bench.py

(Re)creates the database named in DATABASE_URL (dropped first; with BENCH_RESEED=0 a database that already
holds the full scale is reported as reused and nothing is measured), migrates, then runs what
`manage.py seed_demo` runs, at 100 000 consumers, 10 000 vendors, 20 products per vendor and 20 memberships
per consumer (BENCH_CONSUMERS, BENCH_VENDORS, BENCH_PRODUCTS_PER_VENDOR, BENCH_MEMBERSHIPS_PER_CONSUMER): the
demo data, then the full statistics refresh. It prints the seconds of each step, the rows written per table
and rows per second, and the floor: a plain COPY of as many membership rows into a scratch temporary table
(no index, no trigger, no WAL) in the same run, as a ratio. It writes its section of docs/benchmarks.md.
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import common  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/marketplace_bench_seed")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/7")
os.environ.setdefault("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")  # the demo orders' mail

CONSUMERS = common.scaled("BENCH_CONSUMERS", 100000)
VENDORS = common.scaled("BENCH_VENDORS", 10000)
PRODUCTS_PER_VENDOR = int(os.environ.get("BENCH_PRODUCTS_PER_VENDOR", "20"))
PER_CONSUMER = int(os.environ.get("BENCH_MEMBERSHIPS_PER_CONSUMER", "20"))
RESEED = os.environ.get("BENCH_RESEED", "1") != "0"
FLOOR_RUNS = int(os.environ.get("BENCH_FLOOR_RUNS", "3"))
TARGET_SECONDS = 120
PLURALS = {"index": "indexes", "row": "rows", "vendor": "vendors", "table": "tables", "step": "steps"}
SECTION_START = "<!-- seed_bench:start -->"
SECTION_END = "<!-- seed_bench:end -->"


def database_exists() -> bool:
    conn, name = common.admin_connection()
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        found = cur.fetchone() is not None
    conn.close()
    return found


def database_recreate() -> None:
    conn, name = common.admin_connection()
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()


import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from marketplace.demo.seed import DemoScale, seed_demo  # noqa: E402


@dataclass
class Step:
    desc: str
    unit: str
    rows: int
    seconds: float

    @property
    def units(self) -> str:
        return PLURALS.get(self.unit, self.unit)


@dataclass
class Recorder:
    """A progress factory for seed_demo that records how long each step's bar was open and what it counted,
    and prints each step as it ends."""

    steps: list[Step] = field(default_factory=list)

    def __call__(self, iterable: Any = None, **kwargs: Any) -> _Bar:
        return _Bar(self, str(kwargs.get("desc", "step")), str(kwargs.get("unit", "row")))


class _Bar:
    def __init__(self, recorder: Recorder, desc: str, unit: str) -> None:
        self.recorder, self.desc, self.unit = recorder, desc, unit
        self.count, self.started = 0, time.perf_counter()

    def update(self, n: int = 1) -> None:
        self.count += n

    def close(self) -> None:
        step = Step(self.desc, self.unit, self.count, time.perf_counter() - self.started)
        self.recorder.steps.append(step)
        print(f"  {step.desc:<40} {step.rows:>10,} {step.units:<8} in {step.seconds:6.1f} s", flush=True)


def table_rows() -> dict[str, int]:
    """Exact rows per table of the public schema."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'django_%' "
            "ORDER BY tablename"
        )
        tables = [name for (name,) in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


def holds_full_scale() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('portfolios_partnermembership') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return False
        cursor.execute(
            "SELECT (SELECT count(*) FROM accounts_user WHERE email LIKE 'consumer%%@demo.example'), "
            "(SELECT count(*) FROM accounts_user WHERE email LIKE 'owner%%@demo.example'), "
            "(SELECT count(*) FROM portfolios_partnermembership)"
        )
        consumers, owners, memberships = cursor.fetchone()
    return consumers >= CONSUMERS and owners >= VENDORS and memberships >= CONSUMERS * PER_CONSUMER


def floor_copy(rows: int) -> float:
    """Seconds for a plain COPY of `rows` membership rows (the seeded ones, as text) into a temporary table
    without indexes, triggers or WAL: what loading the rows costs the server at the least; median of runs."""
    buffer = io.BytesIO()
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY (SELECT * FROM portfolios_partnermembership ORDER BY id LIMIT {rows}) TO STDOUT", buffer
        )
    times = []
    for _ in range(FLOOR_RUNS):
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS seed_bench_floor")
            cursor.execute("CREATE TEMP TABLE seed_bench_floor (LIKE portfolios_partnermembership INCLUDING DEFAULTS)")
            buffer.seek(0)
            started = time.perf_counter()
            cursor.cursor.copy_expert("COPY seed_bench_floor FROM STDIN", buffer, size=1 << 17)
            times.append(time.perf_counter() - started)
            cursor.execute("DROP TABLE seed_bench_floor")
    return statistics.median(times)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} (2 cores)"


@dataclass
class Run:
    seed_seconds: float
    stats_seconds: float
    steps: list[Step]
    written: dict[str, int]
    stats_written: dict[str, int]
    floor_rows: int
    floor_seconds: float
    load_before: str
    load_after: str

    @property
    def total(self) -> float:
        return self.seed_seconds + self.stats_seconds

    @property
    def seed_rows(self) -> int:
        return sum(self.written.values())

    @property
    def floor_rate(self) -> float:
        return self.floor_rows / self.floor_seconds

    @property
    def membership_seconds(self) -> float:
        parts = ("memberships", "demo vendor partners", "membership events", "indexes of partner memberships")
        return sum(s.seconds for s in self.steps if s.desc in parts)

    @property
    def membership_rows(self) -> int:
        return sum(self.written.get(t, 0) for t in ("portfolios_partnermembership", "portfolios_membershipevent"))

    @property
    def floor_seconds_for_seed(self) -> float:
        return self.seed_rows / self.floor_rate


def measure() -> Run:
    scale = DemoScale(
        consumers=CONSUMERS,
        vendors=VENDORS,
        products_per_vendor=PRODUCTS_PER_VENDOR,
        memberships_per_consumer=PER_CONSUMER,
    )
    before = table_rows()
    load_before = load()
    recorder = Recorder()
    print(
        f"Seeding {CONSUMERS:,} consumers, {VENDORS:,} vendors x {PRODUCTS_PER_VENDOR} products, "
        f"{PER_CONSUMER} memberships each (load {load_before}) ...",
        flush=True,
    )
    started = time.perf_counter()
    seed_demo(scale, progress=recorder)
    seed_seconds = time.perf_counter() - started
    after_seed = table_rows()
    print("Statistics (refresh_stats --full) ...", flush=True)
    started = time.perf_counter()
    call_command("refresh_stats", "--full", verbosity=0, stdout=io.StringIO())
    stats_seconds = time.perf_counter() - started
    after_stats = table_rows()
    load_after = load()
    written = {t: after_seed[t] - before.get(t, 0) for t in after_seed if after_seed[t] != before.get(t, 0)}
    stats_written = {t: after_stats[t] - after_seed[t] for t in after_stats if after_stats[t] != after_seed[t]}
    floor_rows = written.get("portfolios_partnermembership", 0)
    print(f"Floor: plain COPY of {floor_rows:,} membership rows into a temporary table ...", flush=True)
    return Run(
        seed_seconds,
        stats_seconds,
        recorder.steps,
        written,
        stats_written,
        floor_rows,
        floor_copy(floor_rows),
        load_before,
        load_after,
    )


def report(run: Run) -> str:
    steps_seconds = sum(s.seconds for s in run.steps)
    lines = [
        SECTION_START,
        "## Seeding at marketplace scale",
        "",
        f"Command: `{common.command('bench/seed_bench.py')}`.",
        "",
        f"`python bench/seed_bench.py`: `seed_demo --consumers {CONSUMERS} --vendors {VENDORS} "
        f"--products-per-vendor {PRODUCTS_PER_VENDOR} --memberships-per-consumer {PER_CONSUMER}` on PostgreSQL, "
        "into a database created for the run, then the full statistics refresh the command ends with. "
        f"Machine load (1, 5, 15 min) {run.load_before} before, {run.load_after} after.",
        "",
        "| | seconds | rows written | rows/s |",
        "|---|---:|---:|---:|",
        f"| demo data | {run.seed_seconds:.1f} | {run.seed_rows:,} | {run.seed_rows / run.seed_seconds:,.0f} |",
        f"| statistics (`refresh_stats --full`) | {run.stats_seconds:.1f} | {sum(run.stats_written.values()):,} | "
        f"{sum(run.stats_written.values()) / run.stats_seconds:,.0f} |",
        f"| **seed_demo, total** (target {TARGET_SECONDS} s) | **{run.total:.1f}** | "
        f"{run.seed_rows + sum(run.stats_written.values()):,} | |",
        f"| floor: plain COPY of {run.floor_rows:,} membership rows into a temporary table (median of "
        f"{FLOOR_RUNS}) | {run.floor_seconds:.2f} | {run.floor_rows:,} | {run.floor_rate:,.0f} |",
        "",
        f"At the floor's rate the demo data's {run.seed_rows:,} rows would take {run.floor_seconds_for_seed:.1f} s: "
        f"the seed takes **{run.seed_seconds / run.floor_seconds_for_seed:.1f} times** that (it also generates the "
        "rows in Python, keeps triggers, indexes and foreign keys, and writes WAL, which the floor does not).",
        "",
        f"The memberships alone (their rows, the demo vendor's partners, the events and the indexes of both "
        f"tables): {run.membership_seconds:.1f} s for {run.membership_rows:,} rows, "
        f"{run.membership_seconds / (run.membership_rows / run.floor_rate):.1f} times the floor's time for as many.",
        "",
        "### Steps of the demo data",
        "",
        "| step | written | seconds | rows/s |",
        "|---|---:|---:|---:|",
    ]
    for step in run.steps:
        rate = f"{step.rows / step.seconds:,.0f}" if step.seconds > 0 and step.unit == "row" else ""
        lines.append(f"| {step.desc} | {step.rows:,} {step.units} | {step.seconds:.1f} | {rate} |")
    lines += [
        f"| other (named accounts, the demo consumer's partners) | | {run.seed_seconds - steps_seconds:.1f} | |",
        "",
        "The index steps rebuild the indexes and foreign keys set aside for the load (marketplace/demo/bulk.py);",
        "the vendors step includes their owner accounts and regions, the consumers step their profiles and interests.",
        "",
        "### Rows written per table",
        "",
        "| table | by the seed | by the statistics |",
        "|---|---:|---:|",
    ]
    for table in sorted(set(run.written) | set(run.stats_written), key=lambda t: -(run.written.get(t, 0))):
        lines.append(f"| `{table}` | {run.written.get(table, 0):,} | {run.stats_written.get(table, 0):,} |")
    lines.append(SECTION_END)
    return "\n".join(lines) + "\n"


def write_section(section: str) -> None:
    common.write_section(section, SECTION_START, SECTION_END)


def main() -> None:
    if not RESEED and database_exists():
        call_command("migrate", verbosity=0)
        if holds_full_scale():
            print("reused: the database already holds the full scale; nothing seeded, nothing measured.")
            return
    connection.close()
    database_recreate()
    call_command("migrate", verbosity=0)
    run = measure()
    write_section(report(run))
    print(
        f"seed_demo: {run.total:.1f} s in all (target {TARGET_SECONDS} s): demo data {run.seed_seconds:.1f} s "
        f"({run.seed_rows:,} rows, {run.seed_rows / run.seed_seconds:,.0f} rows/s), statistics "
        f"{run.stats_seconds:.1f} s."
    )
    print(
        f"Floor: plain COPY {run.floor_rate:,.0f} rows/s; the demo data at that rate "
        f"{run.floor_seconds_for_seed:.1f} s, the seed {run.seed_seconds / run.floor_seconds_for_seed:.1f} times that. "
        f"Load {run.load_after}."
    )


if __name__ == "__main__":
    main()
