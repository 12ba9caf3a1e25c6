"""Page benchmark at marketplace scale (not a test): the second half of `make bench`.

Seeds (or reuses, and tops up) its own data in its database, every step set-based or a few hundred rows:
  - 10k approved vendors with 20 products each (200k products, one INSERT ... SELECT generate_series; the
    triggers fill their search vectors and the catalogue counts) and statistics rows for every vendor;
  - a shopper with 20 partners, a few ended partnerships, partner promotions delivered to them, public ads;
  - a seller: the owner of a vendor with 500 products, 2000 partners (consumers with shared profiles, a fifth
    of them ended, with their membership events) and 500 orders, its statistics refreshed by the jobs' code;
  - a moderator (the Moderators group) and 500 vendor applications waiting in the queue;
  - the large tables topped up to the issue's size where no other seed has filled them (seed_demo's data has
    its own consumers and memberships): 100k consumers with profiles, 500k memberships with their events,
    100k orders over every vendor (about a minute, once).
Then, in one run:
  - renders every page and API list of issue 12 once with Django's test client, as the person who uses it
    (the cache empty, so what a miss costs), explains every query it runs with EXPLAIN (ANALYZE, BUFFERS)
    and keeps its slowest query's plan, the sequential scans of each page, and flags those on large tables;
  - unless BENCH_THROUGHPUT=0: serves the site with gunicorn under the production settings and measures each
    URL with wrk (1 thread, 16 connections, 10 s after a 2 s warm-up, `--latency` for p99), right after the
    same measurement of a minimal Django view (one vendor and its 20 products, bench/minimal_view.py), marks
    each row against its target (product and vendor pages 0.67x and p99 within 1.5x; the rest 0.25x), and
    reads the peak resident size (VmHWM) of every gunicorn worker at the end. The vendor and product page rows
    (and a search row) are read spread, as a marketplace's traffic is: each request a random one of 2,000 random
    approved vendors or purchasable products (a wrk Lua script picks the path), the minimal view over the same
    vendors, each of their runs (quiet, under writes) starting from an empty cache, so both read first renders;
    the old single-URL rows stay only as references labelled "one page (cache hit)";
  - unless BENCH_WRITES=0: every row again while writer processes (bench/writer.py) write to the marketplace
    through its services at a stated rate (checkouts paid with the fake card, stock and price edits, new
    partners, public ads starting, the clock), the rate chosen for a busy marketplace of 10,000 vendors at its
    busiest hour (bench/writer.py RATES; times the scale). The writers pause between rows, so each row is read
    quietly, then under writes, each time right after the minimal view; the row's ratio under writes ÷ quiet
    (each against its own minimal view) has the target 0.8. The writers report the writes of each kind they did
    per second in each row and over the run, and the CPU they and their database backends used.
Writes its section of docs/benchmarks.md (replacing its previous one, keeping the rest of the file), beginning
with the command that produced it.

Environment: BENCH_SCALE (1; `make bench SCALE=10`) multiplies vendors, consumers, memberships, orders and the
writers' rates; BENCH_THROUGHPUT=0 skips gunicorn; BENCH_WRK_SECONDS (10), BENCH_WRK_WARMUP (2),
BENCH_WRK_CONNECTIONS (16), BENCH_WRK_THREADS (1), BENCH_GUNICORN_WORKERS (2); BENCH_SPREAD (2000 vendors and
products); BENCH_WRITES=0 skips the under-writes section, BENCH_WRITE_RATE multiplies the writers' rates,
BENCH_WRITERS sets their number of processes (by default one per write a second, at most 8); BENCH_PAGES=<regex>
runs only the pages whose label matches and BENCH_DOCS=0 measures everything: the docs are then left alone (small
runs for checking); BENCH_VENDORS, BENCH_PRODUCTS_PER_VENDOR, BENCH_CONSUMERS, BENCH_MEMBERSHIPS, BENCH_ORDERS
(totals to top up to; set, they win over the scale)."""

from __future__ import annotations

import json
import math
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import asks_data, common, writer  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/marketplace_bench")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/3")
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"  # the shopper's memberships refresh their statistics in-process
# This process signs the sessions that wrk sends to gunicorn: both use this key.
SECRET_KEY = "pages-bench-only-secret-key-that-is-long-enough-0123456789abcdef"
os.environ["DJANGO_SECRET_KEY"] = SECRET_KEY

VENDORS = common.scaled("BENCH_VENDORS", 10000)
PER_VENDOR = int(os.environ.get("BENCH_PRODUCTS_PER_VENDOR", "20"))
PARTNERS = 20
SELLER_PRODUCTS = 500
SELLER_PARTNERS = 2000
SELLER_ORDERS = 500
PENDING_VENDORS = 500
# The tables the pages read, as large as in the marketplace where this data set is its own (seed_demo's
# data, with 100k consumers and 2M memberships, needs none of it).
CONSUMERS = common.scaled("BENCH_CONSUMERS", 100000)
MEMBERSHIPS = common.scaled("BENCH_MEMBERSHIPS", 500000)
ORDERS = common.scaled("BENCH_ORDERS", 100000)
# Vendor and product pages are read spread over this many random vendors and products (marketplace traffic).
SPREAD = int(os.environ.get("BENCH_SPREAD", "2000"))
ASKS = common.scaled("BENCH_ASKS", 100_000)  # open asks in the table while the asks rows are read
# The under-writes section: BENCH_WRITES=0 skips it; BENCH_WRITE_RATE multiplies the writer's rates.
WRITES = os.environ.get("BENCH_WRITES", "1") != "0"
WRITERS = int(os.environ.get("BENCH_WRITERS", "0"))  # writer processes; 0: as many as the rates need
UNDER_WRITES_TARGET = 0.8
THROUGHPUT = os.environ.get("BENCH_THROUGHPUT", "1") != "0"
WRK_SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "10"))
WRK_WARMUP = int(os.environ.get("BENCH_WRK_WARMUP", "2"))
WRK_CONNECTIONS = int(os.environ.get("BENCH_WRK_CONNECTIONS", "16"))
WRK_THREADS = int(os.environ.get("BENCH_WRK_THREADS", "1"))
GUNICORN_WORKERS = int(os.environ.get("BENCH_GUNICORN_WORKERS", "2"))
ONLY = re.compile(os.environ["BENCH_PAGES"], re.IGNORECASE) if os.environ.get("BENCH_PAGES") else None
DOCS_OFF = os.environ.get("BENCH_DOCS", "1") == "0"  # a small run for checking: docs/benchmarks.md left alone
SHOPPER = "bench-shopper@bench.example"
SELLER = "bench-seller@bench.example"
MODERATOR = "bench-moderator@bench.example"
SELLER_SLUG = "bench-seller-shop"
SECTION_START = "<!-- pages_bench:start -->"
SECTION_END = "<!-- pages_bench:end -->"
STRICT_TARGET, STRICT_P99, TARGET = 0.67, 1.5, 0.25

ADJECTIVES = """organic roasted vintage handmade classic deluxe tiny giant smoked fresh golden rustic silver velvet
wild urban spiced frosted copper linen woollen glazed salted bright""".split()
NOUNS = """espresso teapot saddle novel mug lantern candle scarf notebook basket kettle puzzle blanket honey pepper
wallet vinyl sourdough helmet planter chocolate bicycle atlas sketchbook apron bowl chutney cider cushion
grinder hammock jam knife ladder marmalade mittens olive pasta quilt radio sandals soap spoon tart umbrella
vase whisk yarn""".split()
QUALITIES = "lovely sturdy fragrant compact durable elegant cosy bright light generous".split()
TRADES = "Coffee Books Bikes Tea Garden Ceramics Bakery Records Outdoor Toys Spices Leather".split()
PLACES = "Moonlight Harbour Copper Juniper Northern Willow Granite Saffron Orchard Meadow".split()


common.ensure_database()

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from marketplace.accounts.models import AgeBand, ConsumerProfile, Interest, Region, User  # noqa: E402
from marketplace.kernel.sql import Scope  # noqa: E402
from marketplace.shop.models import Checkout, Order, OrderLine, VendorSalesStats  # noqa: E402
from marketplace.shop.services.stats import sales_stats_refresh  # noqa: E402
from portfolios.models import (  # noqa: E402
    EndReason,
    MarketplaceSegmentBaseline,
    MembershipEvent,
    PartnerMembership,
    VendorStats,
)
from portfolios.services import membership_end, membership_start  # noqa: E402
from portfolios.services.stats import stats_refresh_marketplace, stats_refresh_scope  # noqa: E402
from promotions.models import Promotion, PromotionDelivery  # noqa: E402
from vendors.models import Category, Product, Vendor  # noqa: E402

# Tables whose whole-table scan would make a page grow with the marketplace (issue 12).
LARGE_TABLES = tuple(
    m._meta.db_table
    for m in (Product, Vendor, PartnerMembership, MembershipEvent, User, ConsumerProfile, Order, OrderLine)
)

# --- Seed ----------------------------------------------------------------------------------------------


def sql(statement: str, params: list[Any] | tuple[Any, ...] = ()) -> int:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        rows = cursor.rowcount
    if (seconds := time.perf_counter() - started) > 5:
        print(f"    ({seconds:.0f} s: {' '.join(statement.split())[:90]} …)")
    return rows


def sql_value(statement: str, params: list[Any] | tuple[Any, ...] = ()) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        row = cursor.fetchone()
        return row[0] if row else None


def sql_array(words: list[str]) -> str:
    return "ARRAY[" + ", ".join("'" + w.replace("'", "''") + "'" for w in words) + "]"


def insert_select(model: type[models.Model], values: dict[str, str], from_sql: str, params: list[Any]) -> int:
    """INSERT INTO model's table SELECT ... FROM from_sql, with `values` (column: SQL expression, a literal % written
    %%, no parameters) and, for every other column, the field's default: the statement survives a column added to
    the model. `params` are from_sql's."""
    columns, expressions, defaults = [], [], []
    for model_field in model._meta.concrete_fields:
        if model_field.primary_key and isinstance(model_field, models.AutoField | models.BigAutoField):
            continue
        columns.append(f'"{model_field.column}"')
        if model_field.column in values:
            expressions.append(values[model_field.column])
        elif getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
            expressions.append("now()")
        elif model_field.null and not model_field.has_default():
            expressions.append("NULL")
        else:
            expressions.append("%s")
            defaults.append(model_field.get_db_prep_save(model_field.get_default(), connection))
    statement = f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) SELECT {', '.join(expressions)} {from_sql}"
    return sql(statement, [*defaults, *params])


