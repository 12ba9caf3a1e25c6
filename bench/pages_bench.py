"""Page benchmark at marketplace scale (not a test): the second half of `make bench`.

Seeds (or reuses, and tops up) 10k approved vendors with 20 products each (200k products, inserted by one
INSERT ... SELECT generate_series; the triggers fill their search vectors and the catalogue counts) and a
shopper with 20 partners, in its own database. Then, in one run:
  - renders the home page, the directory (sorts, search, filters, a deep page) and the product search
    (anonymous and signed in, a selective query, a broad one, a typo, no query) and writes the
    EXPLAIN (ANALYZE, BUFFERS) of every query they run on the vendor and product tables;
  - unless BENCH_THROUGHPUT=0: serves the site with gunicorn under the production settings and measures each
    page's requests per second with wrk against a minimal Django view (one vendor and its 20 products,
    bench/minimal_view.py) in the same run, and prints the ratios (target: at least 0.25).
Writes its section of docs/benchmarks.md (replacing its previous one, keeping the rest of the file).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/marketplace_bench")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/3")
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"  # the shopper's memberships refresh their statistics in-process
# This process signs the shopper's session that wrk sends to gunicorn: both use this key.
SECRET_KEY = "pages-bench-only-secret-key-that-is-long-enough-0123456789abcdef"
os.environ["DJANGO_SECRET_KEY"] = SECRET_KEY

VENDORS = int(os.environ.get("BENCH_VENDORS", "10000"))
PER_VENDOR = int(os.environ.get("BENCH_PRODUCTS_PER_VENDOR", "20"))
PARTNERS = 20
THROUGHPUT = os.environ.get("BENCH_THROUGHPUT", "1") != "0"
WRK_SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "10"))
WRK_CONNECTIONS = int(os.environ.get("BENCH_WRK_CONNECTIONS", "4"))
GUNICORN_WORKERS = int(os.environ.get("BENCH_GUNICORN_WORKERS", "2"))
SHOPPER = "bench-shopper@bench.example"
SECTION_START = "<!-- pages_bench:start -->"
SECTION_END = "<!-- pages_bench:end -->"
LARGE_TABLES = ("vendors_product", "portfolios_partnermembership", "portfolios_membershipevent")

ADJECTIVES = """organic roasted vintage handmade classic deluxe tiny giant smoked fresh golden rustic silver velvet
wild urban spiced frosted copper linen woollen glazed salted bright""".split()
NOUNS = """espresso teapot saddle novel mug lantern candle scarf notebook basket kettle puzzle blanket honey pepper
wallet vinyl sourdough helmet planter chocolate bicycle atlas sketchbook apron bowl chutney cider cushion
grinder hammock jam knife ladder marmalade mittens olive pasta quilt radio sandals soap spoon tart umbrella
vase whisk yarn""".split()
QUALITIES = "lovely sturdy fragrant compact durable elegant cosy bright light generous".split()
TRADES = "Coffee Books Bikes Tea Garden Ceramics Bakery Records Outdoor Toys Spices Leather".split()
PLACES = "Moonlight Harbour Copper Juniper Northern Willow Granite Saffron Orchard Meadow".split()


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
from django.db import connection, models  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from marketplace.accounts.models import User  # noqa: E402
from marketplace.shop.models import VendorSalesStats  # noqa: E402
from portfolios.models import PartnerMembership, VendorStats  # noqa: E402
from portfolios.services import membership_start  # noqa: E402
from vendors.models import Category, Product, Vendor  # noqa: E402

# --- Seed ----------------------------------------------------------------------------------------------


def sql(statement: str, params: list[Any] | tuple[Any, ...] = ()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def sql_array(words: list[str]) -> str:
    return "ARRAY[" + ", ".join("'" + w.replace("'", "''") + "'" for w in words) + "]"


def insert_select(model: type[models.Model], values: dict[str, str], from_sql: str, params: list[Any]) -> int:
    """INSERT INTO model's table SELECT ... FROM from_sql, with `values` (column: SQL expression, a literal % written
    %%) and, for every other column, the field's default: the statement survives a column added to the model."""
    columns, expressions, defaults = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key and isinstance(field, models.AutoField | models.BigAutoField):
            continue
        columns.append(f'"{field.column}"')
        if field.column in values:
            expressions.append(values[field.column])
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            expressions.append("now()")
        elif field.null and not field.has_default():
            expressions.append("NULL")
        else:
            expressions.append("%s")
            defaults.append(field.get_db_prep_save(field.get_default(), connection))
    statement = f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) SELECT {', '.join(expressions)} {from_sql}"
    return sql(statement, [*defaults, *params])


