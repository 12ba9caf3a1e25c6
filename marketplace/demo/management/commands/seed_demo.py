"""manage.py seed_demo: load the demo marketplace (named accounts plus generated data), with progress."""

from __future__ import annotations

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from marketplace.demo.seed import DemoScale, seed_demo

# Each number's range. The ceilings are the largest scale worth seeding on one machine: the benchmark
# seeds 100 000 consumers, 10 000 vendors and 20 memberships each.
BOUNDS = {
    "consumers": (1, 1_000_000),
    "vendors": (1, 100_000),
    "products_per_vendor": (1, 1_000),
    "memberships_per_consumer": (1, 1_000),
    "seed": (0, 2**32 - 1),
}


def _check_bounds(options: dict[str, Any]) -> None:
    """CommandError naming the first option outside its range; call_command(consumers=...) skips argparse,
    so this runs on every value, not only on what the command line typed."""
    for name, (low, high) in BOUNDS.items():
        value = options[name]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            flag = "--" + name.replace("_", "-")
            raise CommandError(f"{flag} must be a whole number from {low:,} to {high:,}; got {value!r}.")


class Command(BaseCommand):
    help = "Load demo data. Idempotent: running it again adds only what is missing for the given scale."

    def add_arguments(self, parser: CommandParser) -> None:
        defaults = DemoScale()
        for name in ("consumers", "vendors", "products_per_vendor", "memberships_per_consumer"):
            low, high = BOUNDS[name]
            parser.add_argument(
                "--" + name.replace("_", "-"), type=int, default=getattr(defaults, name), help=f"{low:,} to {high:,}."
            )
        parser.add_argument("--seed", type=int, default=defaults.seed, help="Same seed and scale, same data.")
        parser.add_argument("--no-progress", action="store_true", help="Do not draw progress bars.")

    def handle(self, *args: Any, **options: Any) -> None:
        _check_bounds(options)
        scale = DemoScale(
            consumers=options["consumers"],
            vendors=options["vendors"],
            products_per_vendor=options["products_per_vendor"],
            memberships_per_consumer=options["memberships_per_consumer"],
            seed=options["seed"],
        )
        if scale.memberships_per_consumer > scale.vendors:
            raise CommandError("--memberships-per-consumer cannot exceed the number of vendors.")
        quiet = options["no_progress"] or options["verbosity"] == 0

        def progress(iterable: Any = None, **kwargs: Any) -> Any:
            return tqdm(iterable, disable=quiet, file=self.stderr._out, leave=False, **kwargs)

        started = time.monotonic()
        result = seed_demo(scale, progress=progress)
        # The demo shows live figures from the first page: compute the statistics of what was loaded.
        call_command("refresh_stats", "--full", verbosity=0 if quiet else 1)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready in {time.monotonic() - started:.1f}s: created {result.consumers_created} consumers, "
                f"{result.vendors_created} vendors, {result.products_created} products, "
                f"{result.memberships_created} memberships, {result.events_created} events."
            )
        )
