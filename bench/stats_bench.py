"""Statistics pipeline benchmark (not a test): the first step of `make bench`.

Seeds (or reuses) the issue's data set in its own database (`seed_demo --consumers 100000 --vendors 10000
--products-per-vendor 20 --memberships-per-consumer 20`), then measures in one run, each figure the median of
BENCH_RUNS runs, every pipeline run next to a run of its plain-SQL floor on the same data (alternating, so the
drift of this shared machine touches both alike):
  - full reconcile through Celery (the beat job's group of vendor-id shards plus the marketplace tables) with
    2 worker processes, against the floor for the whole marketplace;
  - incremental refresh after changes to 1% and to 10% of the vendors (the Celery task, 1 worker), against
    the floor for the same vendors;
  - the lag from a portfolio change to the vendor's insights reflecting it, with one worker running;
  - the peak resident size (VmHWM) of each Celery worker, read just before it is stopped.

A floor computes exactly the rows the pipeline writes, one plain SQL statement per table, each written into
a temp table: vendor totals (current, reachable, ever, ended in 90 days), end reasons, segments (region, age
band, interests and each dimension's "*" total, groups under K left out), daily rows (from the day the
pipeline starts from), and for the full reconcile the marketplace baselines and the category holders. The
statements are the pipeline's own SELECTs (portfolios.services.stats.*_rows: the best plain SQL found, their
plans in docs/benchmarks.md), run for the whole marketplace or for the changed vendors as one array
parameter (`vendor_id = ANY(%s)`), with the same session settings (stats.PG_SETTINGS). So each ratio is what
the pipeline costs beyond computing its figures: writing them back, sharding, Celery. After the runs the floor
tables are checked against the pipeline's tables, row for row.

Prints each figure as a ratio and replaces its own section of docs/benchmarks.md (between the stats_bench
markers), keeping the rest of the file.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import common  # noqa: E402

QUEUE = "bench"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
os.environ["CELERY_TASK_DEFAULT_QUEUE"] = QUEUE
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/marketplace_bench")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/3")
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"

CONSUMERS = common.scaled("BENCH_CONSUMERS", 100000)
VENDORS = common.scaled("BENCH_VENDORS", 10000)
PRODUCTS_PER_VENDOR = int(os.environ.get("BENCH_PRODUCTS_PER_VENDOR", "20"))
PER_CONSUMER = int(os.environ.get("BENCH_MEMBERSHIPS_PER_CONSUMER", "20"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
# An incremental run takes a fraction of a second: more of them steady its median on this shared machine.
INCREMENTAL_RUNS = int(os.environ.get("BENCH_INCREMENTAL_RUNS", str(3 * RUNS)))
LAGS = 5
SECTION_START = "<!-- stats_bench:start -->"
SECTION_END = "<!-- stats_bench:end -->"


common.ensure_database()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import F  # noqa: E402
from django.utils import timezone  # noqa: E402

from marketplace.accounts.models import User  # noqa: E402
from marketplace.celery import app as celery_app  # noqa: E402
from marketplace.kernel.sql import Scope  # noqa: E402
from portfolios import services  # noqa: E402
from portfolios.models import PartnerMembership, VendorStats  # noqa: E402
from portfolios.services import stats  # noqa: E402
from portfolios.tasks import reconcile_group, stats_refresh_dirty_task  # noqa: E402

celery_app.conf.task_always_eager = False
celery_app.conf.task_default_queue = QUEUE


def sql(statement: str, params: list[object] | tuple[object, ...] | None = None) -> list[tuple[object, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])
        return cursor.fetchall() if cursor.description else []


def seed() -> None:
    have = User.objects.filter(email__startswith="consumer", email__endswith="@demo.example").count()
    if have >= CONSUMERS:
        print(f"Reusing the seeded data ({have} consumers).")
        return
    print(f"Seeding {CONSUMERS} consumers, {VENDORS} vendors, {CONSUMERS * PER_CONSUMER} memberships ...")
    started = time.perf_counter()
    call_command(
        "seed_demo",
        consumers=CONSUMERS,
        vendors=VENDORS,
        products_per_vendor=PRODUCTS_PER_VENDOR,
        memberships_per_consumer=PER_CONSUMER,
        seed=7,
    )
    print(f"Seeded in {time.perf_counter() - started:.0f} s.")


# --- Floors: the pipeline's figures by plain SQL, one statement per table, into temp tables ---------------


ALL_VENDORS = Scope("IS NOT NULL", ())


def floor_statements(
    scope: Scope, since_day: date | None, marketplace: bool, now: datetime | None = None
) -> list[stats.Rows]:
    now = now or timezone.now()
    rows = [
        stats.vendor_totals_rows(scope, now),
        stats.end_reasons_rows(scope, now),
        stats.segments_rows(scope),
        stats.daily_rows(scope, since_day),
    ]
    if marketplace:
        rows += [stats.baseline_rows(), stats.category_rows()]
    return rows


def floor_run(scope: Scope, since_day: date | None, marketplace: bool, keep: bool = False) -> dict[str, float]:
    """Each table's fresh rows into temp table floor_<table>; seconds per statement. keep: leave the temp
    tables for the check against the pipeline's tables (until the session ends)."""
    seconds = {}
    for rows in floor_statements(scope, since_day, marketplace):
        name = "floor_" + rows.table.split("_", 1)[1]
        with transaction.atomic():
            stats.stats_session_tune()
            sql(f"DROP TABLE IF EXISTS {name}")
            started = time.perf_counter()
            sql(f"CREATE TEMP TABLE {name} {'' if keep else 'ON COMMIT DROP'} AS {rows.sql}", rows.params)
            seconds[rows.table] = time.perf_counter() - started
    return seconds