def pick(words: list[str], seed: str) -> str:
    """A word of `words` chosen by a hash of the SQL expression `seed`: spread like real text, repeatable."""
    return f"({sql_array(words)})[1 + abs(hashtext({seed})) %% {len(words)}]"


def seed() -> None:
    started = time.perf_counter()
    categories = list(Category.objects.order_by("id")[:20])
    if len(categories) < 20:
        Category.objects.bulk_create(
            [Category(name=f"Bench category {n}", slug=f"bench-category-{n}") for n in range(20)],
            ignore_conflicts=True,
        )
        categories = list(Category.objects.order_by("id")[:20])
    approved = Vendor.objects.approved().count()
    if approved < VENDORS:
        missing = VENDORS - approved
        print(f"Seeding {missing} vendors ...")
        first = Vendor.objects.count()
        owners = User.objects.bulk_create(
            User(email=f"bench-owner-{first + n}@bench.example", display_name=f"Owner {n}", password="!")
            for n in range(missing)
        )
        now = timezone.now()
        Vendor.objects.bulk_create(
            (
                Vendor(
                    owner=owner,
                    name=f"{PLACES[n % len(PLACES)]} {TRADES[(n // len(PLACES)) % len(TRADES)]} {first + n}",
                    slug=f"bench-vendor-{first + n}",
                    description=f"Independent {TRADES[n % len(TRADES)].lower()} shop selling fine goods",
                    category=categories[n % len(categories)],
                    status=Vendor.Status.APPROVED,
                    approved_at=now - timezone.timedelta(minutes=n),
                )
                for n, owner in enumerate(owners)
            ),
            batch_size=1000,
        )
    product_total = Product.objects.count()
    if product_total < VENDORS * PER_VENDOR:
        print(f"Topping up products to {PER_VENDOR} per approved vendor (one INSERT ... SELECT) ...")
        key_a, key_b, key_c = "v.id || '-' || g || 'a'", "v.id || '-' || g || 'b'", "v.id || '-' || g || 'c'"
        inserted = insert_select(
            Product,
            {
                "vendor_id": "v.id",
                "category_id": "v.category_id",
                "name": f"initcap({pick(ADJECTIVES, key_a)}) || ' ' || {pick(NOUNS, key_b)} || ' No. ' || g",
                "sku": "'B-' || v.id || '-' || g",
                "description": f"'A ' || {pick(QUALITIES, key_c)} || ' ' || {pick(NOUNS, key_a)} "
                f"|| ' and a ' || {pick(ADJECTIVES, key_c)} || ' finish; ships in two days.'",
                "price": "(5 + abs(hashtext(v.id || '-' || g)) %% 95)::numeric",
                "stock": "10",
                "active": "(g %% 10 <> 0)",
            },
            """FROM (SELECT v.id, v.category_id, count(p.id) AS have FROM vendors_vendor v
                     LEFT JOIN vendors_product p ON p.vendor_id = v.id
                     WHERE v.status = 'approved' GROUP BY v.id) v
               CROSS JOIN LATERAL generate_series(v.have + 1, %s) g""",
            [PER_VENDOR],
        )
        print(f"  {inserted} products inserted.")
    # Statistics rows the job has not written (this data set has no memberships behind them): spread figures.
    insert_select(
        VendorStats,
        {
            "vendor_id": "v.id",
            "current_partners": "abs(hashtext(v.id || 'p')) %% 500",
            "reachable_partners": "abs(hashtext(v.id || 'p')) %% 500",
            "partners_ever": "abs(hashtext(v.id || 'p')) %% 500 + abs(hashtext(v.id || 'e')) %% 50",
            "ended_90d": "abs(hashtext(v.id || 'e')) %% 50",
            "computed_at": "now()",
        },
        "FROM vendors_vendor v WHERE NOT EXISTS (SELECT 1 FROM portfolios_vendorstats s WHERE s.vendor_id = v.id)",
        [],
    )
    insert_select(
        VendorSalesStats,
        {
            "vendor_id": "v.id",
            "orders_total": "abs(hashtext(v.id || 'o')) %% 300",
            "rating_count": "abs(hashtext(v.id || 'r')) %% 90",
            "rating_average": "CASE WHEN v.id %% 3 = 0 THEN NULL "
            "ELSE 1 + (abs(hashtext(v.id || 'a')) %% 400) / 100.0 END",
            "computed_at": "now()",
        },
        "FROM vendors_vendor v WHERE NOT EXISTS (SELECT 1 FROM shop_vendorsalesstats s WHERE s.vendor_id = v.id)",
        [],
    )
    shopper, _ = User.objects.get_or_create(email=SHOPPER, defaults={"display_name": "Bench shopper"})
    have = PartnerMembership.objects.active().filter(consumer=shopper).count()
    if have < PARTNERS:
        step = max(1, VENDORS // PARTNERS)
        taken = set(PartnerMembership.objects.filter(consumer=shopper).values_list("vendor_id", flat=True))
        for vendor_id in Vendor.objects.approved().order_by("id").values_list("id", flat=True)[::step]:
            if len(taken) >= PARTNERS:
                break
            if vendor_id not in taken:
                membership_start(consumer=shopper, vendor_id=vendor_id)
                taken.add(vendor_id)
    # What autovacuum does after a bulk load: flush the GIN pending lists, then fresh planner statistics.
    for table in ("vendors_vendor", "vendors_product", "portfolios_vendorstats", "shop_vendorsalesstats"):
        sql(f"VACUUM ANALYZE {table}")
    print(f"Data ready in {time.perf_counter() - started:.0f} s.")


# --- Pages and their plans ------------------------------------------------------------------------------


@dataclass
class PageRun:
    label: str
    url: str
    signed_in: bool
    queries: int
    plans: list[tuple[str, str]]  # (SQL, EXPLAIN output) of the queries on vendor and product tables


def pages() -> list[tuple[str, str, bool]]:
    deep = 10
    return [
        ("Home", "/", False),
        ("Home, signed in", "/", True),
        ("Directory", "/vendors/", False),
        ("Directory, most partners", "/vendors/?sort=partners", False),
        ("Directory, best rated", "/vendors/?sort=rating", False),
        ("Directory, newest", "/vendors/?sort=newest", False),
        ("Directory, category", f"/vendors/?category={Category.objects.order_by('id').first().slug}", False),
        ("Directory, search", "/vendors/?q=harbour+coffee", False),
        (f"Directory, page {deep}", f"/vendors/?page={deep}", False),
        ("Directory, signed in", "/vendors/", True),
        ("Search, selective", "/search/?q=smoked+honey", False),
        ("Search, selective, signed in", "/search/?q=smoked+honey", True),
        ("Search, broad", "/search/?q=espresso", False),
        ("Search, broad, signed in", "/search/?q=espresso", True),
        ("Search, typo (trigram fallback)", "/search/?q=espreso+grindr", False),
        ("Products, no query", "/search/", False),
        ("Products, no query, signed in", "/search/", True),
        ("Products, only partners", "/search/?only_partners=on", True),
    ]


def explain_pages(shopper: User) -> list[PageRun]:
    anonymous, signed_in = Client(), Client()
    signed_in.force_login(shopper)
    runs = []
    for label, url, signed in pages():
        client = signed_in if signed else anonymous
        client.get(url)  # warm: the first request of a session writes it
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        plans = []
        for query in ctx.captured_queries:
            text = query["sql"]
            if not text.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            if "vendors_product" not in text and "vendors_vendor" not in text:
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + text)
                plans.append((text, "\n".join(row[0] for row in cursor.fetchall())))
        runs.append(PageRun(label, url, signed, len(ctx.captured_queries), plans))
        print(f"{label}: {len(ctx.captured_queries)} queries, {len(plans)} on vendors/products")
    return runs


