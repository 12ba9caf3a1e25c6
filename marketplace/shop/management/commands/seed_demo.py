"""manage.py seed_demo: load the demo marketplace (named accounts plus generated data), with progress."""

from __future__ import annotations

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from marketplace.shop.demo import DemoScale, seed_demo


def _non_negative_arg(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = "Load demo data. Idempotent: running it again adds only what is missing for the given scale."

    def add_arguments(self, parser: CommandParser) -> None:
        defaults = DemoScale()
        parser.add_argument("--consumers", type=_non_negative_arg, default=defaults.consumers)
        parser.add_argument("--vendors", type=_non_negative_arg, default=defaults.vendors)
        parser.add_argument("--products-per-vendor", type=_non_negative_arg, default=defaults.products_per_vendor)
        parser.add_argument(
            "--memberships-per-consumer", type=_non_negative_arg, default=defaults.memberships_per_consumer
        )
        parser.add_argument("--seed", type=int, default=defaults.seed, help="Same seed and scale, same data.")
        parser.add_argument("--no-progress", action="store_true", help="Do not draw progress bars.")

    def handle(self, *args: Any, **options: Any) -> None:
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