def floor_explain(scope: Scope, since_day: date | None, marketplace: bool) -> dict[str, list[str]]:
    """EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) of each floor statement (for the notes)."""
    plans = {}
    for rows in floor_statements(scope, since_day, marketplace):
        with transaction.atomic():
            stats.stats_session_tune()
            # TIMING OFF: per-node clocks would double these statements' time; the total stays exact.
            plan = sql(f"EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) {rows.sql}", rows.params)
            plans[rows.table] = [line for (line,) in plan]
    return plans


def floor_matches_pipeline(vendor_ids: list[int] | None, since_day: date | None) -> list[str]:
    """Tables whose floor rows differ from the pipeline's rows (an empty list: the floor computed exactly
    what the pipeline wrote). Run right after the pipeline, with nothing changed in between."""
    scope = ALL_VENDORS if vendor_ids is None else Scope("= ANY(%s)", (vendor_ids,))
    floor_run(scope, since_day, marketplace=vendor_ids is None, keep=True)
    differing = []
    # The 90-day figures depend on the clock: each pipeline task read its own (what it wrote as computed_at),
    # and the floor ran moments later, so a partnership that ended 90 days ago in between would count in one
    # and not the other. Those two tables' floors are therefore recomputed for each group of vendors at the
    # clock their task read.
    clocks = sql(
        f"SELECT computed_at, array_agg(vendor_id) FROM portfolios_vendorstats WHERE vendor_id {scope.sql} "
        "GROUP BY computed_at",
        scope.params,
    )
    windowed = {
        "portfolios_vendorstats": stats.vendor_totals_rows,
        "portfolios_vendorendreasonstat": stats.end_reasons_rows,
    }
    for rows in floor_statements(scope, since_day, marketplace=vendor_ids is None):
        name = "floor_" + rows.table.split("_", 1)[1]
        if rows.table in windowed and clocks:
            sql(f"TRUNCATE {name}")
            for computed_at, ids in clocks:
                at_clock = windowed[rows.table](Scope("= ANY(%s)", (list(ids),)), computed_at)
                sql(f"INSERT INTO {name} {at_clock.sql}", at_clock.params)
        columns = ", ".join((*rows.keys, *rows.figures))
        where = ""
        params: list[object] = []
        if "vendor_id" in rows.keys:
            where = f"WHERE vendor_id {scope.sql}"
            params = list(scope.params)
            if rows.table.endswith("dailystat") and since_day is not None:
                where += " AND day >= %s"
                params.append(since_day)
        stored = f"SELECT {columns} FROM {rows.table} {where}"
        floor = f"SELECT {columns} FROM {name}"
        (count,) = sql(
            f"SELECT COUNT(*) FROM (({stored} EXCEPT {floor}) UNION ALL ({floor} EXCEPT {stored})) d", params * 2
        )[0]
        if count:
            differing.append(f"{rows.table} ({count} rows)")
        sql(f"DROP TABLE {name}")
    return differing


