"""Statistics pipeline benchmark (not a test): `make bench`.

Seeds (or reuses) 100k consumers, 10k vendors and 2M memberships in its own database, then measures in
one run, each figure the median of several runs, against plain-SQL floors on the same data:
  - full reconcile through Celery (a group of vendor-id shards) with 2 worker processes;
  - incremental refresh after changes to 1% and to 10% of the vendors (through the Celery task);
  - the lag from a portfolio change to the vendor's insights reflecting it, with one worker running.
Prints the ratios and writes docs/benchmarks.md.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
QUEUE = "bench"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
os.environ["CELERY_TASK_DEFAULT_QUEUE"] = QUEUE
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/marketplace_bench")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/3")
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"

CONSUMERS = int(os.environ.get("BENCH_CONSUMERS", "100000"))
VENDORS = int(os.environ.get("BENCH_VENDORS", "10000"))
PER_CONSUMER = int(os.environ.get("BENCH_MEMBERSHIPS_PER_CONSUMER", "20"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))


def ensure_database() -> None:
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
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{config["NAME"]}"')
    conn.close()


ensure_database()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import F  # noqa: E402
from django.utils import timezone  # noqa: E402

from marketplace.accounts.models import User  # noqa: E402
from marketplace.celery import app as celery_app  # noqa: E402
from portfolios import services  # noqa: E402
from portfolios.models import PartnerMembership, VendorStats  # noqa: E402
from portfolios.services import stats  # noqa: E402
from portfolios.tasks import reconcile_group, stats_refresh_dirty_task  # noqa: E402

celery_app.conf.task_always_eager = False
celery_app.conf.task_default_queue = QUEUE


def median_seconds(action: Callable[[], object], runs: int = RUNS, before: Callable[[], object] | None = None) -> float:
    times = []
    for _ in range(runs):
        if before:
            before()
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def sql(statement: str, params: list[object] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


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
        products_per_vendor=1,
        memberships_per_consumer=PER_CONSUMER,
        seed=7,
    )
    print(f"Seeded in {time.perf_counter() - started:.0f} s.")


# --- Floors: the same figures by plain SQL, run directly -------------------------------------------------


def floor_counts(scope: str = "", params: list[object] | None = None) -> None:
    sql(
        "SELECT vendor_id, COUNT(*) FROM portfolios_partnermembership WHERE ended_at IS NULL "
        f"{scope} GROUP BY vendor_id",
        params,
    )


def floor_breakdown(scope: str = "", params: list[object] | None = None) -> None:
    with transaction.atomic():
        sql(
            "CREATE TEMP TABLE floor_breakdown ON COMMIT DROP AS "
            "SELECT m.vendor_id, p.region_id, p.age_band, COUNT(*) AS partners "
            "FROM portfolios_partnermembership m JOIN accounts_consumerprofile p ON p.user_id = m.consumer_id "
            f"WHERE m.ended_at IS NULL {scope} GROUP BY m.vendor_id, p.region_id, p.age_band",
            params,
        )


def floor_daily(scope: str = "", params: list[object] | None = None) -> None:
    sql(
        "SELECT vendor_id, DATE(created_at), SUM(CASE WHEN kind <> 'ended' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN kind = 'ended' THEN 1 ELSE 0 END) FROM portfolios_membershipevent "
        f"WHERE created_at >= %s {scope} GROUP BY vendor_id, DATE(created_at)",
        [timezone.now() - timezone.timedelta(days=90), *(params or [])],
    )


def floor_all(vendor_ids: list[int] | None = None) -> dict[str, float]:
    scope, params = ("", None) if vendor_ids is None else ("AND vendor_id = ANY(%s)", [vendor_ids])
    m_scope = scope.replace("vendor_id", "m.vendor_id")
    return {
        "counts": median_seconds(lambda: floor_counts(scope, params)),
        "breakdown": median_seconds(lambda: floor_breakdown(m_scope, params)),
        "daily": median_seconds(lambda: floor_daily(scope, params)),
    }


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


def stop_workers(workers: list[subprocess.Popen[bytes]]) -> None:
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.wait(timeout=60)


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
    return vendor_ids


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


def main() -> None:
    call_command("migrate", verbosity=0)
    seed()
    memberships = PartnerMembership.objects.count()
    print(f"Data: {User.objects.count()} users, {VendorStats.objects.count()} vendors, {memberships} memberships.")

    floors = floor_all()
    floor_full = sum(floors.values())
    print("Floors (plain SQL):", {k: f"{v:.3f}s" for k, v in floors.items()})

    workers = start_workers(2)
    try:
        full = median_seconds(full_reconcile_via_celery)
        print(f"Full reconcile via Celery, 2 workers: {full:.3f}s (floor {floor_full:.3f}s)")
    finally:
        stop_workers(workers)

    workers = start_workers(1)
    try:
        rows = []
        for share in (0.01, 0.10):
            ids: list[int] = []

            def prepare(share: float = share, ids: list[int] = ids) -> None:
                ids[:] = change_vendors(share)

            incremental = median_seconds(incremental_via_celery, before=prepare)
            floor = sum(floor_all(ids).values())
            rows.append((share, incremental, floor))
            print(f"Incremental {share:.0%}: {incremental:.3f}s (floor {floor:.3f}s)")
        lags = [lag_once() for _ in range(5)]
    finally:
        stop_workers(workers)
    lag = statistics.median(lags)

    table = [
        ("Full reconcile, Celery group, 2 workers", full, floor_full, "≤ 2× floor"),
        *[
            (
                f"Incremental refresh, {int(s * 100)}% of vendors changed, 1 worker",
                t,
                f,
                "≤ 2× floor" + (f"; {t / full * 100:.1f}% of full (target < 5%)" if s == 0.01 else ""),
            )
            for s, t, f in rows
        ],
        ("Lag: portfolio change → insights, 1 worker", lag, None, "< 2 s"),
    ]
    lines = [
        "# Benchmarks",
        "",
        "Produced by `make bench` (bench/stats_bench.py) on this project's 2-core machine, in one run; every",
        f"figure is the median of {RUNS} runs (the lag: of 5). Data: {CONSUMERS} consumers, {VENDORS} vendors,",
        f"{memberships} memberships, seeded by `seed_demo` into the `marketplace_bench` database.",
        "",
        "Floors are the same statistics computed by plain SQL run directly on the same data: the current-partner",
        "`GROUP BY vendor`, the vendor × region × age band breakdown written into a table, and the 90-day daily",
        "series; each path is compared with the sum of the three over the same vendors.",
        "",
        f"Floors, all vendors: counts {floors['counts']:.3f} s, breakdown {floors['breakdown']:.3f} s, "
        f"daily {floors['daily']:.3f} s.",
        "",
        "| measurement | seconds | plain-SQL floor (s) | ratio to floor | target |",
        "|---|---|---|---|---|",
    ]
    for name, seconds, floor, target in table:
        ratio = f"{seconds / floor:.2f}×" if floor else "—"
        floor_text = f"{floor:.3f}" if floor else "—"
        lines.append(f"| {name} | {seconds:.3f} | {floor_text} | {ratio} | {target} |")
    report = "\n".join(lines) + "\n"
    print(report)
    (ROOT / "docs").mkdir(exist_ok=True)
    (ROOT / "docs" / "benchmarks.md").write_text(report)


if __name__ == "__main__":
    main()
