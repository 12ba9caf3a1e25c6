"""Checkout throughput: how many purchases a second the marketplace completes, against a plain-SQL floor.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/marketplace_bench .venv/bin/python bench/checkout_bench.py

On the bench database (`make bench` seeds it first; any migrated database works), each buyer has a cart of
three products from two vendors (partners' and others' prices, promotions as the data has them), and the
bench times, serially and from BENCH_CHECKOUT_THREADS threads at once:
- "place": `checkout_place` alone (locks the product rows, decrements stock, one order per vendor): what a
  purchase was before payments;
- "buy": place, then pay with the fake provider's test card through the payment services, its signed webhook
  event posted through the project's real webhook view and processed (tasks in-process): the whole purchase
  now (skipped on a tree without payments, so the same script measures the code before);
- "floor": the same rows written by plain SQL in one transaction per purchase (lock, decrement, checkout,
  orders, lines), the least a purchase can cost on this database.
Each figure is printed with its ratio to the floor measured in the same run, and written to docs/benchmarks.md
(BENCH_CHECKOUT_DOCS=0 leaves the file alone, as the "before" run on an older tree does).
"""

from __future__ import annotations

import os
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import common  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/marketplace_bench")
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"
os.environ.setdefault("DJANGO_CONN_MAX_AGE", "60")

BUYERS = int(os.environ.get("BENCH_CHECKOUT_BUYERS", "120"))
THREADS = int(os.environ.get("BENCH_CHECKOUT_THREADS", "4"))
WRITE_DOCS = os.environ.get("BENCH_CHECKOUT_DOCS", "1") != "0"
SECTION_START = "<!-- checkout_bench:start -->"
SECTION_END = "<!-- checkout_bench:end -->"

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from marketplace.accounts.models import User  # noqa: E402
from marketplace.shop.services import cart_add, checkout_place  # noqa: E402
from vendors.models import Product, Vendor  # noqa: E402

try:
    from marketplace.shop.payments import fake_delivery as fake_payments
    from marketplace.shop.payments.fake import CARD_SUCCEEDS
    from marketplace.shop.payments.services import payment_confirm, payment_start
except ImportError:  # a tree from before payments: only placing and the floor are measured
    fake_payments = None

SHIP = {"ship_to_name": "Bench Buyer", "ship_to_address": "1 Bench Street, Leeds"}


def _post_through_client(path: str, body: bytes, headers: dict[str, str]) -> int:
    """The fake provider's signed event, through the project's webhook view, in this process."""
    response = Client().post(
        path, data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=headers["Stripe-Signature"]
    )
    return response.status_code


def _products() -> list[Product]:
    """Three products from two approved vendors for every cart, with stock enough for the whole run."""
    vendors = list(Vendor.objects.approved().order_by("id").values_list("pk", flat=True)[:40])
    chosen: list[Product] = []
    for vendor_id in vendors:
        products = list(Product.objects.filter(vendor_id=vendor_id, active=True).order_by("id")[:2])
        chosen += products
        if len(chosen) >= 24:
            break
    if len(chosen) < 3:
        raise SystemExit("The bench database has too few approved vendors with products: run `make bench`.")
    Product.objects.filter(pk__in=[p.pk for p in chosen]).update(stock=10_000_000)
    return chosen


def _buyers(run: str, count: int, products: list[Product]) -> list[User]:
    """`count` new buyers, each with a cart of three products (two vendors)."""
    buyers = User.objects.bulk_create(
        [User(email=f"bench-checkout-{run}-{i}@bench.example", password="!") for i in range(count)]
    )
    for i, buyer in enumerate(buyers):
        picks = [
            products[(2 * i) % len(products)],
            products[(2 * i + 1) % len(products)],
            products[(2 * i + 3) % len(products)],
        ]
        for product in picks:
            cart_add(consumer=buyer, product_id=product.pk, quantity=1)
    return buyers


def _place(buyer: User, key: str) -> object:
    return checkout_place(consumer=buyer, idempotency_key=key, **SHIP)


def _buy(buyer: User, key: str) -> object:
    result = checkout_place(consumer=buyer, idempotency_key=key, **SHIP)
    payment_start(payment_id=result.payment.pk)
    payment_confirm(
        consumer=buyer,
        checkout_id=result.checkout.pk,
        payment_method=CARD_SUCCEEDS,
        return_url=f"http://testserver/checkout/{result.checkout.pk}/pay/return/",
    )
    return result


