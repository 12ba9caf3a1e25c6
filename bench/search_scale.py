"""Search at two scales (not a test): the uncached parts of a partners-first search on each database named.

    .venv/bin/python bench/search_scale.py marketplace_bench marketplace_bench10

Each database is one `bench/seed_bench.py` seeded (BENCH_SCALE=1 and BENCH_SCALE=10) on the PostgreSQL of
BENCH_PG (postgres://postgres@127.0.0.1:5432). On each, with nothing kept (the kept values' computes are called
directly): everyone's head (product_search_head) for 30 selective words and 5 broad ones drawn from product
names (the same draw on the same data), and the partners' head (product_search_partners_head) of 15 random
consumers with 10 partners or more, 8 words each and once with no text. It prints each part's median, p90 and
worst in milliseconds per database, for docs/benchmarks.md (issue 28: what in search grows with the tables).
Each database is read in its own process, so Django connects to one at a time.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BROAD = ["espresso", "honey", "tea", "mug", "bread"]


def measure(database: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"{os.environ.get('BENCH_PG', 'postgres://postgres@127.0.0.1:5432')}/{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count

    from marketplace.shop.selectors.search import product_search_head, product_search_partners_head
    from portfolios.models import PartnerMembership
    from vendors.models import Product

    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.28)")
    words: list[str] = []
    for name in Product.objects.filter(active=True).order_by("?").values_list("name", flat=True)[:60]:
        found = re.findall(r"[A-Za-z]{4,}", name)[:2]
        if found:
            words.append(" ".join(w.lower() for w in found))
    words = list(dict.fromkeys(words))[:30]
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.5)")
    consumers = list(
        PartnerMembership.objects.filter(ended_at__isnull=True)
        .values("consumer_id")
        .annotate(n=Count("id"))
        .filter(n__gte=10)
        .order_by("?")
        .values_list("consumer_id", flat=True)[:15]
    )
    parts: dict[str, list[float]] = {}

    def timed(label: str, run) -> None:  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        run()
        parts.setdefault(label, []).append((time.perf_counter() - start) * 1000)

    for word in words[:3]:
        product_search_head(query=word)  # the connection and PostgreSQL's buffers warmed
    for word in words + BROAD:
        label = "everyone's head, broad words" if word in BROAD else "everyone's head, selective words"
        timed(label, lambda word=word: product_search_head(query=word))
    for consumer_id in consumers:
        partners = tuple(
            sorted(
                PartnerMembership.objects.filter(consumer_id=consumer_id, ended_at__isnull=True).values_list(
                    "vendor_id", flat=True
                )
            )
        )
        for word in words[:6] + BROAD[:2]:
            timed(
                "the partners' head, with text",
                lambda word=word, partners=partners: product_search_partners_head(
                    query=word, partners=partners, near=False
                ),
            )
        timed(
            "the partners' head, no text",
            lambda partners=partners: product_search_partners_head(query="", partners=partners, near=False),
        )
    timed("everyone's head, no text", lambda: product_search_head(query=""))
    print(
        f"{database}: {Product.objects.count():,} products; {len(words)} selective words, {len(BROAD)} broad, "
        f"{len(consumers)} consumers"
    )
    print("| part | requests | median (ms) | p90 (ms) | worst (ms) |")
    print("|---|---:|---:|---:|---:|")
    for label, values in parts.items():
        values.sort()
        p90 = values[max(0, int(len(values) * 0.9) - 1)]
        print(f"| {label} | {len(values)} | {statistics.median(values):.1f} | {p90:.1f} | {values[-1]:.1f} |")


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        measure(sys.argv[2])
        return
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    for database in sys.argv[1:]:
        subprocess.run([sys.executable, __file__, "--one", database], check=True)


if __name__ == "__main__":
    main()
