"""The marketplace being written to, for the under-writes section of bench/pages_bench.py (not a test).

A separate process, started by pages_bench.py with the site's own settings (the same database and Redis as the
gunicorn it measures), that writes through the domain services as the site does, each kind at its own rate:

- checkouts: a random consumer puts 1 to 3 random purchasable products in the cart (`cart_add`), places them
  (`checkout_place`) and pays with the fake provider's test card (`payment_start`, `payment_confirm`; its signed
  webhook event goes through the project's webhook view in this process, the statistics and mail tasks run
  in-process as a worker would run them);
- stock edits: a vendor restocks one of its products (`product_stock_adjust`);
- price edits: a vendor changes one product's price by up to 5% (`product_update`);
- new partners: a random consumer adds a random vendor (`membership_start`);
- promotions: a vendor publishes a public ad that starts now and ends in five minutes (`promotion_create`,
  `promotion_publish`);
- the clock: once a minute, as Celery beat does, `promotion_states_advance` (it ends the ads above).

    python bench/writer.py --status STATUS.json --pause PAUSE_FILE

While the file PAUSE_FILE exists it finishes the write in hand and waits (status `paused: true`), so the bench
reads the same page quietly and under writes in turn. STATUS.json is rewritten about twice a second: writes done,
refused (a domain refusal such as an empty stock) and failed per kind, and the seconds spent writing (pauses
left out), so the rate each row saw is proven by counts. SIGTERM stops it after the write in hand.
With --part K --parts N it is one of N such processes, each writing 1/N of every rate (the bench starts as
many as it takes for each to keep up: one per write a second, as a checkout waits on the machine). A writer
that falls behind (a slow checkout) catches up over the next CATCH_UP seconds, so the rates hold on average.

The rates are those of a busy marketplace of 10,000 vendors at its busiest hour (RATES below, the reasoning
beside each figure), times BENCH_SCALE (ten times the vendors write ten times as much) and BENCH_WRITE_RATE.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DAY = 86_400
# The busiest hour of a day against the day's average: shoppers and vendors crowd into the evening and working
# hours (a common planning factor is 2 to 3; the larger is taken).
PEAK = 3
VENDORS_AT_SCALE_1 = 10_000
CATCH_UP = 30.0  # seconds of writes a writer that fell behind makes up (a longer lag is dropped)


@dataclass(frozen=True)
class Rate:
    kind: str
    per_day: int  # at 10,000 vendors
    basis: str
    scaled: bool = True  # False: a fixed clock, not more with more vendors

    def per_second(self, scale: float, factor: float) -> float:
        if not self.scaled:
            return self.per_day / DAY
        return self.per_day * PEAK / DAY * scale * factor


RATES = (
    Rate("checkout", 30_000, "3 orders a day per vendor (a busy marketplace; a typical one sells less)"),
    Rate("stock", 50_000, "5 restocks a day per vendor"),
    Rate("price", 20_000, "2 price changes a day per vendor"),
    Rate("partner", 10_000, "one new partner for every third order"),
    Rate("promotion", 667, "2 promotions a month per vendor"),
    Rate("clock", DAY // 60, "the beat job that starts and ends promotions, once a minute", scaled=False),
)
SCALE = float(os.environ.get("BENCH_SCALE", "1") or "1")
FACTOR = float(os.environ.get("BENCH_WRITE_RATE", "1") or "1")


def rates_per_second(scale: float = SCALE, factor: float = FACTOR) -> dict[str, float]:
    return {rate.kind: rate.per_second(scale, factor) for rate in RATES}


def rates_basis(scale: float = SCALE, factor: float = FACTOR) -> list[str]:
    """How each rate was chosen, one line each, with the rate it makes."""
    vendors = round(VENDORS_AT_SCALE_1 * scale)
    lines = []
    for rate in RATES:
        per_second = rate.per_second(scale, factor)
        if rate.scaled:
            lines.append(
                f"{rate.kind}: {rate.basis}: {rate.per_day * scale:,.0f} a day at {vendors:,} vendors, × {PEAK} at the "
                f"busiest hour{f' × {factor:g} (BENCH_WRITE_RATE)' if factor != 1 else ''} = {per_second:.2f}/s"
            )
        else:
            lines.append(f"{rate.kind}: {rate.basis} = {per_second:.3f}/s")
    return lines


# --- The writer process ----------------------------------------------------------------------------------------


class Writer:
    POOL = 5000  # random consumers and purchasable products drawn once: the writes spread over all of them
    SHIP = {"ship_to_name": "Bench Writer", "ship_to_address": "1 Writer Street, Leeds"}

    def __init__(self, status: Path, pause: Path, seed: int, part: int = 0, parts: int = 1) -> None:
        from django.db.models import Q

        from marketplace.accounts.models import ConsumerProfile
        from vendors.models import Product, Vendor

        self.status_path, self.pause_path = status, pause
        self.rng = random.Random(seed)
        owners = Vendor.objects.values("owner_id")
        self.consumers = list(
            ConsumerProfile.objects.exclude(user_id__in=owners)
            .exclude(Q(user__is_staff=True) | Q(user__email__startswith="bench-shopper"))
            .order_by("?")
            .values_list("user_id", flat=True)[: self.POOL]
        )
        self.products = list(Product.objects.purchasable().order_by("?").values_list("id", "vendor_id")[: self.POOL])
        if not self.consumers or not self.products:
            raise SystemExit("writer: no consumers or no purchasable products in this database")
        self.vendors: dict[int, Any] = {}
        # One of `parts` writer processes: its share of every rate; the clock runs in the first only.
        self.rates = {
            kind: (rate if kind == "clock" else rate / parts) if kind != "clock" or part == 0 else 0.0
            for kind, rate in rates_per_second().items()
        }
        self.done = dict.fromkeys(self.rates, 0)
        self.refused = dict.fromkeys(self.rates, 0)
        self.failed = dict.fromkeys(self.rates, 0)
        self.busy = dict.fromkeys(self.rates, 0.0)  # seconds spent in the writes done, per kind
        self.last_failures: list[str] = []
        self.seconds = 0.0  # spent writing, pauses left out
        self.paused = False
        self.stopping = False
        self.written_at = 0.0
        self.db_pid, self.db_base, self.db_last = 0, 0.0, 0.0
        self.actions: dict[str, Callable[[], None]] = {
            "checkout": self.checkout,
            "stock": self.stock,
            "price": self.price,
            "partner": self.partner,
            "promotion": self.promotion,
            "clock": self.clock,
        }

    # -- what it writes

    def _vendor(self, vendor_id: int) -> Any:
        from vendors.models import Vendor

        if vendor_id not in self.vendors:
            self.vendors[vendor_id] = Vendor.objects.get(pk=vendor_id)
        return self.vendors[vendor_id]

    def _consumer(self) -> Any:
        from marketplace.accounts.models import User

        return User.objects.get(pk=self.rng.choice(self.consumers))

    def checkout(self) -> None:
        from django.core.exceptions import ValidationError

        from marketplace.kernel.errors import DomainError
        from marketplace.shop.models import CartItem
        from marketplace.shop.payments.fake import CARD_SUCCEEDS
        from marketplace.shop.payments.services import payment_confirm, payment_start
        from marketplace.shop.services import cart_add, cart_item_remove, checkout_place

        consumer = self._consumer()
        for item_id in CartItem.objects.filter(consumer=consumer).values_list("pk", flat=True):
            cart_item_remove(consumer=consumer, item_id=item_id)
        added = 0
        for product_id, _ in self.rng.sample(self.products, self.rng.randint(1, 3)):
            try:
                cart_add(consumer=consumer, product_id=product_id, quantity=1)
                added += 1
            except (DomainError, ValidationError):
                continue  # sold out or gone since the pool was drawn: the shopper picks something else
        if not added:
            raise Refused("nothing in stock in the cart")
        result = checkout_place(consumer=consumer, idempotency_key=f"bench-writer-{uuid.uuid4().hex}", **self.SHIP)
        if result.payment is not None and result.payment.amount_minor:
            payment_start(payment_id=result.payment.pk)
            payment_confirm(
                consumer=consumer,
                checkout_id=result.checkout.pk,
                payment_method=CARD_SUCCEEDS,
                return_url=f"https://127.0.0.1/checkout/{result.checkout.pk}/pay/return/",
            )

    def stock(self) -> None:
        from vendors.models import Product
        from vendors.services import product_stock_adjust

        product_id, vendor_id = self.rng.choice(self.products)
        stock = Product.objects.filter(pk=product_id).values_list("stock", flat=True).first() or 0
        # Mostly restocking (checkouts sell it down); now and then a count corrected down.
        delta = -1 if stock > 20 and self.rng.random() < 0.3 else self.rng.randint(1, 10)
        product_stock_adjust(vendor=self._vendor(vendor_id), product_id=product_id, delta=delta)

    def price(self) -> None:
        from vendors.models import Product
        from vendors.services import product_update

        product_id, vendor_id = self.rng.choice(self.products)
        row = Product.objects.filter(pk=product_id).values("price", "partner_price").first()
        if row is None:
            raise Refused("product gone")
        change = Decimal(1) + Decimal(self.rng.randint(-5, 5)) / 100
        price = max(Decimal("1.00"), (row["price"] * change).quantize(Decimal("0.01"), ROUND_HALF_UP))
        if row["partner_price"] is not None and row["partner_price"] > price:
            price = row["partner_price"]
        product_update(vendor=self._vendor(vendor_id), product_id=product_id, price=price)

    def partner(self) -> None:
        from marketplace.kernel.errors import DomainError
        from portfolios.services import membership_start

        for _ in range(5):  # a pair already partnered is refused: another consumer looks at another vendor
            consumer = self._consumer()
            try:
                membership_start(consumer=consumer, vendor_id=self.rng.choice(self.products)[1])
                return
            except DomainError:
                continue
        raise Refused("five pairs already partnered")

    def promotion(self) -> None:
        from django.utils import timezone

        from promotions.models import Promotion
        from promotions.services import promotion_create, promotion_publish

        vendor = self._vendor(self.rng.choice(self.products)[1])
        now = timezone.now()
        promotion = promotion_create(
            vendor=vendor,
            title=f"Writer's ad {uuid.uuid4().hex[:6]}",
            description="Ten percent off this afternoon.",
            kind=Promotion.Kind.PUBLIC,
            discount_value=Decimal(10),
            starts_at=now,
            ends_at=now + timezone.timedelta(minutes=5),
        )
        promotion_publish(vendor=vendor, promotion_id=promotion.pk)

    def clock(self) -> None:
        from promotions.services import promotion_states_advance

        promotion_states_advance()

    # -- the loop

    def database_cpu(self) -> float | None:
        """CPU seconds of this process's PostgreSQL backend(s) so far, read from /proc (the server on this machine,
        as the bench's is); None when it cannot be read. A new connection's backend adds to the previous ones."""
        from django.db import connection

        raw = connection.connection
        if raw is None:
            return self.db_base + self.db_last if self.db_pid else None
        pid = raw.get_backend_pid()
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        seconds = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
        if pid != self.db_pid:
            self.db_base, self.db_pid = self.db_base + self.db_last, pid
        self.db_last = seconds
        return self.db_base + seconds

    def write_status(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.written_at < 0.5:
            return
        self.written_at = now
        times = os.times()
        status = {
            "pid": os.getpid(),
            "paused": self.paused,
            "cpu_seconds": round(times.user + times.system, 3),
            "database_cpu_seconds": self.database_cpu(),
            "seconds": round(self.seconds, 3),
            "rates": self.rates,
            "done": self.done,
            "refused": self.refused,
            "failed": self.failed,
            "busy": {kind: round(seconds, 3) for kind, seconds in self.busy.items()},
            "last_failures": self.last_failures[-5:],
        }
        temporary = self.status_path.with_suffix(".tmp")
        temporary.write_text(json.dumps(status))
        temporary.replace(self.status_path)

    def run_one(self, kind: str) -> None:
        from django.core.exceptions import ValidationError
        from django.db import close_old_connections

        from marketplace.kernel.errors import DomainError

        started = time.monotonic()
        try:
            self.actions[kind]()
            self.done[kind] += 1
            self.busy[kind] += time.monotonic() - started
        except (Refused, DomainError, ValidationError):
            self.refused[kind] += 1
        except Exception as exc:  # noqa: BLE001 - counted and shown in the status; the writer keeps its rate
            self.failed[kind] += 1
            self.last_failures.append(f"{kind}: {type(exc).__name__}: {exc}"[:300])
            print(f"writer: {self.last_failures[-1]}", file=sys.stderr, flush=True)
            close_old_connections()

    def warm_up(self) -> None:
        """One write of each kind before the first measurement (not counted): the first checkout of a process
        imports and compiles what the later ones reuse, and would otherwise fall into a measured row."""
        for kind, rate in self.rates.items():
            if rate > 0 and kind != "clock":
                self.run_one(kind)
        self.done = dict.fromkeys(self.rates, 0)
        self.refused = dict.fromkeys(self.rates, 0)
        self.failed = dict.fromkeys(self.rates, 0)
        self.busy = dict.fromkeys(self.rates, 0.0)

    def run(self) -> None:
        self.warm_up()
        intervals = {kind: 1 / rate for kind, rate in self.rates.items() if rate > 0}
        due = {kind: time.monotonic() + self.rng.random() * interval for kind, interval in intervals.items()}
        self.write_status(force=True)
        paused_at = 0.0
        while not self.stopping:
            if self.pause_path.exists():
                if not self.paused:
                    self.paused, paused_at = True, time.monotonic()
                    self.write_status(force=True)
                time.sleep(0.02)
                continue
            now = time.monotonic()
            if self.paused:
                # Back from a pause: the schedule moves on by the pause, so the rates hold over the writing time
                # alone (no burst to catch up, and a rare kind is not drawn afresh at every resume).
                self.paused = False
                due = {kind: at + now - paused_at for kind, at in due.items()}
                self.write_status(force=True)
            kind = min(due, key=due.__getitem__)
            wait = due[kind] - now
            if wait > 0:
                time.sleep(min(wait, 0.02))
                self.seconds += time.monotonic() - now
                self.write_status()
                continue
            self.run_one(kind)
            # The next one an interval after this one was due: a slow write (a checkout waiting for its locks)
            # is caught up within CATCH_UP seconds, so the rate holds on average; a longer lag is dropped.
            due[kind] = max(due[kind] + intervals[kind], time.monotonic() - CATCH_UP)
            self.seconds += time.monotonic() - now
            self.write_status()
        self.write_status(force=True)


class Refused(Exception):
    """A write the marketplace would refuse or the writer skipped (nothing in stock, a pair already partnered)."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--status", type=Path, required=True)
    parser.add_argument("--pause", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=28)
    parser.add_argument("--part", type=int, default=0, help="this process's number, from 0")
    parser.add_argument("--parts", type=int, default=1, help="writer processes sharing the rates")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
    import django

    django.setup()
    from django.test import Client

    from marketplace.shop.payments import fake_delivery

    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")

    def post(path: str, body: bytes, headers: dict[str, str]) -> int:
        """The fake provider's signed event, through the project's webhook view, in this process."""
        response = client.post(
            path, data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=headers["Stripe-Signature"]
        )
        return response.status_code

    fake_delivery.transport_set(post)
    writer = Writer(args.status, args.pause, args.seed + args.part, args.part, args.parts)

    def stop(signum: int, frame: Any) -> None:
        writer.stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    writer.run()


if __name__ == "__main__":
    main()