def _floor(buyer: User, key: str) -> None:
    """The rows of one purchase in plain SQL: lock the products, decrement, a checkout, an order per vendor,
    its lines, and clear the cart."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.product_id, c.quantity, p.vendor_id, p.price FROM shop_cartitem c "
            "JOIN vendors_product p ON p.id = c.product_id WHERE c.consumer_id = %s ORDER BY p.id FOR UPDATE OF p",
            [buyer.pk],
        )
        lines = cursor.fetchall()
        for product_id, quantity, _, _ in lines:
            cursor.execute("UPDATE vendors_product SET stock = stock - %s WHERE id = %s", [quantity, product_id])
        cursor.execute(
            "INSERT INTO shop_checkout (consumer_id, idempotency_key, created_at) VALUES (%s, %s, now()) RETURNING id",
            [buyer.pk, key],
        )
        checkout_id = cursor.fetchone()[0]
        for vendor_id in sorted({line[2] for line in lines}):
            mine = [line for line in lines if line[2] == vendor_id]
            total = sum(price * quantity for _, quantity, _, price in mine)
            cursor.execute(
                "INSERT INTO shop_order (checkout_id, consumer_id, vendor_id, status, buyer_was_partner, ship_to_name, "
                "ship_to_address, subtotal, discount, total, created_at, updated_at) "
                "VALUES (%s, %s, %s, 'paid', false, %s, %s, %s, 0, %s, now(), now()) RETURNING id",
                [checkout_id, buyer.pk, vendor_id, SHIP["ship_to_name"], SHIP["ship_to_address"], total, total],
            )
            order_id = cursor.fetchone()[0]
            for product_id, quantity, _, price in mine:
                cursor.execute(
                    "INSERT INTO shop_orderline (order_id, product_id, product_name, unit_price, quantity) "
                    "VALUES (%s, %s, 'bench', %s, %s)",
                    [order_id, product_id, price, quantity],
                )
        cursor.execute("DELETE FROM shop_cartitem WHERE consumer_id = %s", [buyer.pk])


def _timed(work: Callable[[User, str], object], buyers: list[User], threads: int) -> float:
    """Purchases per second: `work` for every buyer, split over `threads` threads started together."""
    run = uuid.uuid4().hex[:8]
    slices = [buyers[i::threads] for i in range(threads)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads + 1)

    def worker(mine: list[User]) -> None:
        barrier.wait()
        try:
            for buyer in mine:
                work(buyer, f"bench-{run}-{buyer.pk}")
        except BaseException as exc:  # noqa: BLE001 - reported after the run
            errors.append(exc)
        finally:
            connection.close()

    pool = [threading.Thread(target=worker, args=(part,)) for part in slices]
    for thread in pool:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise errors[0]
    return len(buyers) / elapsed


def main() -> None:
    if fake_payments is not None:
        fake_payments.transport_set(_post_through_client)
    products = _products()
    kinds: list[tuple[str, Callable[[User, str], object]]] = [("floor", _floor), ("place", _place)]
    if fake_payments is not None:
        kinds.append(("buy", _buy))
    results: dict[tuple[str, int], float] = {}
    for threads in (1, THREADS):
        for name, work in kinds:
            buyers = _buyers(f"{name}-{threads}-{uuid.uuid4().hex[:6]}", BUYERS, products)
            results[(name, threads)] = _timed(work, buyers, threads)
    label = {
        "floor": "plain-SQL floor",
        "place": "checkout_place (orders placed)",
        "buy": "place and pay (fake card, webhook)",
    }
    lines = [
        SECTION_START,
        "## Checkout throughput",
        "",
        f"Command: `{common.command('bench/checkout_bench.py')}`.",
        "",
        f"`{os.path.relpath(__file__, ROOT)}` on `{connection.settings_dict['NAME']}`: {BUYERS} purchases of three",
        "products from two vendors per row, serially and from "
        f"{THREADS} threads at once; ratios to the plain-SQL floor of the same run.",
        "",
        "| what | threads | purchases/s | ratio to floor |",
        "|---|---|---|---|",
    ]
    for (name, threads), rate in results.items():
        floor = results[("floor", threads)]
        lines.append(f"| {label[name]} | {threads} | {rate:.1f} | {rate / floor:.2f}× |")
    lines += ["", SECTION_END, ""]
    text = "\n".join(lines)
    print(text)
    if WRITE_DOCS:
        common.write_section(text, SECTION_START, SECTION_END)


if __name__ == "__main__":
    main()
