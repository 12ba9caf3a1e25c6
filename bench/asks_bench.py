"""Asks at scale: the asks' page and API lists with BENCH_ASKS open asks (100,000 at scale 1), against a floor.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/marketplace_bench .venv/bin/python bench/asks_bench.py

On the bench database (`make bench` seeds it; any migrated database with memberships works) the script first
adds open asks until there are BENCH_ASKS of its own (title "Bench ask ..."), each from a consumer with an
active partnership, in that partner's category, and addressed (asks_askrecipient) to every reachable partner
of the consumer in the category, in two set-based INSERT ... SELECTs (a second run adds only what is missing).
Half of the recipients answer with an offer. Then, for the vendors with the most asks addressed to them (the
worst case) and a sample of others, and for the consumers with the most asks, it times through the Django test
client (a signed-in session; no gunicorn, so the figures compare code paths, not the server):
- the vendor's list /sell/asks/ and /api/v1/sell/asks/, and one ask's page /sell/asks/<id>/;
- the consumer's list /asks/ and /api/v1/asks/, and one ask with its offers /asks/<id>/;
- the floor: the same first page of the vendor's asks read with one plain SQL query on the same index;
- the clock (asks_expire_due, offers_lapse_due) with nothing due, which must not scan the open asks.
Each row prints milliseconds per request (median of BENCH_ASKS_ROUNDS), the queries it ran and its ratio to the
floor, and the EXPLAIN of the vendor's list is checked for sequential scans of the asks' tables. The run is
written to docs/benchmarks.md (BENCH_ASKS_DOCS=0 leaves the file alone). The bench asks are removed with
BENCH_ASKS_CLEAN=1.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import asks_data, common  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/marketplace_bench")
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"
os.environ.setdefault("DJANGO_CONN_MAX_AGE", "60")
# The API throttle stays in the path but never refuses the rounds (a second run within the hour answered 429).
os.environ.setdefault("API_THROTTLE_USER", "100000000/min")
os.environ.setdefault("API_THROTTLE_ANON", "100000000/min")

ASKS = common.scaled("BENCH_ASKS", 100_000)
ROUNDS = int(os.environ.get("BENCH_ASKS_ROUNDS", "15"))
SAMPLE = int(os.environ.get("BENCH_ASKS_SAMPLE", "20"))
WRITE_DOCS = os.environ.get("BENCH_ASKS_DOCS", "1") != "0"
CLEAN = os.environ.get("BENCH_ASKS_CLEAN", "0") == "1"
SECTION_START = "<!-- asks_bench:start -->"
SECTION_END = "<!-- asks_bench:end -->"
TITLE = asks_data.TITLE

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from marketplace.accounts.models import User  # noqa: E402
from marketplace.asks.models import Ask, AskRecipient  # noqa: E402
from marketplace.asks.selectors import ask_list_for_vendor  # noqa: E402
from marketplace.asks.services import asks_expire_due, offers_lapse_due  # noqa: E402
from vendors.models import Vendor  # noqa: E402

FLOOR = """
SELECT r.ask_id, a.title, a.pseudonym, a.respond_by, a.state
FROM asks_askrecipient r JOIN asks_ask a ON a.id = r.ask_id
WHERE r.vendor_id = %s AND r.lapsed_at IS NULL AND a.state = 'open'
ORDER BY r.published_at DESC, r.ask_id DESC LIMIT 21
"""


def seed() -> int:
    have = Ask.objects.filter(title__startswith=TITLE + " ").count()
    if have >= ASKS:
        return 0
    after = Ask.objects.order_by("-id").values_list("id", flat=True).first() or 0
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        added = asks_data.asks_insert(cursor, start=have, count=ASKS - have, after=after)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE asks_ask; ANALYZE asks_askrecipient; ANALYZE asks_offer")
    print(f"seeded {added} open asks in {time.perf_counter() - started:.1f} s")
    return added


def clean() -> None:
    with transaction.atomic():
        deleted, _ = Ask.objects.filter(title__startswith=TITLE + " ").delete()
    print(f"removed {deleted} bench rows")


def timed(run: Callable[[], object]) -> tuple[float, int]:
    """Median milliseconds of ROUNDS runs after one warm-up, and the queries one run makes."""
    run()
    executed: list[str] = []

    def count(execute: Callable[..., object], sql: str, *args: object) -> object:
        executed.append(sql)
        return execute(sql, *args)

    # A wrapper on the connection, not its query log: the request cycle resets and reconnects that log.
    with connection.execute_wrapper(count):
        run()
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), len(executed)


def get(client: Client, url: str) -> Callable[[], object]:
    def run() -> object:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    return run


def seq_scans(vendor: Vendor) -> list[str]:
    plan = ask_list_for_vendor(vendor=vendor, state="open")[:21].explain()
    return [line.strip() for line in plan.splitlines() if "Seq Scan" in line and "asks_" in line]


def main() -> None:
    common.ensure_database()
    if CLEAN:
        clean()
        return
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # Time the code, not the debug cursor: no query log (the captured run forces its own).
    settings.DEBUG = False
    seed()
    open_asks = Ask.objects.filter(state=Ask.State.OPEN).count()
    busiest = list(
        AskRecipient.objects.values("vendor_id").order_by().annotate(n=django.db.models.Count("id")).order_by("-n")[:3]
    )
    others = list(
        AskRecipient.objects.order_by("?").values_list("vendor_id", flat=True).distinct()[:SAMPLE] if SAMPLE else []
    )
    vendor_ids = [row["vendor_id"] for row in busiest] + [
        v for v in others if v not in {r["vendor_id"] for r in busiest}
    ]
    rows: list[tuple[str, float, int]] = []

    def floor_for(vendor_id: int) -> Callable[[], object]:
        def run() -> object:
            with connection.cursor() as cursor:
                cursor.execute(FLOOR, [vendor_id])
                return cursor.fetchall()

        return run

    floor_ms, _ = timed(floor_for(vendor_ids[0]))
    client = Client()
    measured: dict[str, list[tuple[float, int]]] = {}
    for vendor in Vendor.objects.filter(pk__in=vendor_ids).select_related("owner"):
        client.force_login(vendor.owner)
        ask_id = ask_list_for_vendor(vendor=vendor).values_list("ask_id", flat=True)[0]
        for name, url in (
            ("vendor list page /sell/asks/", "/sell/asks/"),
            ("vendor list API /api/v1/sell/asks/", "/api/v1/sell/asks/"),
            ("vendor ask page /sell/asks/<id>/", f"/sell/asks/{ask_id}/"),
        ):
            measured.setdefault(name, []).append(timed(get(client, url)))
    consumer_ids = list(
        Ask.objects.filter(title__startswith=TITLE + " ")
        .values("consumer_id")
        .order_by()
        .annotate(n=django.db.models.Count("id"))
        .order_by("-n")
        .values_list("consumer_id", flat=True)[: max(3, SAMPLE // 4)]
    )
    for consumer in User.objects.filter(pk__in=consumer_ids):
        client.force_login(consumer)
        ask_id = Ask.objects.filter(consumer=consumer).order_by("-id").values_list("id", flat=True)[0]
        for name, url in (
            ("consumer list page /asks/", "/asks/"),
            ("consumer list API /api/v1/asks/", "/api/v1/asks/"),
            ("consumer ask page /asks/<id>/ (offers compared)", f"/asks/{ask_id}/"),
        ):
            measured.setdefault(name, []).append(timed(get(client, url)))
    for name, runs in measured.items():
        rows.append((name, statistics.median(ms for ms, _ in runs), max(q for _, q in runs)))
    rows.append(
        (
            "clock: asks_expire_due + offers_lapse_due, nothing due",
            *timed(lambda: (asks_expire_due(), offers_lapse_due())),
        )
    )
    scans = seq_scans(Vendor.objects.get(pk=vendor_ids[0]))

    lines = [
        "## Asks at scale (bench/asks_bench.py)",
        "",
        f"`{common.command('bench/asks_bench.py')}`",
        "",
        f"{open_asks:,} open asks; {len(vendor_ids)} vendors (the 3 with the most asks addressed to them first) and "
        f"{len(consumer_ids)} consumers; median of {ROUNDS} requests each through the Django test client. Floor: the "
        f"vendor's first page in one plain SQL query, {floor_ms:.2f} ms.",
        "",
        "| what | ms per request | queries | ratio to the floor |",
        "|---|---:|---:|---:|",
        *[f"| {name} | {ms:.1f} | {queries} | {ms / floor_ms:.0f}× |" for name, ms, queries in rows],
        "",
        "Sequential scans of the asks' tables in the vendor list's plan: "
        + ("none" if not scans else "; ".join(scans)),
    ]
    text = "\n".join(lines)
    print(text)
    if WRITE_DOCS:
        # Between its markers, so the next run replaces this section instead of adding another.
        common.write_section(f"{SECTION_START}\n{text}\n\n{SECTION_END}\n", SECTION_START, SECTION_END)


if __name__ == "__main__":
    main()