def pick(words: list[str], seed: str) -> str:
    """A word of `words` chosen by a hash of the SQL expression `seed`: spread like real text, repeatable."""
    return f"({sql_array(words)})[1 + abs(hashtext({seed})) %% {len(words)}]"


def pick_id(ids: list[int], seed: str) -> str:
    return f"(ARRAY[{', '.join(str(i) for i in ids)}]::bigint[])[1 + abs(hashtext({seed})) %% {len(ids)}]"


def bench_users(kind: str, count: int, display: str) -> list[int]:
    """Ids of the users bench-<kind>-1..count@bench.example, the missing ones inserted by one INSERT ... SELECT
    (no profile: the caller adds what it needs)."""
    email = f"'bench-{kind}-' || g || '@bench.example'"
    insert_select(
        User,
        {"email": email, "display_name": f"'{display} ' || g", "password": "'!'"},
        f"FROM generate_series(1, %s) g WHERE NOT EXISTS (SELECT 1 FROM accounts_user u WHERE u.email = {email})",
        [count],
    )
    return list(
        User.objects.filter(email__regex=rf"^bench-{kind}-[0-9]+@bench\.example$")
        .order_by("id")
        .values_list("id", flat=True)[:count]
    )


def top_up_products(target: int, vendor_filter: str, params: list[Any]) -> int:
    """Give every vendor of `vendor_filter` (SQL on vendors_vendor v) `target` products, in one INSERT ... SELECT."""
    key_a, key_b, key_c = "v.id || '-' || g || 'a'", "v.id || '-' || g || 'b'", "v.id || '-' || g || 'c'"
    return insert_select(
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
        f"""FROM (SELECT v.id, v.category_id, count(p.id) AS have FROM vendors_vendor v
                 LEFT JOIN vendors_product p ON p.vendor_id = v.id
                 WHERE {vendor_filter} GROUP BY v.id) v
           CROSS JOIN LATERAL generate_series(v.have + 1, %s) g""",
        [*params, target],
    )


def seed_catalogue(categories: list[Category]) -> None:
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
    short = sql_value(
        "SELECT count(*) FROM vendors_vendor v WHERE v.status = 'approved' "
        "AND (SELECT count(*) FROM vendors_product p WHERE p.vendor_id = v.id) < %s",
        [PER_VENDOR],
    )
    if short:
        print(f"Topping up products to {PER_VENDOR} for {short} approved vendors (one INSERT ... SELECT) ...")
        inserted = top_up_products(PER_VENDOR, "v.status = 'approved'", [])
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


def seed_shopper() -> User:
    """The shopper: 20 current partners and 3 ended ones (the portfolio history), through the services."""
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
    if not PartnerMembership.objects.ended().filter(consumer=shopper).exists():
        taken = set(PartnerMembership.objects.filter(consumer=shopper).values_list("vendor_id", flat=True))
        reasons = [EndReason.PRICE, EndReason.BAD_SERVICE, EndReason.NOT_NEEDED]
        candidates = Vendor.objects.approved().exclude(pk__in=taken).exclude(slug=SELLER_SLUG).order_by("-id")
        for vendor_id, reason in zip(candidates.values_list("id", flat=True)[:3], reasons, strict=False):
            membership_start(consumer=shopper, vendor_id=vendor_id)
            membership_end(consumer=shopper, vendor_id=vendor_id, reason=reason)
    return shopper


def seed_promotions(shopper: User) -> None:
    """Running partners-only promotions of 10 of the shopper's partners, delivered to the shopper (what the feed
    shows), and 12 running public ads (home and search). Inserted directly: a partner with one real partner
    could not publish through the service (its audience is under K)."""
    now = timezone.now()
    common = {
        "discount_value": 10,
        "starts_at": now - timezone.timedelta(days=1),
        "ends_at": now + timezone.timedelta(days=3650),
        "state": Promotion.State.RUNNING,
    }
    if not Promotion.objects.filter(title__startswith="Bench partner offer").exists():
        partner_ids = list(
            PartnerMembership.objects.active()
            .filter(consumer=shopper)
            .order_by("vendor_id")
            .values_list("vendor_id", flat=True)[:10]
        )
        promotions = Promotion.objects.bulk_create(
            Promotion(
                vendor_id=vendor_id,
                title=f"Bench partner offer {n}",
                description="Ten percent off for our partners.",
                kind=Promotion.Kind.PARTNERS,
                **common,
            )
            for n, vendor_id in enumerate(partner_ids)
        )
        PromotionDelivery.objects.bulk_create(
            PromotionDelivery(promotion=p, consumer=shopper, delivered_at=now) for p in promotions
        )
    if not Promotion.objects.filter(title__startswith="Bench public ad").exists():
        vendor_ids = list(Vendor.objects.approved().order_by("id").values_list("id", flat=True)[1:1200:100])
        Promotion.objects.bulk_create(
            Promotion(
                vendor_id=vendor_id,
                title=f"Bench public ad {n}",
                description="Ten percent off everything this week.",
                kind=Promotion.Kind.PUBLIC,
                **common,
            )
            for n, vendor_id in enumerate(vendor_ids)
        )


def seed_consumers() -> list[int]:
    """Ids of the bench consumers, each with a profile (region, age band, 1-2 interests, shared or not): enough for
    CONSUMERS consumer profiles in all (none added where another seed, seed_demo's, has made them)."""
    others = ConsumerProfile.objects.exclude(user__email__regex=r"^bench-consumer-[0-9]+@bench\.example$").count()
    consumers = bench_users("consumer", max(SELLER_PARTNERS, CONSUMERS - others), "Consumer")
    regions = list(Region.objects.order_by("id").values_list("id", flat=True))
    interests = list(Interest.objects.order_by("id").values_list("id", flat=True))
    values = {"user_id": "u.id", "age_band": pick(list(AgeBand.values), "u.id || 'a'")}
    values |= {"share_region": "abs(hashtext(u.id || 'sr')) %% 10 < 7"}
    values |= {"share_age_band": "abs(hashtext(u.id || 'sa')) %% 10 < 6"}
    values |= {"share_interests": "abs(hashtext(u.id || 'si')) %% 10 < 5"}
    if regions:
        values["region_id"] = pick_id(regions, "u.id || 'r'")
    added = insert_select(
        ConsumerProfile,
        values,
        "FROM accounts_user u WHERE u.id = ANY(%s) "
        "AND NOT EXISTS (SELECT 1 FROM accounts_consumerprofile p WHERE p.user_id = u.id)",
        [consumers],
    )
    if added and interests:
        through = ConsumerProfile.interests.through._meta.db_table
        interest = pick_id(interests, "p.user_id || 'i' || k")
        sql(
            f"INSERT INTO {through} (consumerprofile_id, interest_id) "
            f"SELECT DISTINCT p.user_id, {interest} "
            "FROM accounts_consumerprofile p CROSS JOIN generate_series(1, 2) k WHERE p.user_id = ANY(%s) "
            "ON CONFLICT DO NOTHING",
            [consumers],
        )
    if added:
        print(f"  {added} consumers with profiles")
    return consumers