# --- The Celery code path ----------------------------------------------------------------------------


def start_workers(count: int) -> list[subprocess.Popen[bytes]]:
    workers = []
    for n in range(count):
        workers.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "marketplace",
                    "worker",
                    "--pool=solo",
                    "--loglevel=WARNING",
                    "-Q",
                    QUEUE,
                    "-n",
                    f"bench{n}@%h",
                ],
                cwd=ROOT,
                env={**os.environ},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        replies = celery_app.control.ping(timeout=1) or []
        if len([r for r in replies if any(k.startswith("bench") for k in r)]) >= count:
            return workers
    raise SystemExit("The Celery workers did not start; is Redis running?")


def peak_resident_mb(pid: int) -> float:
    """VmHWM of a process (with --pool=solo the worker is this one process), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def stop_workers(workers: list[subprocess.Popen[bytes]]) -> list[float]:
    """Stop the workers; returns each one's peak resident size in MB, read just before it is stopped."""
    peaks = [peak_resident_mb(worker.pid) for worker in workers]
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.wait(timeout=60)
    return peaks


def full_reconcile_via_celery() -> None:
    """The beat job's group (stats_reconcile_all_task builds the same one), waited for to the end."""
    reconcile_group().apply_async().join(timeout=3600, propagate=True)


def change_vendors(share: float) -> list[int]:
    """Mute or unmute one active membership of `share` of the vendors, and mark them dirty, as the
    portfolio services do after commit."""
    vendor_ids = list(VendorStats.objects.order_by("?").values_list("vendor_id", flat=True)[: int(VENDORS * share)])
    rows = (
        PartnerMembership.objects.active()
        .filter(vendor_id__in=vendor_ids)
        .order_by("vendor_id", "id")
        .distinct("vendor_id")
        .values_list("id", flat=True)
    )
    PartnerMembership.objects.filter(id__in=list(rows)).update(muted=~F("muted"))
    stats.stats_mark_dirty(vendor_ids=vendor_ids)
    return sorted(vendor_ids)


def incremental_via_celery() -> None:
    stats_refresh_dirty_task.delay().get(timeout=600)


def lag_once() -> float:
    """From a consumer adding a vendor (commit) to that vendor's insights showing it, one worker running."""
    vendor_id = (
        VendorStats.objects.filter(vendor__status="approved").order_by("?").values_list("vendor_id", flat=True).first()
    )
    consumer = (
        User.objects.filter(email__endswith="@demo.example", email__startswith="consumer")
        .exclude(memberships__vendor_id=vendor_id)
        .order_by("?")
        .first()
    )
    before = VendorStats.objects.get(vendor_id=vendor_id).current_partners
    started = time.perf_counter()
    services.membership_start(consumer=consumer, vendor_id=vendor_id)  # commits; on_commit enqueues the refresh
    while VendorStats.objects.get(vendor_id=vendor_id).current_partners != before + 1:
        if time.perf_counter() - started > 60:
            raise SystemExit("The change never reached the insights.")
        time.sleep(0.01)
    return time.perf_counter() - started


# --- One run -------------------------------------------------------------------------------------------