def execution_ms(plan: str) -> float:
    match = re.search(r"Execution Time: ([0-9.]+) ms", plan)
    return float(match.group(1)) if match else 0.0


def seq_scans(plan: str) -> list[str]:
    return sorted(set(re.findall(r"Seq Scan on (\w+)", plan)))


# --- Throughput under gunicorn ----------------------------------------------------------------------------


def production_env(static_root: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_STATIC_ROOT": static_root,
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }


def wrk_requests_per_second(url: str, cookie: str | None) -> float:
    command = ["wrk", "-t2", f"-c{WRK_CONNECTIONS}", f"-d{WRK_SECONDS}s", "-H", "X-Forwarded-Proto: https"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    if re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        raise SystemExit(f"{url} answered errors under load:\n{output}")
    return float(re.search(r"Requests/sec:\s+([0-9.]+)", output).group(1))


def answers(url: str, cookie: str | None = None, *, signed_in: bool = False) -> bool:
    request = urllib.request.Request(
        url, headers={"X-Forwarded-Proto": "https", **({"Cookie": cookie} if cookie else {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read().decode()
    except OSError:
        return False
    return response.status == 200 and (not signed_in or "Log out" in body or "logout" in body)


@dataclass
class Rate:
    label: str
    signed_in: bool
    requests_per_second: float
    minimal_per_second: float


def throughput(shopper: User) -> list[Rate]:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk (make bench installs it).")
    static_root = tempfile.mkdtemp(prefix="pages-bench-static-")
    env = production_env(static_root)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    client = Client()
    client.force_login(shopper)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "marketplace.wsgi:application", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", str(GUNICORN_WORKERS), "--timeout", "60", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    minimal = f"{base}/bench/minimal/{Vendor.objects.approved().order_by('id').values_list('slug', flat=True)[0]}/"
    try:
        deadline = time.monotonic() + 60
        while not answers(f"{base}/health/"):
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("gunicorn did not start")
            time.sleep(0.5)
        for _ in range(GUNICORN_WORKERS):  # warm every worker; a signed-in page must not fall back to anonymous
            assert answers(minimal)
            for _, url, signed in pages():
                assert answers(base + url, cookie if signed else None, signed_in=signed), url
        results = []
        for label, url, signed in pages():
            # The minimal view right before each page: on a shared machine the load drifts during a run.
            floor = wrk_requests_per_second(minimal, None)
            rps = wrk_requests_per_second(base + url, cookie if signed else None)
            results.append(Rate(label, signed, rps, floor))
            print(f"{label}: {rps:.0f} requests/s, minimal view {floor:.0f}: {rps / floor:.2f}x")
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(static_root, ignore_errors=True)
    return results


# --- Report -----------------------------------------------------------------------------------------------


def report(runs: list[PageRun], rates: list[Rate]) -> str:
    products, vendors = Product.objects.count(), Vendor.objects.count()
    lines = [
        SECTION_START,
        "## Pages at marketplace scale",
        "",
        f"Produced by bench/pages_bench.py (`make bench`, second step) in one run: {vendors} vendors, {products}",
        f"products ({PER_VENDOR} per vendor, inserted by one INSERT ... SELECT generate_series), statistics rows for",
        f"every vendor, a shopper with {PARTNERS} partners. Each page is rendered once by Django's test client and",
        "every query it runs on the vendor and product tables is explained with EXPLAIN (ANALYZE, BUFFERS); the",
        "plans follow the table. Large tables: " + ", ".join(f"`{t}`" for t in LARGE_TABLES) + ".",
        "",
    ]
    if rates:
        lines += [
            f"Throughput: gunicorn ({GUNICORN_WORKERS} workers, production settings), wrk with {WRK_CONNECTIONS}"
            f" connections for {WRK_SECONDS} s per URL; each page is measured right after a minimal Django view",
            "(one vendor and its 20 products through the same middleware, bench/minimal_view.py), and the ratio is",
            "of the two. Target: every page at least 0.25× the minimal view.",
            "",
        ]
    rate = {(r.label, r.signed_in): r for r in rates}
    header = (
        "| page | URL | queries | on vendors/products: total execution (ms) | seq scans | requests/s "
        "| minimal view (requests/s) | ratio |"
    )
    lines += [header, "|---|---|---|---|---|---|---|---|"]
    for run in runs:
        scans = sorted({s for _, plan in run.plans for s in seq_scans(plan)})
        large = [s for s in scans if s in LARGE_TABLES]
        scan_text = ", ".join(f"**{s}**" if s in large else s for s in scans) or "none"
        total = sum(execution_ms(plan) for _, plan in run.plans)
        measured = rate.get((run.label, run.signed_in))
        if measured is None:
            rps_text = floor_text = ratio = "—"
        else:
            rps_text, floor_text = f"{measured.requests_per_second:.0f}", f"{measured.minimal_per_second:.0f}"
            ratio = f"{measured.requests_per_second / measured.minimal_per_second:.2f}×"
        lines.append(
            f"| {run.label} | `{run.url}` | {run.queries} | {total:.1f} | {scan_text} | {rps_text} | {floor_text} "
            f"| {ratio} |"
        )
    large = sorted({(r.label, scan) for r in runs for _, p in r.plans for scan in seq_scans(p) if scan in LARGE_TABLES})
    below = [r.label for r in rates if r.requests_per_second < 0.25 * r.minimal_per_second]
    lines += [
        "",
        "### Reading the figures",
        "",
        "- Sequential scans of a large table: "
        + ("; ".join(f"{label}: `{table}`" for label, table in large) if large else "none.")
        + " Small tables (categories, regions, the per-vendor statistics rows) may be read whole where that is"
        " the cheapest plan.",
        "- Pages under 0.25× the minimal view: " + ("; ".join(below) if below else "none") + "."
        if rates
        else "- Throughput was not measured in this run (BENCH_THROUGHPUT=0).",
        "- What keeps the work flat: product and vendor search read stored tsvectors (triggers, GIN indexes) and",
        "  fall back to the trigram indexes only when full text finds nothing; the product count on every card is",
        "  read from `vendors_vendorcataloguestats`; no list is counted (pages fetch one row more, at most 10",
        "  pages deep); partners first and the partner and rating sorts read the primary keys of one page in a",
        "  query whose parts each walk an index (StackedQuerySet), then the 24 rows by key.",
        "- What still grows: a search term that matches many products (Search, broad) ranks every match",
        "  (ts_rank needs each vector), so its keys query grows with the number of matches, not with the",
        "  table; the best-rated sort sorts the rated vendors' statistics rows (no index on",
        "  `shop_vendorsalesstats` yet). The rest of each page's time is template rendering.",
    ]
    lines += ["", "### Plans", ""]
    for run in runs:
        lines += [f"#### {run.label} (`{run.url}`)", ""]
        for n, (text, plan) in enumerate(run.plans, start=1):
            first_line = " ".join(text.split())[:160]
            lines += [
                f"<details><summary>Query {n}: {execution_ms(plan):.2f} ms, seq scans: "
                f"{', '.join(seq_scans(plan)) or 'none'}</summary>",
                "",
                "```sql",
                first_line + (" …" if len(" ".join(text.split())) > 160 else ""),
                "```",
                "",
                "```",
                plan,
                "```",
                "",
                "</details>",
                "",
            ]
    lines.append(SECTION_END)
    return "\n".join(lines) + "\n"


def write_section(section: str) -> None:
    path = ROOT / "docs" / "benchmarks.md"
    path.parent.mkdir(exist_ok=True)
    current = path.read_text() if path.exists() else "# Benchmarks\n"
    if SECTION_START in current and SECTION_END in current:
        before, rest = current.split(SECTION_START, 1)
        after = rest.split(SECTION_END, 1)[1].lstrip("\n")
        current = before + section + ("\n" + after if after else "")
    else:
        current = current.rstrip("\n") + "\n\n" + section
    path.write_text(current)


def main() -> None:
    call_command("migrate", verbosity=0)
    seed()
    shopper = User.objects.get(email=SHOPPER)
    runs = explain_pages(shopper)
    rates = throughput(shopper) if THROUGHPUT else []
    write_section(report(runs, rates))
    large = [(r.label, s) for r in runs for _, p in r.plans for s in seq_scans(p) if s in LARGE_TABLES]
    print("Sequential scans of large tables:", large or "none")
    if rates:
        worst = min(rates, key=lambda r: r.requests_per_second / r.minimal_per_second)
        ratio = worst.requests_per_second / worst.minimal_per_second
        print(f"Lowest ratio: {worst.label} at {ratio:.2f}x the minimal view (target 0.25).")


if __name__ == "__main__":
    main()