def seed_background(consumers: list[int]) -> None:
    """Partnerships and orders spread over every vendor, so the tables the pages read are large, as in the issue's
    marketplace: MEMBERSHIPS memberships in all (5 per bench consumer, with their events; a few ended) and
    ORDERS orders in all (one line each), every step one INSERT ... SELECT. Tops up only what is missing."""
    # The vendors numbered 0..total-1; a join on that number alone hashes (one on an expression of both sides
    # measured 458 s for the memberships: a nested loop of 500k rows by 10k vendors).
    approved = (
        "(SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM vendors_vendor "
        f"WHERE status = 'approved' AND slug <> '{SELLER_SLUG}')"
    )
    total = Vendor.objects.approved().exclude(slug=SELLER_SLUG).count()
    missing = MEMBERSHIPS - PartnerMembership.objects.count()
    if missing > 0:
        reasons = list(EndReason.values)
        per_consumer = 5
        wanted = consumers[SELLER_PARTNERS : SELLER_PARTNERS + missing // per_consumer + 1] or consumers
        added = insert_select(
            PartnerMembership,
            {
                "consumer_id": "s.uid",
                "vendor_id": "v.id",
                "started_at": "s.started",
                "ended_at": "CASE WHEN s.h %% 7 = 0 THEN s.started + (now() - s.started) / 2 END",
                "end_reason": f"CASE WHEN s.h %% 7 = 0 THEN ({sql_array(reasons)})[1 + s.h / 7 %% {len(reasons)}] "
                "ELSE '' END",
            },
            f"""FROM (SELECT u.id AS uid, k, abs(hashtext(u.id || 'b' || k)) AS h, abs(hashtext(u.id || 'v')) AS pos,
                            now() - (1 + abs(hashtext(u.id || 's' || k)) %% 1051200) * interval '1 minute' AS started
                     FROM accounts_user u CROSS JOIN generate_series(0, {per_consumer - 1}) k
                     WHERE u.id = ANY(%s) AND NOT EXISTS (
                         SELECT 1 FROM portfolios_partnermembership m JOIN vendors_vendor mv ON mv.id = m.vendor_id
                         WHERE m.consumer_id = u.id AND mv.slug <> '{SELLER_SLUG}')) s
               JOIN {approved} v ON v.n = (s.pos + s.k * {total // 5}) %% {total}""",
            [wanted],
        )
        insert_select(
            MembershipEvent,
            {"membership_id": "x.id", "vendor_id": "x.vendor_id", "kind": "x.kind", "reason": "x.reason"}
            | {"created_at": "x.at"},
            f"""FROM (SELECT m.id, m.vendor_id, '{MembershipEvent.Kind.STARTED.value}' AS kind, '' AS reason,
                             m.started_at AS at
                      FROM portfolios_partnermembership m WHERE m.consumer_id = ANY(%s)
                      UNION ALL
                      SELECT m.id, m.vendor_id, '{MembershipEvent.Kind.ENDED.value}', m.end_reason, m.ended_at
                      FROM portfolios_partnermembership m WHERE m.consumer_id = ANY(%s) AND m.ended_at IS NOT NULL) x
                WHERE NOT EXISTS (SELECT 1 FROM portfolios_membershipevent e WHERE e.membership_id = x.id)""",
            [wanted, wanted],
        )
        if added:
            print(f"  {added} background partnerships with their events")
    have = Order.objects.count()
    if have < ORDERS:
        key = "'bench-bg-order-' || s.g"
        insert_select(
            Checkout,
            {"consumer_id": "s.cid", "idempotency_key": key},
            f"""FROM (SELECT g, (%s::bigint[])[1 + abs(hashtext(g || 'c')) %% %s] AS cid
                     FROM generate_series(%s, %s) g) s
               WHERE NOT EXISTS (SELECT 1 FROM shop_checkout c WHERE c.idempotency_key = {key})""",
            [consumers, len(consumers), have + 1, ORDERS],
        )
        with connection.cursor() as cursor:  # fresh statistics: without them the planner walks every product
            cursor.execute("ANALYZE shop_checkout, shop_order, vendors_vendor, vendors_product")
        first_product = (
            "JOIN LATERAL (SELECT p.id, p.name, p.price FROM vendors_product p WHERE p.vendor_id = v.id AND p.active "
            "ORDER BY p.id LIMIT 1) p ON true"
        )
        statuses = sql_array(["paid", "shipped", "delivered", "delivered", "delivered", "cancelled"])
        added = insert_select(
            Order,
            {
                "checkout_id": "c.id",
                "consumer_id": "c.consumer_id",
                "vendor_id": "v.id",
                "status": f"({statuses})[1 + abs(hashtext(c.id || 's')) %% 6]",
                "ship_to_name": "'Consumer ' || c.consumer_id",
                "ship_to_address": "'1 High Street, Bench Town'",
                "subtotal": "p.price",
                "total": "p.price",
                "created_at": "now() - (abs(hashtext(c.id || 't')) %% 525600) * interval '1 minute'",
            },
            f"""FROM shop_checkout c
               JOIN {approved} v ON v.n = abs(hashtext(c.id || 'v')) %% {total}
               {first_product}
               WHERE c.idempotency_key LIKE 'bench-bg-order-%%'
               AND NOT EXISTS (SELECT 1 FROM shop_order o WHERE o.checkout_id = c.id)""",
            [],
        )
        insert_select(
            OrderLine,
            {
                "order_id": "o.id",
                "product_id": "p.id",
                "product_name": "p.name",
                "unit_price": "p.price",
                "quantity": "1",
            },
            f"""FROM shop_order o JOIN vendors_vendor v ON v.id = o.vendor_id {first_product}
               JOIN shop_checkout c ON c.id = o.checkout_id AND c.idempotency_key LIKE 'bench-bg-order-%%'
               WHERE NOT EXISTS (SELECT 1 FROM shop_orderline l WHERE l.order_id = o.id)""",
            [],
        )
        print(f"  {added} background orders")


def seed_seller(categories: list[Category], consumers: list[int]) -> User:
    """The seller's vendor: SELLER_PRODUCTS products, SELLER_PARTNERS partners with shared profiles (a fifth ended,
    with their events), SELLER_ORDERS orders; then its statistics recomputed by the jobs' own services."""
    seller, _ = User.objects.get_or_create(email=SELLER, defaults={"display_name": "Bench seller"})
    vendor = Vendor.objects.filter(slug=SELLER_SLUG).first()
    if vendor is None:
        vendor = Vendor.objects.create(
            owner=seller,
            name="Bench Seller's Emporium",
            slug=SELLER_SLUG,
            description="A large shop with many partners and orders, for the workspace pages.",
            category=categories[0],
            status=Vendor.Status.APPROVED,
            approved_at=timezone.now() - timezone.timedelta(days=400),
        )
    changed = False
    if vendor.products.count() < SELLER_PRODUCTS:
        print(f"  seller: {top_up_products(SELLER_PRODUCTS, 'v.id = %s', [vendor.pk])} products")
        changed = True

    consumers = consumers[:SELLER_PARTNERS]
    reasons = list(EndReason.values)
    added = insert_select(
        PartnerMembership,
        {
            "consumer_id": "s.uid",
            "vendor_id": "s.vid",
            "started_at": "s.started",
            "ended_at": "CASE WHEN s.h %% 5 = 0 THEN s.started + (now() - s.started) / 2 END",
            "end_reason": f"CASE WHEN s.h %% 5 = 0 THEN ({sql_array(reasons)})[1 + s.h / 5 %% {len(reasons)}] "
            "ELSE '' END",
            "muted": "s.h %% 10 = 1",
        },
        """FROM (SELECT u.id AS uid, %s::bigint AS vid, abs(hashtext(u.id || 'm')) AS h,
                        now() - (1 + abs(hashtext(u.id || 's')) %% 525600) * interval '1 minute' AS started
                 FROM accounts_user u WHERE u.id = ANY(%s)
                 AND NOT EXISTS (SELECT 1 FROM portfolios_partnermembership m
                                 WHERE m.consumer_id = u.id AND m.vendor_id = %s)) s""",
        [vendor.pk, consumers, vendor.pk],
    )
    if added:
        print(f"  seller: {added} partnerships")
        insert_select(
            MembershipEvent,
            {"membership_id": "x.id", "vendor_id": "x.vendor_id", "kind": "x.kind", "reason": "x.reason"}
            | {"created_at": "x.at"},
            f"""FROM (SELECT m.id, m.vendor_id, '{MembershipEvent.Kind.STARTED.value}' AS kind, '' AS reason,
                             m.started_at AS at
                      FROM portfolios_partnermembership m WHERE m.vendor_id = %s
                      UNION ALL
                      SELECT m.id, m.vendor_id, '{MembershipEvent.Kind.ENDED.value}', m.end_reason, m.ended_at
                      FROM portfolios_partnermembership m WHERE m.vendor_id = %s AND m.ended_at IS NOT NULL) x
                WHERE NOT EXISTS (SELECT 1 FROM portfolios_membershipevent e WHERE e.membership_id = x.id)""",
            [vendor.pk, vendor.pk],
        )
        changed = True

    have = Order.objects.filter(vendor=vendor).count()
    if have < SELLER_ORDERS:
        rng = random.Random(12)
        products = list(vendor.products.filter(active=True).order_by("id")[:200])
        checkouts = Checkout.objects.bulk_create(
            Checkout(consumer_id=rng.choice(consumers), idempotency_key=f"bench-seller-order-{n}")
            for n in range(have, SELLER_ORDERS)
        )
        statuses = [Order.Status.PAID] * 3 + [Order.Status.SHIPPED] * 2 + [Order.Status.DELIVERED] * 4
        statuses.append(Order.Status.CANCELLED)
        orders, lines = [], []
        for checkout in checkouts:
            picked = [(p, rng.randint(1, 3)) for p in rng.sample(products, rng.randint(1, 3))]
            subtotal = sum((p.price * q for p, q in picked), start=0)
            orders.append(
                Order(
                    checkout=checkout,
                    consumer_id=checkout.consumer_id,
                    vendor=vendor,
                    status=rng.choice(statuses),
                    buyer_was_partner=True,
                    ship_to_name=f"Consumer {checkout.consumer_id}",
                    ship_to_address=f"{rng.randint(1, 200)} High Street, Bench Town",
                    subtotal=subtotal,
                    total=subtotal,
                )
            )
            lines.append(picked)
        orders = Order.objects.bulk_create(orders)
        OrderLine.objects.bulk_create(
            OrderLine(order=o, product=p, product_name=p.name, unit_price=p.price, quantity=q)
            for o, picked in zip(orders, lines, strict=True)
            for p, q in picked
        )
        # Spread over the last 90 days, newest first as a vendor's list would be (created_at is auto_now_add).
        sql(
            "UPDATE shop_order SET created_at = now() - (abs(hashtext(id || 'c')) %% 129600) * interval '1 minute', "
            "updated_at = now() WHERE id = ANY(%s)",
            [[o.pk for o in orders]],
        )
        print(f"  seller: {len(orders)} orders")
        changed = True
    if changed or not MarketplaceSegmentBaseline.objects.exists():
        scope = Scope.ids([vendor.pk])
        stats_refresh_scope(scope=scope)
        sales_stats_refresh(scope=scope)
        stats_refresh_marketplace()
    return seller


def seed_moderation(categories: list[Category]) -> User:
    """The moderator (staff, in the Moderators group, as tests/conftest.py makes one) and PENDING_VENDORS
    applications waiting for a decision, each from its own applicant, serving one region."""
    moderator, _ = User.objects.get_or_create(email=MODERATOR, defaults={"display_name": "Bench moderator"})
    if not moderator.is_staff:
        moderator.is_staff = True
        moderator.save(update_fields=["is_staff"])
    moderator.groups.add(Group.objects.get(name="Moderators"))
    applicants = bench_users("applicant", PENDING_VENDORS, "Applicant")
    added = insert_select(
        Vendor,
        {
            "owner_id": "u.id",
            "name": "'Applicant Shop ' || u.id",
            "slug": "'bench-pending-' || u.id",
            "description": "'A new shop waiting for approval, selling handmade goods.'",
            "category_id": pick_id([c.pk for c in categories], "u.id || 'c'"),
            "contact_email": "u.email",
            "status": f"'{Vendor.Status.PENDING.value}'",
            "created_at": "now() - (abs(hashtext(u.id || 'p')) %% 20160) * interval '1 minute'",
        },
        "FROM accounts_user u WHERE u.id = ANY(%s) "
        "AND NOT EXISTS (SELECT 1 FROM vendors_vendor v WHERE v.owner_id = u.id)",
        [applicants],
    )
    regions = list(Region.objects.order_by("id").values_list("id", flat=True))
    if added and regions:
        through = Vendor.regions.through._meta.db_table
        region = pick_id(regions, "v.id || 'r'")
        sql(
            f"INSERT INTO {through} (vendor_id, region_id) SELECT v.id, {region} "
            "FROM vendors_vendor v WHERE v.owner_id = ANY(%s) ON CONFLICT DO NOTHING",
            [applicants],
        )
        print(f"  moderation: {added} pending applications")
    return moderator


def seed_asks(shopper: User) -> None:
    """ASKS open asks (100,000 at scale 1: bench/asks_data.py, as bench/asks_bench.py seeds them), among them the
    shopper's own to its partners and asks to the seller's vendor from its partners, so the asks rows read full
    lists out of a full table."""
    from marketplace.asks.models import Ask

    vendor = Vendor.objects.get(slug=SELLER_SLUG)
    have = Ask.objects.filter(title__startswith=asks_data.TITLE + " ").count()
    after = Ask.objects.order_by("-id").values_list("id", flat=True).first() or 0
    with transaction.atomic(), connection.cursor() as cursor:
        # The shopper's own asks, one to each of its partners; asks to the seller from 200 of its partners.
        added = asks_data.asks_insert_for(cursor, consumers=[shopper.pk], vendor=None, count=50, after=after)
        fans = list(
            PartnerMembership.objects.filter(vendor=vendor, ended_at__isnull=True, consumer__isnull=False)
            .order_by("id")
            .values_list("consumer_id", flat=True)[:200]
        )
        after = Ask.objects.order_by("-id").values_list("id", flat=True).first() or 0
        added += asks_data.asks_insert_for(cursor, consumers=fans, vendor=vendor.pk, count=200, after=after)
        if have + added < ASKS:
            after = Ask.objects.order_by("-id").values_list("id", flat=True).first() or 0
            added += asks_data.asks_insert(cursor, start=have + added, count=ASKS - have - added, after=after)
    if added:
        for table in ("asks_ask", "asks_askrecipient", "asks_offer"):
            sql(f"VACUUM ANALYZE {table}")
        print(f"  asks: {added} open asks")


def seed() -> None:
    started = time.perf_counter()
    categories = list(Category.objects.order_by("id")[:20])
    if len(categories) < 20:
        Category.objects.bulk_create(
            [Category(name=f"Bench category {n}", slug=f"bench-category-{n}") for n in range(20)],
            ignore_conflicts=True,
        )
        categories = list(Category.objects.order_by("id")[:20])
    seed_catalogue(categories)
    consumers = seed_consumers()
    seed_seller(categories, consumers)
    seed_background(consumers)
    shopper = seed_shopper()
    seed_promotions(shopper)
    seed_moderation(categories)
    seed_asks(shopper)
    # What autovacuum does after a bulk load: flush the GIN pending lists, then fresh planner statistics.
    for table in (
        *LARGE_TABLES,
        "portfolios_vendorstats",
        "shop_vendorsalesstats",
        Promotion._meta.db_table,
        PromotionDelivery._meta.db_table,
    ):
        sql(f"VACUUM ANALYZE {table}")
    print(f"Data ready in {time.perf_counter() - started:.0f} s.")


# --- What to measure --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Terms:
    """Search words that match this database, whatever seeded it (this script, or seed_demo's names)."""

    selective: str  # two words of one product name: a handful of matches
    broad: str  # a common word of product names: many matches
    typo: str  # two misspelt common words: full text finds nothing, the trigram fallback finds them
    vendor: str  # two words of one vendor name
    note: str


def _fts_matches(table: str, term: str, cap: int) -> int:
    return sql_value(
        f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE search @@ websearch_to_tsquery('english', %s) LIMIT %s) s",
        [term, cap],
    )