@dataclass
class Measured:
    name: str
    pipeline: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)
    floor_parts: list[dict[str, float]] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return statistics.median(self.pipeline)

    @property
    def floor_seconds(self) -> float:
        return statistics.median(self.floor)

    @property
    def ratio(self) -> float:
        return self.seconds / self.floor_seconds

    def parts(self) -> dict[str, float]:
        return {table: statistics.median(p[table] for p in self.floor_parts) for table in self.floor_parts[0]}


def _parts_text(parts: dict[str, float]) -> str:
    return "(" + ", ".join(f"{table.split('_', 1)[1]} {seconds:.3f}" for table, seconds in parts.items()) + ")"


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def pair(measured: Measured, run: int, pipeline: Callable[[], object], floor: Callable[[], dict[str, float]]) -> None:
    """One pipeline run and one floor run, in turn first (what the first leaves in the caches helps the second)."""
    parts: dict[str, float] = {}

    def floor_once() -> None:
        parts.update(floor())

    first, second = (pipeline, floor_once) if run % 2 == 0 else (floor_once, pipeline)
    seconds = {id(first): timed(first), id(second): timed(second)}
    measured.pipeline.append(seconds[id(pipeline)])
    measured.floor_parts.append(parts)
    measured.floor.append(sum(parts.values()))
    print(
        f"  {measured.name}: pipeline {measured.pipeline[-1]:.3f} s, floor {measured.floor[-1]:.3f} s",
        _parts_text(parts),
    )


def measure_full() -> tuple[Measured, list[float]]:
    full = Measured("Full reconcile, Celery group, 2 workers")
    workers = start_workers(2)
    try:
        for run in range(RUNS):
            # The floor's daily rows start where the reconcile's do (its checkpoint: closed days are computed once).
            checkpoint = stats.daily_checkpoint()
            pair(full, run, full_reconcile_via_celery, partial(floor_run, ALL_VENDORS, checkpoint, marketplace=True))
    finally:
        peaks = stop_workers(workers)
    full.mismatches = floor_matches_pipeline(None, stats.daily_checkpoint())
    return full, peaks


def measure_incremental(share: float) -> tuple[Measured, list[int]]:
    measured = Measured(f"Incremental refresh, {share:.0%} of vendors changed, 1 worker")
    ids: list[int] = []
    for run in range(INCREMENTAL_RUNS):
        ids = change_vendors(share)
        since = (timezone.now() - timedelta(days=1)).date()
        scope = Scope("= ANY(%s)", (ids,))
        pair(measured, run, incremental_via_celery, partial(floor_run, scope, since, marketplace=False))
    measured.mismatches = floor_matches_pipeline(ids, (timezone.now() - timedelta(days=1)).date())
    return measured, ids


def plan_summary(plan: list[str]) -> str:
    """A plan's run time and how it reads the tables (its scans of tables and indexes, in plan order)."""
    nodes = []
    for line in plan:
        text = line.strip().removeprefix("->").strip()
        node = text.split("  (cost=")[0]
        if "(cost=" in text and " Scan" in node and not node.startswith(("CTE Scan", "Subquery Scan")):
            node = node.replace("portfolios_", "").replace("accounts_", "")
            if node not in nodes:
                nodes.append(node)
    elapsed = next((line.split(":")[1].strip() for line in plan if line.startswith("Execution Time")), "?")
    return f"{elapsed}; " + "; ".join(nodes)


