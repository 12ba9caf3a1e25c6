"""manage.py refresh_stats [--vendor ID ...] [--full]: recompute statistics now, in this process."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from marketplace.kernel.limits import ID_MAX
from marketplace.kernel.sql import Scope
from marketplace.shop.services.stats import sales_stats_refresh
from portfolios.services.stats import stats_reconcile_all, stats_refresh_dirty, stats_refresh_scope, vendor_id_shards
from vendors.models import Vendor


class Command(BaseCommand):
    help = "Recompute portfolio and sales statistics: the dirty vendors (default), some vendors, or all (--full)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--vendor", type=int, action="append", default=[], metavar="ID", help="Refresh this vendor (repeatable)."
        )
        parser.add_argument("--full", action="store_true", help="Recompute every vendor and the marketplace tables.")

    def handle(self, *args: Any, **options: Any) -> None:
        vendor_ids: list[int] = options["vendor"]
        if vendor_ids and options["full"]:
            raise CommandError("Use either --vendor or --full, not both.")
        quiet = options["verbosity"] == 0
        for vendor_id in vendor_ids:
            if isinstance(vendor_id, bool) or not isinstance(vendor_id, int) or not 1 <= vendor_id <= ID_MAX:
                raise CommandError(
                    f"--vendor takes a vendor id, a whole number from 1 to {ID_MAX:,}; got {vendor_id!r}."
                )
        if vendor_ids:
            missing = set(vendor_ids) - set(Vendor.objects.filter(pk__in=vendor_ids).values_list("pk", flat=True))
            if missing:
                raise CommandError(f"No vendor with id {', '.join(map(str, sorted(missing)))}; nothing refreshed.")
            stats_refresh_scope(scope=Scope.ids(vendor_ids))
            sales_stats_refresh(scope=Scope.ids(vendor_ids))
            self.stdout.write(self.style.SUCCESS(f"Refreshed {len(vendor_ids)} vendor(s)."))
            return
        if options["full"]:
            shards = vendor_id_shards()
            with tqdm(
                total=len(shards) * 2,
                desc="statistics",
                unit="shard",
                disable=quiet,
                file=self.stderr._out,
                leave=False,
            ) as bar:
                stats_reconcile_all(progress=bar.update)
                for low, high in shards:
                    sales_stats_refresh(scope=Scope.id_range(low, high))
                    bar.update(1)
            self.stdout.write(self.style.SUCCESS(f"Recomputed all statistics in {len(shards)} shard(s)."))
            return
        refreshed = stats_refresh_dirty()
        self.stdout.write(self.style.SUCCESS(f"Refreshed {len(refreshed)} dirty vendor(s)."))