def _trigram_finds(term: str) -> bool:
    return bool(sql_value("SELECT 1 FROM vendors_product WHERE name %%> %s LIMIT 1", [term]))


def _typo_works(term: str) -> bool:
    """Full text finds nothing (so the search falls back to trigrams) and the trigram fallback finds something."""
    return not _fts_matches("vendors_product", term, 1) and _trigram_finds(term)


def _misspell(word: str) -> str:
    """One letter dropped from the middle: close enough for trigram word similarity, unknown to full text."""
    middle = len(word) // 2
    return word[:middle] + word[middle + 1 :]


def search_terms() -> Terms:
    """The bench's own words when they match this data, otherwise words read from it."""
    products = Product.objects.count()
    broad_min = max(50, products // 200)
    notes = []
    selective, broad, typo, vendor_query = "smoked honey", "espresso", "espreso grindr", "harbour coffee"
    common: list[str] = []
    if _fts_matches("vendors_product", broad, broad_min) < broad_min or not (
        1 <= _fts_matches("vendors_product", selective, 1000) < 1000
    ):
        common = [
            row[0]
            for row in _rows(
                "SELECT w FROM (SELECT regexp_split_to_table(lower(name), '[^a-z]+') AS w FROM vendors_product "
                "WHERE active AND mod(id, 20) = 0) s WHERE length(w) >= 4 GROUP BY w ORDER BY count(*) DESC, w LIMIT 40"
            )
        ]
        broad = next((w for w in common if _fts_matches("vendors_product", w, broad_min) >= broad_min), broad)
        name = sql_value(
            "SELECT name FROM vendors_product WHERE active ORDER BY id "
            "OFFSET (SELECT count(*) / 2 FROM vendors_product) LIMIT 1"
        )
        words = sorted(re.findall(r"[A-Za-z]{4,}", name or ""), key=len, reverse=True)[:2]
        if len(words) == 2 and _fts_matches("vendors_product", " ".join(words), 1) == 1:
            selective = " ".join(words)
        notes.append("product search words read from the product names")
    if not _typo_works(typo):
        # Two words of one product name, one of them misspelt: full text finds nothing, word similarity does.
        names = [selective] + [
            row[0] for row in _rows("SELECT name FROM vendors_product WHERE active AND mod(id, 997) = 0 LIMIT 20")
        ]
        for name in names:
            words = [w.lower() for w in sorted(re.findall(r"[A-Za-z]{4,}", name), key=len, reverse=True)[:2]]
            candidates = [" ".join(_misspell(w) if n == wrong else w for n, w in enumerate(words)) for wrong in (1, 0)]
            found = next((c for c in candidates if len(words) == 2 and _typo_works(c)), None)
            if found:
                typo = found
                notes.append("the typo made from one product name")
                break
    if not _fts_matches("vendors_vendor", vendor_query, 1):
        name = sql_value("SELECT name FROM vendors_vendor WHERE status = 'approved' ORDER BY id LIMIT 1")
        words = re.findall(r"[A-Za-z]{3,}", name or "")[:2]
        if words:
            vendor_query = " ".join(words)
        notes.append("the directory search words read from a vendor name")
    return Terms(selective, broad, typo, vendor_query, "; ".join(notes) or "the bench's own words match this data")


def _rows(statement: str, params: list[Any] | tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall()


@dataclass(frozen=True)
class Page:
    label: str
    url: str
    who: str  # "anonymous", "shopper", "seller" or "moderator"
    api: bool = False
    strict: bool = False  # the product and vendor pages: 0.67x and p99 within 1.5x
    reference: bool = False  # no target: a figure to read the others by
    # Read spread: wrk asks for a random one of these paths per request (`url` is the first, what the test client
    # renders and explains); empty: `url` again and again.
    paths: tuple[str, ...] = ()
    spread: str = ""  # what the paths are, for the report: "2,000 random approved vendors"

    @property
    def url_text(self) -> str:
        if not self.paths:
            return self.url
        shape = re.sub(r"/[^/?]+/$", "/<…>/", self.url) if "?" not in self.url else self.url.split("=")[0] + "=<…>"
        return f"{shape} over {self.spread}"

    @property
    def target_text(self) -> str:
        if self.reference:
            return "— (reference)"
        return f"≥ {STRICT_TARGET}× and p99 ≤ {STRICT_P99}× minimal" if self.strict else f"≥ {TARGET}×"


@dataclass(frozen=True)
class Spread:
    """What the spread rows read: random approved vendors, purchasable products and search words from product
    names, drawn with a fixed seed (the same sample on the same data)."""

    vendor_slugs: tuple[str, ...]
    product_ids: tuple[int, ...]
    search_words: tuple[str, ...]

    @property
    def minimal_paths(self) -> tuple[str, ...]:
        return tuple(f"/bench/minimal/{slug}/" for slug in self.vendor_slugs)


def spread_sample() -> Spread:
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.28)")  # ORDER BY random() below: the same sample on the same data
    slugs = tuple(Vendor.objects.approved().order_by("?").values_list("slug", flat=True)[:SPREAD])
    ids = tuple(Product.objects.purchasable().order_by("?").values_list("id", flat=True)[:SPREAD])
    words = []
    for name in Product.objects.purchasable().order_by("?").values_list("name", flat=True)[: max(1, SPREAD // 4)]:
        found = re.findall(r"[A-Za-z]{4,}", name)[:2]
        if found:
            words.append(" ".join(w.lower() for w in found))
    return Spread(slugs, ids, tuple(dict.fromkeys(words)))


def pages(terms: Terms, spread: Spread) -> list[Page]:
    deep = 10
    q = urllib.parse.quote_plus
    vendor = Vendor.objects.approved().order_by("id").first()
    product = vendor.products.filter(active=True).order_by("id").first()
    category = Category.objects.order_by("id").first()
    vendors = tuple(f"/vendors/{slug}/" for slug in spread.vendor_slugs)
    products = tuple(f"/products/{pk}/" for pk in spread.product_ids)
    searches = tuple(f"/search/?q={q(words)}" for words in spread.search_words)
    signed_in_minimal = tuple(f"/bench/minimal-signed-in/{slug}/" for slug in spread.vendor_slugs)
    many_vendors, many_products = f"{len(vendors):,} random vendors", f"{len(products):,} random products"
    many_words = f"{len(searches):,} words of random product names"
    listed = [
        # What signing in alone costs (session, user, middleware): the floor of every signed-in row below.
        Page(
            "Minimal view, signed in",
            signed_in_minimal[0],
            "shopper",
            reference=True,
            paths=signed_in_minimal,
            spread=many_vendors,
        ),
        Page("Home", "/", "anonymous"),
        Page("Home, signed in", "/", "shopper"),
        Page("Directory", "/vendors/", "anonymous"),
        Page("Directory, most partners", "/vendors/?sort=partners", "anonymous"),
        Page("Directory, best rated", "/vendors/?sort=rating", "anonymous"),
        Page("Directory, newest", "/vendors/?sort=newest", "anonymous"),
        Page("Directory, category", f"/vendors/?category={category.slug}", "anonymous"),
        Page("Directory, search", f"/vendors/?q={q(terms.vendor)}", "anonymous"),
        Page(f"Directory, page {deep}", f"/vendors/?page={deep}", "anonymous"),
        Page("Directory, signed in", "/vendors/", "shopper"),
        Page("Search, selective", f"/search/?q={q(terms.selective)}", "anonymous"),
        Page("Search, selective, signed in", f"/search/?q={q(terms.selective)}", "shopper"),
        Page("Search, broad", f"/search/?q={q(terms.broad)}", "anonymous"),
        Page("Search, broad, signed in", f"/search/?q={q(terms.broad)}", "shopper"),
        Page("Search, typo (trigram fallback)", f"/search/?q={q(terms.typo)}", "anonymous"),
        Page("Products, no query", "/search/", "anonymous"),
        Page("Products, no query, signed in", "/search/", "shopper"),
        Page("Products, only partners", "/search/?only_partners=on", "shopper"),
        Page("Search, spread", searches[0], "anonymous", paths=searches, spread=many_words),
        Page("Search, spread, signed in", searches[0], "shopper", paths=searches, spread=many_words),
        # Marketplace traffic: each request a random vendor or product of thousands (a cache holds few of them).
        Page("Product page", products[0], "anonymous", strict=True, paths=products, spread=many_products),
        Page("Product page, signed in", products[0], "shopper", strict=True, paths=products, spread=many_products),
        Page("Vendor page", vendors[0], "anonymous", strict=True, paths=vendors, spread=many_vendors),
        Page("Vendor page, signed in", vendors[0], "shopper", strict=True, paths=vendors, spread=many_vendors),
        # The same page again and again: what a cache hit costs, for comparison only (no target).
        Page("Product page, one page (cache hit)", f"/products/{product.pk}/", "anonymous", reference=True),
        Page("Vendor page, one page (cache hit)", f"/vendors/{vendor.slug}/", "anonymous", reference=True),
        Page("My partners", "/portfolio/", "shopper"),
        Page("Seller: insights", "/sell/insights/", "seller"),
        Page("Seller: catalogue", "/sell/products/", "seller"),
        Page("Seller: orders", "/sell/orders/", "seller"),
        Page("Moderation queue", "/moderation/", "moderator"),
        Page("API: vendors", "/api/v1/vendors/", "shopper", api=True),
        Page("API: product search", f"/api/v1/products/?q={q(terms.broad)}", "shopper", api=True),
        Page("API: portfolio", "/api/v1/portfolio/", "shopper", api=True),
        Page("API: partner feed", "/api/v1/portfolio/feed/", "shopper", api=True),
        Page("API: seller orders", "/api/v1/sell/orders/", "seller", api=True),
        Page("Asks: mine", "/asks/", "shopper"),
        Page("Asks: partners who see mine", "/asks/partners/", "shopper"),
        Page("Asks: the seller's", "/sell/asks/", "seller"),
        Page("API: my asks", "/api/v1/asks/", "shopper", api=True),
        Page("API: the seller's asks", "/api/v1/sell/asks/", "seller", api=True),
    ]
    return [p for p in listed if ONLY is None or ONLY.search(p.label)]


def people() -> dict[str, User]:
    return {
        "shopper": User.objects.get(email=SHOPPER),
        "seller": User.objects.get(email=SELLER),
        "moderator": User.objects.get(email=MODERATOR),
    }


# --- Queries and their plans ------------------------------------------------------------------------------


@dataclass
class Explained:
    sql: str
    plan: str

    @property
    def ms(self) -> float:
        match = re.search(r"Execution Time: ([0-9.]+) ms", self.plan)
        return float(match.group(1)) if match else 0.0


@dataclass
class PageRun:
    page: Page
    status: int
    queries: int  # with the cache empty
    warm_queries: int  # the same request again, the cache filled by the first
    explained: list[Explained] = field(default_factory=list)  # every SELECT the page ran with the cache empty

    @property
    def slowest(self) -> Explained | None:
        return max(self.explained, key=lambda e: e.ms, default=None)

    def scans(self) -> list[tuple[str, int]]:
        """Each table scanned sequentially by any of the page's queries, with the most rows one scan read."""
        most: dict[str, int] = {}
        for explained in self.explained:
            for table, read in seq_scans(explained.plan):
                most[table] = max(read, most.get(table, 0))
        return sorted(most.items())

    def large_scans(self) -> list[tuple[str, int]]:
        return [s for s in self.scans() if s[0] in LARGE_TABLES]


def seq_scans(plan: str) -> list[tuple[str, int]]:
    """(table, rows read) of every sequential scan in a plan: rows returned plus rows removed by its filter,
    times its loops."""
    found = []
    lines = plan.splitlines()
    for n, line in enumerate(lines):
        match = re.search(r"Seq Scan on (\w+)", line)
        if not match:
            continue
        rows = re.search(r"actual time=[0-9.]+\.\.[0-9.]+ rows=(\d+) loops=(\d+)", line)
        read, loops = (int(rows.group(1)), int(rows.group(2))) if rows else (0, 0)
        indent = len(line) - len(line.lstrip())
        for detail in lines[n + 1 :]:
            if "->" in detail or len(detail) - len(detail.lstrip()) <= indent:
                break
            removed = re.search(r"Rows Removed by Filter: (\d+)", detail)
            if removed:
                read += int(removed.group(1))
        found.append((match.group(1), read * loops))
    return found


def table_rows() -> dict[str, int]:
    names = list(LARGE_TABLES)
    return {
        name: int(rows)
        for name, rows in _rows("SELECT relname, reltuples FROM pg_class WHERE relname = ANY(%s)", [names])
    }


def explain_pages(targets: list[Page], users: dict[str, User]) -> list[PageRun]:
    """Each page as its person with the cache empty (a miss: the most a request does), every SELECT explained;
    then once more with the cache as the first request left it, for its query count."""
    clients = {"anonymous": Client()}
    for who, user in users.items():
        clients[who] = Client()
        clients[who].force_login(user)
    runs = []
    cold = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages-bench"}}
    # The bench's URLs (the minimal view, then the whole site), as gunicorn serves them.
    with override_settings(CACHES=cold, ROOT_URLCONF="bench.minimal_view"):
        for page in targets:
            client = clients[page.who]
            client.get(page.url)  # warm: the first request of a session writes it
            cache.clear()
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(page.url)
            with CaptureQueriesContext(connection) as warm:
                client.get(page.url)
            run = PageRun(page, response.status_code, len(ctx.captured_queries), len(warm.captured_queries))
            for query in ctx.captured_queries:
                # QuerySet.iterator() outside a transaction runs its SELECT through a server-side cursor.
                text = re.sub(
                    r"^\s*DECLARE\s.*?\sCURSOR\s(?:WITH(?:OUT)?\s+HOLD\s+)?FOR\s+", "", query["sql"], flags=re.S
                )
                if not text.lstrip().upper().startswith(("SELECT", "WITH")):
                    continue
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + text)
                    run.explained.append(Explained(text, "\n".join(row[0] for row in cursor.fetchall())))
            runs.append(run)
            slowest = run.slowest
            print(
                f"{page.label} ({page.who}): HTTP {run.status}, {run.queries} queries ({run.warm_queries} warm), "
                f"slowest {slowest.ms if slowest else 0:.1f} ms, "
                f"seq scans: {', '.join(t for t, _ in run.scans()) or 'none'}"
            )
    return runs


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
        # The API throttles stay in the path (a cache read and write per request) but never refuse wrk's load.
        "API_THROTTLE_ANON": "100000000/min",
        "API_THROTTLE_USER": "100000000/min",
    }


@dataclass
class Load:
    requests_per_second: float
    p99_ms: float
    requests: int
    errors: int  # non-2xx/3xx answers
    timeouts: int


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


# wrk asks for a random path of a list per request: the list is read once per thread, each thread seeded apart.
LUA_SPREAD = """local paths = {}
for line in io.lines("%(list)s") do paths[#paths + 1] = line end
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("number", threads)
end
function init(args)
  math.randomseed(os.time() * 1000 + (number or 0))
end
function request()
  return wrk.format(nil, paths[math.random(1, #paths)])
end
"""
_scripts: dict[tuple[str, ...], str] = {}


def lua_script(paths: tuple[str, ...]) -> str:
    """A wrk script (in a temporary folder, one per list) reading a random one of `paths` per request."""
    if paths not in _scripts:
        folder = Path(tempfile.mkdtemp(prefix="pages-bench-wrk-"))
        listing = folder / "paths.txt"
        listing.write_text("\n".join(paths) + "\n")
        script = folder / "spread.lua"
        script.write_text(LUA_SPREAD % {"list": listing})
        _scripts[paths] = str(script)
    return _scripts[paths]


def lua_scripts_remove() -> None:
    for script in _scripts.values():
        shutil.rmtree(Path(script).parent, ignore_errors=True)
    _scripts.clear()


def drain(url: str) -> None:
    """Wait for the requests a wrk run left queued in gunicorn (a slow page's backlog outlives the run): one
    request to the server's /health/ answers only after them, so the next run does not pay for this one's."""
    parts = urllib.parse.urlsplit(url)
    request = urllib.request.Request(f"{parts.scheme}://{parts.netloc}/health/", headers={"X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
    except OSError:
        pass  # measured as it is: the next run's errors show a server that no longer answers


def wrk(url: str, cookie: str | None, paths: tuple[str, ...] = ()) -> Load:
    """A warm-up, then the measured run: wrk's requests/s and p99 of its latency distribution. With `paths`,
    each request asks for a random one of them on `url`'s server instead of `url` itself."""
    command = ["wrk", f"-t{WRK_THREADS}", f"-c{WRK_CONNECTIONS}", "--timeout", "30s", "-H", "X-Forwarded-Proto: https"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if paths:
        command += ["-s", lua_script(paths)]
    if WRK_WARMUP:
        subprocess.run([*command, f"-d{WRK_WARMUP}s", url], capture_output=True, text=True, check=True)
        drain(url)
    output = subprocess.run(
        [*command, f"-d{WRK_SECONDS}s", "--latency", url], capture_output=True, text=True, check=True
    ).stdout
    drain(url)
    p99 = re.search(r"^\s*99%\s+([0-9.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    timeouts = re.search(r"Socket errors: .*timeout (\d+)", output)
    requests = re.search(r"(\d+) requests in", output)
    if requests is None or not int(requests.group(1)):
        p99 = None  # nothing answered within the run: wrk's distribution is all zeros
    return Load(
        requests_per_second=float(re.search(r"Requests/sec:\s+([0-9.]+)", output).group(1)),
        p99_ms=_ms(*p99.groups()) if p99 else float("nan"),
        requests=int(requests.group(1)) if requests else 0,
        errors=int(errors.group(1)) if errors else 0,
        timeouts=int(timeouts.group(1)) if timeouts else 0,
    )


def answers(url: str, cookie: str | None, page: Page | None = None) -> str:
    """'' when the URL answers 200 as expected (signed in when it should be, JSON for the API), else what it did."""
    request = urllib.request.Request(
        url, headers={"X-Forwarded-Proto": "https", **({"Cookie": cookie} if cookie else {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            body = response.read().decode()
            final = response.geturl()
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code}"
    except OSError as exc:
        return f"no answer ({exc})"
    if page is None:
        return ""
    if final != url:
        return f"redirected to {final}"
    if page.api:
        try:
            json.loads(body)
        except ValueError:
            return "not JSON"
    elif page.who != "anonymous" and not page.reference and f'action="{reverse("account_logout")}"' not in body:
        # the header's sign-out form, whatever its button says
        return "answered as anonymous"
    return ""


@dataclass
class Rate:
    page: Page
    load: Load | None
    minimal: Load | None
    problem: str = ""
    # The same page and the minimal view again while the writers write, and the writes each kind did per second
    # in that time (None: the under-writes section did not run).
    load_writing: Load | None = None
    minimal_writing: Load | None = None
    writes: dict[str, float] | None = None

    @property
    def ratio_writing(self) -> float | None:
        if self.load_writing is None or self.minimal_writing is None or not self.minimal_writing.requests_per_second:
            return None
        return self.load_writing.requests_per_second / self.minimal_writing.requests_per_second

    @property
    def kept(self) -> float | None:
        """Under writes ÷ quiet, each as a ratio to the minimal view of its own condition (the writers' own CPU and
        the machine's drift fall on both alike): what the writes cost the page itself."""
        if self.ratio is None or self.ratio_writing is None or not self.ratio:
            return None
        return self.ratio_writing / self.ratio

    @property
    def kept_raw(self) -> float | None:
        """Under writes ÷ quiet in plain requests/s."""
        if self.load is None or self.load_writing is None or not self.load.requests_per_second:
            return None
        return self.load_writing.requests_per_second / self.load.requests_per_second

    def writing_misses(self) -> list[str]:
        if self.problem:
            return [self.problem]
        out = []
        for name, load in (("quiet", self.load), ("under writes", self.load_writing)):
            if load is not None and not load.requests:
                out.append(f"no request answered in {WRK_SECONDS} s {name}")
        if self.kept is not None and self.kept < UNDER_WRITES_TARGET:
            out.append(f"{self.kept:.2f} < {UNDER_WRITES_TARGET}")
        if self.load_writing is not None and (self.load_writing.errors or self.load_writing.timeouts):
            out.append(f"{self.load_writing.errors} errors, {self.load_writing.timeouts} timeouts under writes")
        return out

    @property
    def ratio(self) -> float | None:
        if self.load is None or self.minimal is None or not self.minimal.requests_per_second:
            return None
        return self.load.requests_per_second / self.minimal.requests_per_second

    @property
    def p99_ratio(self) -> float | None:
        if self.load is None or self.minimal is None or not self.minimal.p99_ms:
            return None
        return self.load.p99_ms / self.minimal.p99_ms

    def misses(self) -> list[str]:
        if self.problem:
            return [self.problem]
        if self.page.reference:
            return []
        out = []
        target = STRICT_TARGET if self.page.strict else TARGET
        if self.ratio is not None and self.ratio < target:
            out.append(f"{self.ratio:.2f}× < {target}×")
        if self.page.strict and self.p99_ratio is not None and self.p99_ratio > STRICT_P99:
            out.append(f"p99 {self.p99_ratio:.1f}× > {STRICT_P99}×")
        if self.load is not None and not self.load.requests:
            out.append(f"no request answered in {WRK_SECONDS} s")
        if self.load is not None and (self.load.errors or self.load.timeouts):
            out.append(f"{self.load.errors} errors, {self.load.timeouts} timeouts under load")
        return out


@dataclass
class Memory:
    pid: int
    peak_mb: float  # VmHWM
    resident_mb: float  # VmRSS at the end


def worker_pids(master: int) -> list[int]:
    children: set[int] = set()
    for listing in Path(f"/proc/{master}/task").glob("*/children"):
        children.update(int(pid) for pid in listing.read_text().split())
    if not children:
        listed = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True).stdout
        children.update(int(pid) for pid in listed.split())
    return sorted(children)


def memory_of(pid: int) -> Memory | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    peak = re.search(r"VmHWM:\s+(\d+) kB", status)
    resident = re.search(r"VmRSS:\s+(\d+) kB", status)
    return Memory(pid, int(peak.group(1)) / 1024 if peak else 0.0, int(resident.group(1)) / 1024 if resident else 0.0)


class Writers:
    """The writer processes (bench/writer.py), started paused; `writing()` lets them write for a block of
    measurements. Their status files give the writes each kind did and the seconds spent writing."""

    def __init__(self, env: dict[str, str]) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="pages-bench-writer-"))
        self.pause_file = self.folder / "pause"
        self.pause_file.touch()
        self.rates = writer.rates_per_second()
        total = sum(rate for kind, rate in self.rates.items() if kind != "clock")
        # Each process writes in turn, so a slow checkout delays the edits behind it: one process per write a
        # second (a checkout took 2 to 3 s of wall time on the loaded 2-core machine; at most 8 processes, more
        # would only compete for the same cores).
        self.parts = WRITERS or min(8, max(1, math.ceil(total)))
        env = {
            **env,
            "DJANGO_SETTINGS_MODULE": "marketplace.settings",
            "CELERY_TASK_ALWAYS_EAGER": "1",  # the statistics and mail tasks of each write run as a worker runs them
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        }
        self.statuses = [self.folder / f"status-{part}.json" for part in range(self.parts)]
        self.processes = [
            subprocess.Popen(
                [sys.executable, str(ROOT / "bench" / "writer.py"), "--status", str(status)]
                + ["--pause", str(self.pause_file), "--part", str(part), "--parts", str(self.parts)],
                cwd=ROOT,
                env=env,
            )
            for part, status in enumerate(self.statuses)
        ]
        self._wait(paused=True)
        started = self.read()
        database = [s.get("database_cpu_seconds") for s in started]
        self.cpu_at_start = (
            sum(s.get("cpu_seconds", 0.0) for s in started),
            None if None in database else sum(database),
        )

    def read(self) -> list[dict[str, Any]]:
        found = []
        for status in self.statuses:
            try:
                found.append(json.loads(status.read_text()))
            except (OSError, ValueError):
                found.append({})
        return found

    def _wait(self, *, paused: bool) -> None:
        deadline = time.monotonic() + 180
        while not all(s.get("paused") is paused for s in self.read()):
            if any(p.poll() is not None for p in self.processes):
                raise SystemExit("A writer process stopped: see its output above.")
            if time.monotonic() > deadline:
                raise SystemExit(f"The writers did not {'pause' if paused else 'start'} within 180 s.")
            time.sleep(0.05)

    def pause(self) -> None:
        self.pause_file.touch()
        self._wait(paused=True)

    def resume(self) -> list[dict[str, Any]]:
        self.pause_file.unlink(missing_ok=True)
        self._wait(paused=False)
        return self.read()

    @staticmethod
    def per_second(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> dict[str, float]:
        """Writes done per second of each kind between two readings, summed over the processes."""
        rates: dict[str, float] = {}
        for old, new in zip(before, after, strict=True):
            seconds = new.get("seconds", 0) - old.get("seconds", 0)
            for kind, done in new.get("done", {}).items():
                count = done - old.get("done", {}).get(kind, 0)
                rates[kind] = rates.get(kind, 0.0) + (count / seconds if seconds > 0 else 0.0)
        return rates

    def totals(self) -> dict[str, Any]:
        statuses = self.read()
        seconds = max((s.get("seconds", 0.0) for s in statuses), default=0.0)
        out: dict[str, Any] = {"seconds": seconds, "processes": self.parts, "failures": []}
        # CPU the writers used while writing (their start and warm-up left out): what the writes cost the machine.
        out["cpu_seconds"] = sum(s.get("cpu_seconds", 0.0) for s in statuses) - self.cpu_at_start[0]
        database = [s.get("database_cpu_seconds") for s in statuses]
        out["database_cpu_seconds"] = (
            None if None in database or None in self.cpu_at_start else sum(database) - self.cpu_at_start[1]
        )
        for key in ("done", "refused", "failed", "busy"):
            out[key] = {kind: sum(s.get(key, {}).get(kind, 0) for s in statuses) for kind in self.rates}
        for s in statuses:
            out["failures"] += s.get("last_failures", [])
        return out

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(self.folder, ignore_errors=True)


def _writes_text(writes: dict[str, float]) -> str:
    return ", ".join(f"{kind} {rate:.2f}" for kind, rate in writes.items() if kind != "clock")


@dataclass
class Throughput:
    rates: list[Rate]
    memory: list[Memory]
    writes: dict[str, Any] | None  # the writers' totals over the run (None: no under-writes section)


def cold_start(page: Page) -> None:
    """Before each run of a spread row (quiet, then under writes): an empty cache, so both runs read first
    renders alike. Without it the second run found the pages the first had kept (a vendor page spread over
    2,000 vendors measured 0.26x quiet and 0.87x "under writes" in one run). Sessions live in the database."""
    if len(page.paths) > 1:
        cache.clear()


def throughput(targets: list[Page], users: dict[str, User], spread: Spread) -> Throughput:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk (make bench installs it).")
    static_root = tempfile.mkdtemp(prefix="pages-bench-static-")
    env = production_env(static_root)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    cookies: dict[str, str | None] = {"anonymous": None}
    for who, user in users.items():
        client = Client()
        client.force_login(user)
        cookies[who] = f"sessionid={client.cookies['sessionid'].value}"
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
    # The floor is read spread over the same vendors as the vendor page rows.
    minimal_paths = spread.minimal_paths
    minimal = base + minimal_paths[0]
    runs_per_page = 4 if WRITES else 2
    seconds = len(targets) * runs_per_page * (WRK_SECONDS + WRK_WARMUP)
    print(
        f"Throughput: {len(targets)} URLs, each after the minimal view"
        + (", quiet then under writes" if WRITES else "")
        + f", about {seconds / 60:.0f} minutes ..."
    )
    results, memory = [], []
    writers: Writers | None = None
    totals = None
    try:
        deadline = time.monotonic() + 60
        while answers(f"{base}/health/", None):
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("gunicorn did not start")
            time.sleep(0.5)
        problems = {}
        for _ in range(GUNICORN_WORKERS):  # warm every worker; a signed-in page must not fall back to anonymous
            if problem := answers(minimal, None):
                raise SystemExit(f"The minimal view does not answer: {problem}")
            for page in targets:
                # A spread page: its first path and a few others (a vendor page that fails for some vendors).
                for path in (page.url, *page.paths[1 :: max(1, len(page.paths) // 3)]):
                    if problem := answers(base + path, cookies[page.who], page):
                        problems[page] = problem if path == page.url else f"{path}: {problem}"
                        break
        if WRITES:
            writers = Writers(env)
            print(f"Writers: {writers.parts} process(es), started paused; target rates per second:")
            for line in writer.rates_basis():
                print(f"  {line}")
        for page in targets:
            if page in problems:
                results.append(Rate(page, None, None, problems[page]))
                print(f"{page.label}: not measured, {problems[page]}")
                continue
            # The minimal view right before each page: on a shared machine the load drifts during a run.
            floor = wrk(minimal, None, minimal_paths)
            cold_start(page)
            load = wrk(base + page.url, cookies[page.who], page.paths)
            rate = Rate(page, load, floor)
            results.append(rate)
            print(
                f"{page.label}: {_rps(load.requests_per_second)} requests/s (p99 {load.p99_ms:.0f} ms), minimal view "
                f"{floor.requests_per_second:.0f} (p99 {floor.p99_ms:.0f} ms): {rate.ratio or 0:.2f}x"
                + (f"  MISS: {'; '.join(rate.misses())}" if rate.misses() else "")
            )
            if writers is not None:
                before = writers.resume()
                rate.minimal_writing = wrk(minimal, None, minimal_paths)
                cold_start(page)
                rate.load_writing = wrk(base + page.url, cookies[page.who], page.paths)
                after = writers.read()
                writers.pause()
                rate.writes = Writers.per_second(before, after)
                misses = rate.writing_misses()
                print(
                    f"  under writes ({_writes_text(rate.writes)} /s): {_rps(rate.load_writing.requests_per_second)} "
                    f"requests/s (p99 {rate.load_writing.p99_ms:.0f} ms), minimal view "
                    f"{rate.minimal_writing.requests_per_second:.0f}: {rate.ratio_writing or 0:.2f}x; "
                    f"under writes / quiet {rate.kept or 0:.2f} (requests/s alone {rate.kept_raw or 0:.2f})"
                    + (f"  MISS: {'; '.join(misses)}" if misses else "")
                )
        memory = [m for pid in worker_pids(server.pid) if (m := memory_of(pid)) is not None]
        for m in memory:
            print(f"gunicorn worker {m.pid}: peak resident {m.peak_mb:.0f} MB (now {m.resident_mb:.0f} MB)")
        if writers is not None:
            totals = writers.totals()
    finally:
        if writers is not None:
            writers.stop()
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(static_root, ignore_errors=True)
        lua_scripts_remove()
    return Throughput(results, memory, totals)


# --- Report -----------------------------------------------------------------------------------------------


def _rps(value: float) -> str:
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def _flat(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat[:limit] + (" …" if len(flat) > limit else "")


def _scan_text(scans: list[tuple[str, int]], rows: dict[str, int]) -> str:
    def one(table: str, read: int) -> str:
        if table in LARGE_TABLES:
            return f"**{table}** ({read:,} of {rows.get(table, 0):,} rows)"
        return table

    return ", ".join(one(t, r) for t, r in scans) or "none"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def under_writes_report(rates: list[Rate], writes: dict[str, Any]) -> list[str]:
    """The under-writes section: how the writers' rate was chosen and what they did, then every row quiet and
    under writes, each beside the minimal view of its own condition."""
    seconds = writes["seconds"] or 1.0
    targets = writer.rates_per_second()
    short = [kind for kind in targets if writes["done"][kind] / seconds < 0.8 * targets[kind]]
    lines = [
        "### Under writes",
        "",
        f"Every row again while {writes['processes']} writer process(es) (bench/writer.py, Django with the site's"
        " settings, the same database and Redis) write to the marketplace through its services: checkouts of 1 to 3"
        " random purchasable products by random consumers, paid with the fake provider's test card (its webhook"
        " through the project's view); stock edits and price edits of random products by their vendors; new"
        " partners added by random consumers; public ads published by random vendors, starting at once and ending"
        " five minutes later; the clock (`promotion_states_advance`) once a minute; each write's tasks in-process, as"
        " a worker runs them. Between rows the writers pause (quiet runs), then write through the row's two"
        " measurements (the minimal view, then the page).",
        "",
        f"The rate: a busy marketplace of {round(writer.VENDORS_AT_SCALE_1 * common.SCALE):,} vendors at its busiest"
        f" hour (the day's average × {writer.PEAK}):",
        "",
        *[f"- {line}" for line in writer.rates_basis()],
        "",
        f"What the writers did, over their {seconds:.0f} s of writing: "
        + "; ".join(
            f"{kind} {writes['done'][kind]} done ({writes['done'][kind] / seconds:.2f}/s against"
            f" {targets[kind]:.2f}/s, {1000 * writes['busy'][kind] / max(1, writes['done'][kind]):.0f} ms each),"
            f" {writes['refused'][kind]} refused, {writes['failed'][kind]} failed"
            for kind in targets
        )
        + ". (Refused: a write the marketplace turned down, such as a product sold out since the writer drew it.)"
        f" The writers used {writes['cpu_seconds']:.0f} CPU seconds in that time"
        f" ({writes['cpu_seconds'] / seconds:.2f} of a core)"
        + (
            f" and their PostgreSQL backends {writes['database_cpu_seconds']:.0f}"
            f" ({writes['database_cpu_seconds'] / seconds:.2f} of a core)"
            if writes.get("database_cpu_seconds") is not None
            else ""
        )
        + ", on the machine that serves the pages.",
        "",
        "The stated rate held: "
        + (
            "no, below 0.8 of it: "
            + ", ".join(f"{kind} ({writes['done'][kind] / seconds:.2f}/s of {targets[kind]:.2f}/s)" for kind in short)
            if short
            else "yes, every kind at 0.8 of its rate or more"
        )
        + ".",
        "",
        "Under writes ÷ quiet is the page's ratio to the minimal view under writes over its ratio quiet (the writers'"
        " CPU and the machine's drift fall on the page and the minimal view alike; what is left is what the writes"
        f" cost the page itself); target at least {UNDER_WRITES_TARGET}. The plain requests/s ratio is beside it.",
        "",
        "| page | as | quiet requests/s (× minimal) | under writes requests/s (× minimal) "
        "| minimal quiet → under writes | p99 quiet → under writes (ms) | under writes ÷ quiet | requests/s alone "
        "| writes/s in the row | met |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for rate in rates:
        if rate.load is None or rate.minimal is None or rate.load_writing is None or rate.minimal_writing is None:
            lines.append(f"| {rate.page.label} | {rate.page.who} | — | — | — | — | — | — | — | {_cell(rate.problem)} |")
            continue
        misses = rate.writing_misses()
        met = "**no**: " + "; ".join(misses) if misses else "yes"
        lines.append(
            f"| {rate.page.label} | {rate.page.who} "
            f"| {_rps(rate.load.requests_per_second)} ({rate.ratio or 0:.2f}×) "
            f"| {_rps(rate.load_writing.requests_per_second)} ({rate.ratio_writing or 0:.2f}×) "
            f"| {_rps(rate.minimal.requests_per_second)} → {_rps(rate.minimal_writing.requests_per_second)} "
            f"| {rate.load.p99_ms:.0f} → {rate.load_writing.p99_ms:.0f} "
            f"| {rate.kept or 0:.2f} | {rate.kept_raw or 0:.2f} | {_writes_text(rate.writes or {})} | {_cell(met)} |"
        )
    below = [f"{r.page.label} ({'; '.join(r.writing_misses())})" for r in rates if r.writing_misses()]
    lines += ["", "Rows under writes that miss the target: " + ("; ".join(below) if below else "none") + ".", ""]
    if writes["failures"]:
        lines += ["Writes that failed (the last of each process): " + "; ".join(writes["failures"]) + ".", ""]
    return lines


def report(runs: list[PageRun], measured: Throughput, terms: Terms, spread: Spread) -> str:
    rates, memory = measured.rates, measured.memory
    rows = table_rows()
    products, vendors = Product.objects.count(), Vendor.objects.approved().count()
    lines = [
        SECTION_START,
        "## Pages at marketplace scale",
        "",
        f"Command: `{common.command('bench/pages_bench.py')}` (scale {common.scale_text()}).",
        "",
        f"Produced by bench/pages_bench.py (`make bench`, second step) in one run: {vendors} approved vendors,",
        f"{products} products ({PER_VENDOR} per vendor, inserted by one INSERT ... SELECT generate_series), statistics",
        f"rows for every vendor; a shopper with {PARTNERS} partners, 3 ended ones and partner promotions in the feed;",
        f"a seller whose vendor has {SELLER_PRODUCTS} products, {SELLER_PARTNERS} partners and {SELLER_ORDERS} orders;"
        f" a moderator with {PENDING_VENDORS} pending applications.",
        f"Search words ({terms.note}): selective `{terms.selective}`, broad `{terms.broad}`, typo `{terms.typo}`,"
        f" directory `{terms.vendor}`.",
        "",
    ]
    if rates:
        lines += [
            f"Throughput: gunicorn ({GUNICORN_WORKERS} sync workers, production settings), wrk with {WRK_THREADS}"
            f" thread and {WRK_CONNECTIONS} connections, {WRK_SECONDS} s after a {WRK_WARMUP} s warm-up per URL;"
            " every URL is measured right after the same run of a minimal Django view (one vendor and its 20"
            " products through the same middleware, bench/minimal_view.py), signed in with a real session cookie"
            " of the person named. Targets (issue 12): the product and vendor pages at least"
            f" {STRICT_TARGET}× the minimal view's requests/s with p99 within {STRICT_P99}× its p99; every other page"
            f" and API list at least {TARGET}×. The API throttle rates are raised for the run (the throttle still"
            " runs). The vendor and product page rows (and the spread search rows) ask for a random one of"
            f" {len(spread.vendor_slugs):,} random approved vendors, {len(spread.product_ids):,} random purchasable"
            f" products ({len(spread.search_words):,} search words) per request (a wrk Lua script), as a marketplace's"
            " traffic is spread, each run of theirs (quiet, under writes) starting from an empty cache, and the"
            ' minimal view is read over the same vendors; the rows marked "one page'
            ' (cache hit)" read one URL again and again, for comparison.',
            "",
            "| page | URL | as | requests/s | minimal (requests/s) | ratio | p99 (ms) | minimal p99 (ms) | target "
            "| met |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for rate in rates:
            page, misses = rate.page, rate.misses()
            met = "**no**: " + "; ".join(misses) if misses else "yes"
            if rate.load is None or rate.minimal is None:
                figures = "— | — | — | — | —"
            else:
                figures = (
                    f"{_rps(rate.load.requests_per_second)} | {_rps(rate.minimal.requests_per_second)} "
                    f"| {rate.ratio or 0:.2f}× | {rate.load.p99_ms:.0f} | {rate.minimal.p99_ms:.0f}"
                )
            lines.append(
                f"| {page.label} | `{_cell(page.url_text)}` | {page.who} | {figures} | {page.target_text} "
                f"| {_cell(met)} |"
            )
        lines.append("")
        if measured.writes is not None:
            lines += under_writes_report(rates, measured.writes)
        if memory:
            lines += [
                "Memory: peak resident size (VmHWM) of each gunicorn worker at the end of the run: "
                + ", ".join(f"{m.peak_mb:.0f} MB" for m in memory)
                + f" (resident at the end: {', '.join(f'{m.resident_mb:.0f} MB' for m in memory)}).",
                "",
            ]
    else:
        lines += ["Throughput was not measured in this run (BENCH_THROUGHPUT=0).", ""]
    lines += [
        "Queries: each page rendered by Django's test client as the person named, the cache emptied first (so these",
        "are the queries of a cache miss; then once more, the cache as that request left it, for the second count);",
        "every SELECT of the first is explained with EXPLAIN (ANALYZE, BUFFERS).",
        "Large tables (a sequential scan of one is flagged in bold, with the rows it read): "
        + ", ".join(f"`{t}` ({rows.get(t, 0):,} rows)" for t in LARGE_TABLES)
        + ".",
        "",
        "| page | as | HTTP | queries, cache empty | queries, cache filled | SQL total (ms) | slowest query (ms) "
        "| seq scans |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        slowest = run.slowest
        lines.append(
            f"| {run.page.label} | {run.page.who} | {run.status} | {run.queries} | {run.warm_queries} "
            f"| {sum(e.ms for e in run.explained):.2f} | {slowest.ms if slowest else 0:.2f} "
            f"| {_scan_text(run.scans(), rows)} |"
        )
    large = [(run.page.label, table, read) for run in runs for table, read in run.large_scans()]
    errors = [f"{run.page.label}: HTTP {run.status}" for run in runs if run.status != 200]
    errors += [f"{r.page.label}: {r.problem}" for r in rates if r.problem]
    errors += [f"{r.page.label}: {r.load.errors} errors" for r in rates if r.load and r.load.errors]
    below = [f"{r.page.label} ({'; '.join(r.misses())})" for r in rates if r.misses()]
    lines += [
        "",
        "### Reading the figures",
        "",
        "- Sequential scans of a large table: "
        + (
            "; ".join(f"{label}: `{table}` ({read:,} rows read)" for label, table, read in large) + "."
            if large
            else "none."
        )
        + " Small tables (categories, regions, the per-vendor statistics rows, groups) may be read whole where that"
        " is the cheapest plan.",
        "- Pages that answered errors: " + ("; ".join(errors) if errors else "none") + ".",
    ]
    if rates:
        lines.append("- Rows that miss their target: " + ("; ".join(below) if below else "none") + ".")
    lines += [
        "- What keeps the work flat: product and vendor search read stored tsvectors (triggers, GIN indexes) and",
        "  fall back to the trigram indexes only when full text finds nothing; the product count on every card is",
        "  read from `vendors_vendorcataloguestats`; no list is counted (pages fetch one row more, at most 10",
        "  pages deep); partners first and the partner and rating sorts read the primary keys of one page in a",
        "  query whose parts each walk an index (StackedQuerySet; `sales_rating_idx` for the best rated), then",
        "  the 24 rows by key; the workspace and moderation lists show 25 to 50 rows a page.",
        "- Caching (marketplace/kernel/caching, docs/deploy.md): anonymous pages are kept whole when all they",
        "  read came through kept values, keyed by the query parameters their view reads, and renewed by the",
        "  scopes they showed (a checkout bumps only the vendors it sold from, a stock or price edit its vendor,",
        "  a draft nothing, the clock only the vendors it started or ended). Kept values are frozen dataclasses",
        "  of what a page shows, each declared with its scopes: a vendor page's vendor, first 200 products and",
        "  facts (`vendor:{id}`), a product (its vendor's scope), the directory's first 32 vendors per filter",
        "  and sort, a search's first 49 rows per text, sort and filters (renewed by a write to any vendor",
        "  among them) and each set of partners' matches, the categories, the ads, a vendor's insights, a",
        "  consumer's My partners and feed (their `consumer:{id}` scope, versioned in the database and bumped",
        "  in each writing transaction) and each user's header facts. Cards are kept by what they show and by",
        "  their templates; a card with a form carries a token marker replaced by the visitor's token. A",
        "  signed-in page reads the visitor's partners and ended vendors once (one indexed query) and adds",
        "  their own prices and marks; their partners' products come first, kept per search and set of",
        "  partners; when a kept row is of a vendor they ended and there is search text, their page is read",
        "  from the database, where rule 2 lives. The spread rows read 2,000 vendors or products at random, so",
        "  most of their requests are first renders (a miss); the under-writes rows show what the scopes keep.",
        "- What still grows: a search term that matches many products ranks every match when it is first",
        "  read (ts_rank needs each vector), so that read grows with the number of matches, not with the",
        "  table; a page past the kept rows is read for the visitor alone. What a signed-in page costs beyond",
        "  its queries is Python: the ORM compiling and reading its 3 to 8 queries (the consumer's memberships,",
        "  the page's keys and rows), unpickling what is kept, the session and user reads (the signed-in",
        "  minimal view's row), DRF's serializers for the API, and the templates outside the cards.",
        "",
        "### Plans",
        "",
        "Per page: the plan of its slowest query, the plan of every other query that scans a large table, then the",
        "list of all its queries.",
        "",
    ]
    for run in runs:
        lines += [f"#### {run.page.label} (`{run.page.url}`, {run.page.who})", ""]
        shown = [run.slowest] if run.slowest else []
        shown += [
            e for e in run.explained if e is not run.slowest and any(t in LARGE_TABLES for t, _ in seq_scans(e.plan))
        ]
        for n, explained in enumerate(shown):
            title = "Slowest query" if n == 0 else "Query scanning a large table"
            lines += [
                f"<details><summary>{title}: {explained.ms:.2f} ms, seq scans: "
                f"{_scan_text(seq_scans(explained.plan), rows)}</summary>",
                "",
                "```sql",
                _flat(explained.sql, 2000),
                "```",
                "",
                "```",
                explained.plan,
                "```",
                "",
                "</details>",
                "",
            ]
        if run.explained:
            lines += [
                f"<details><summary>All {len(run.explained)} SELECTs: {sum(e.ms for e in run.explained):.1f} ms"
                "</summary>",
                "",
                "| ms | seq scans | query |",
                "|---|---|---|",
            ]
            lines += [
                f"| {e.ms:.2f} | {', '.join(t for t, _ in seq_scans(e.plan)) or '—'} | `{_cell(_flat(e.sql, 140))}` |"
                for e in run.explained
            ]
            lines += ["", "</details>", ""]
    lines.append(SECTION_END)
    return "\n".join(lines) + "\n"


def write_section(section: str) -> None:
    common.write_section(section, SECTION_START, SECTION_END)


def main() -> None:
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    seed()
    terms = search_terms()
    print(
        f"Search words: selective {terms.selective!r}, broad {terms.broad!r}, typo {terms.typo!r}, "
        f"directory {terms.vendor!r} ({terms.note})."
    )
    users = people()
    spread = spread_sample()
    targets = pages(terms, spread)
    runs = explain_pages(targets, users)
    measured = throughput(targets, users, spread) if THROUGHPUT else Throughput([], [], None)
    rates, memory = measured.rates, measured.memory
    if ONLY is None and not DOCS_OFF:
        write_section(report(runs, measured, terms, spread))
    else:
        print("BENCH_PAGES or BENCH_DOCS=0 is set: docs/benchmarks.md left as it was.")
    if measured.writes is not None:
        print("\n".join(under_writes_report(rates, measured.writes)))
    large = [(r.page.label, t, n) for r in runs for t, n in r.large_scans()]
    print("Sequential scans of large tables:", large or "none")
    failing = [r.page.label for r in runs if r.status != 200]
    print("Pages that did not answer 200 in the test client:", failing or "none")
    if rates:
        misses = [(r.page.label, r.misses()) for r in rates if r.misses()]
        print(f"Rows that miss their target: {len(misses)} of {len(rates)}")
        for label, why in misses:
            print(f"  {label}: {'; '.join(why)}")
        if measured.writes is not None:
            below = [(r.page.label, r.writing_misses()) for r in rates if r.writing_misses()]
            print(f"Rows under writes below {UNDER_WRITES_TARGET} of quiet: {len(below)} of {len(rates)}")
            for label, why in below:
                print(f"  {label}: {'; '.join(why)}")
    if memory:
        print("Gunicorn workers' peak resident size:", ", ".join(f"{m.peak_mb:.0f} MB" for m in memory))
    print(f"Done in {(time.perf_counter() - started) / 60:.1f} minutes.")
    print(f"Command: {common.command('bench/pages_bench.py')}")


if __name__ == "__main__":
    main()