def report(
    data: str,
    full: Measured,
    incrementals: list[Measured],
    lag: float,
    peaks: dict[str, list[float]],
    plans: dict[str, dict[str, list[str]]],
) -> str:
    share_1 = incrementals[0].seconds / full.seconds
    settings_text = ", ".join(f"`{name}` {value}" for name, value in stats.PG_SETTINGS)

    def verdict(met: bool) -> str:
        return "met" if met else "**missed**"

    rows = [
        (full, f"≤ 2× floor: {verdict(full.ratio <= 2)}"),
        (
            incrementals[0],
            f"≤ 2× floor and < 5% of full ({share_1:.1%}): {verdict(incrementals[0].ratio <= 2 and share_1 < 0.05)}",
        ),
        *[(m, f"≤ 2× floor: {verdict(m.ratio <= 2)}") for m in incrementals[1:]],
    ]
    lines = [
        SECTION_START,
        "## Statistics pipeline",
        "",
        f"Command: `{common.command('bench/stats_bench.py')}`.",
        "",
        "Produced by `make bench` (bench/stats_bench.py, its first step) on this project's 2-core machine, in one run.",
        f"Every figure is the median of {RUNS} runs (incremental refreshes: of {INCREMENTAL_RUNS}; the lag: of",
        f"{LAGS}), each pipeline run paired with a run of its floor, in turn first.",
        f"Data: {data};",
        f"seeded by `seed_demo --consumers {CONSUMERS} --vendors {VENDORS} --products-per-vendor {PRODUCTS_PER_VENDOR} "
        f"--memberships-per-consumer {PER_CONSUMER}`.",
        "",
        "| measurement | pipeline (s) | plain-SQL floor (s) | pipeline ÷ floor | target |",
        "|---|---|---|---|---|",
    ]
    for m, target in rows:
        check = " (floor rows ≠ pipeline rows: " + ", ".join(m.mismatches) + ")" if m.mismatches else ""
        lines.append(f"| {m.name} | {m.seconds:.3f} | {m.floor_seconds:.3f} | {m.ratio:.2f}× | {target}{check} |")
    lines.append(f"| Lag: portfolio change → insights, 1 worker | {lag:.3f} | — | — | < 2 s: {verdict(lag < 2)} |")
    all_peaks = [p for run in peaks.values() for p in run]
    lines += [
        "",
        "Peak resident size (VmHWM, read just before each worker was stopped; `--pool=solo`, one process each): "
        + "; ".join(f"{label}: " + ", ".join(f"{p:.0f} MB" for p in values) for label, values in peaks.items())
        + f" (largest {max(all_peaks):.0f} MB).",
        "",
        "### The floors",
        "",
        "A floor computes exactly the rows the pipeline writes, one plain SQL statement per table written into a",
        "temp table (`CREATE TEMP TABLE ... AS SELECT`), run directly on the same data with the pipeline's session",
        f"settings ({settings_text}): for the full reconcile over all vendors, for an incremental refresh over the",
        "changed vendors as one array parameter (`vendor_id = ANY(%s)`). The statements are the pipeline's own",
        "SELECTs (`portfolios.services.stats.*_rows`); after the runs each floor table is compared with the",
        "pipeline's table row for row (a difference would be flagged in the table above):",
        "",
        "- vendor totals: every vendor LEFT JOIN its memberships read from the covering index",
        "  `membership_vendor_cover_idx (vendor_id, consumer_id) INCLUDE (ended_at, muted, end_reason)`; current and",
        "  reachable partners and 90-day endings as `COUNT(*) FILTER (...)`, consumers ever as the rows whose consumer",
        "  differs from the previous one (`LAG` over the index order) instead of `COUNT(DISTINCT)`;",
        "- end reasons: ended memberships with a reason `GROUP BY vendor_id, end_reason`;",
        "- segments: one statement; the current partners with what they share read once (a materialised CTE), grouped",
        "  by region id, by age band and by interest id (joined to their names after grouping), the region and age",
        "  band `*` totals summed from their values, interests' `*` from the partners with at least one; `HAVING`",
        "  at least K;",
        "- daily rows: events `GROUP BY vendor_id, DATE(created_at)` from the day the pipeline starts from (the",
        "  reconcile's checkpoint: closed days are computed once; the incremental refresh: yesterday);",
        "- marketplace baselines: profiles by shared region, age band and interest, and the `*` totals, at least K;",
        "- category holders: current memberships JOIN vendors, `COUNT(DISTINCT consumer_id)` per category.",
        "",
        "What the pipeline adds to the floor: it writes the rows back, per table one statement (a data-modifying",
        "`WITH`: a `FULL JOIN` of the fresh rows with the stored ones in scope, then `UPDATE` of the rows whose",
        "figures changed, `IS DISTINCT FROM`; `INSERT ... ON CONFLICT` of new ones; `DELETE` of those gone; an",
        "unchanged row is not written), in a transaction per shard (1000 vendor ids, `synchronous_commit` off) or",
        "per batch of dirty vendors, through Celery. The full reconcile can come near its floor, or under it, as its",
        "shards run on 2 workers at once while a floor is one session; an incremental refresh adds the task's round",
        "trip and the commit.",
        "",
        "Floor times per statement (seconds, median):",
        "",
        "| table | full reconcile | " + " | ".join(f"{m.name.split(',')[1].strip()}" for m in incrementals) + " |",
        "|---|---|" + "---|" * len(incrementals),
    ]
    full_parts = full.parts()
    inc_parts = [m.parts() for m in incrementals]
    for table, seconds in full_parts.items():
        cells = [f"{p[table]:.3f}" if table in p else "—" for p in inc_parts]
        lines.append(f"| `{table}` | {seconds:.3f} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Plans of the floor statements (EXPLAIN (ANALYZE, BUFFERS, TIMING OFF): run time, then how each reads",
        "the tables):",
        "",
    ]
    for label, by_table in plans.items():
        lines.append(f"- {label}:")
        for table, plan in by_table.items():
            lines.append(f"  - `{table}`: {plan_summary(plan)}")
    lines += ["", "Run it with `make bench` (this step alone: `.venv/bin/python bench/stats_bench.py`).", SECTION_END]
    return "\n".join(lines) + "\n"


def write_section(section: str) -> None:
    common.write_section(section, SECTION_START, SECTION_END)


def main() -> None:
    call_command("migrate", verbosity=0)
    seed()
    memberships = PartnerMembership.objects.count()
    data = (
        f"{User.objects.count()} users, {VendorStats.objects.count()} vendors, {memberships} memberships, "
        f"{sql('SELECT COUNT(*) FROM portfolios_membershipevent')[0][0]} events"
    )
    print(f"Data: {data}.")

    full, full_peaks = measure_full()
    print(
        f"Full reconcile via Celery, 2 workers: {full.seconds:.3f} s, "
        f"floor {full.floor_seconds:.3f} s: {full.ratio:.2f}x"
    )

    workers = start_workers(1)
    try:
        # A worker in service has refreshed before: its connection and the planner's catalog caches are warm.
        change_vendors(1 / VENDORS)
        incremental_via_celery()
        incrementals, last_ids = [], {}
        for share in (0.01, 0.10):
            measured, ids = measure_incremental(share)
            incrementals.append(measured)
            last_ids[share] = ids
            print(
                f"Incremental {share:.0%}: {measured.seconds:.3f} s, "
                f"floor {measured.floor_seconds:.3f} s: {measured.ratio:.2f}x"
            )
        lags = [lag_once() for _ in range(LAGS)]
    finally:
        one_peaks = stop_workers(workers)
    lag = statistics.median(lags)
    print(f"1% incremental is {incrementals[0].seconds / full.seconds:.1%} of a full reconcile; lag {lag:.3f} s.")
    peaks = {"full reconcile (2 workers)": full_peaks, "incremental and lag (1 worker)": one_peaks}
    print("Worker peak resident size (MB):", {k: [round(p) for p in v] for k, v in peaks.items()})
    for m in (full, *incrementals):
        if m.mismatches:
            print(f"Floor and pipeline differ for {m.name}: {m.mismatches}")

    plans = {
        "full reconcile (all vendors)": floor_explain(ALL_VENDORS, stats.daily_checkpoint(), marketplace=True),
        "incremental, 1% of vendors": floor_explain(
            Scope("= ANY(%s)", (last_ids[0.01],)), (timezone.now() - timedelta(days=1)).date(), marketplace=False
        ),
    }
    section = report(data, full, incrementals, lag, peaks, plans)
    print(section)
    write_section(section)


if __name__ == "__main__":
    main()
