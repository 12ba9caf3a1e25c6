"""Demo portfolios: two years of partnerships of the generated consumers (a few badly-serving vendors lose
more of them), most of them holding the demo vendor, the demo consumer's three partners, and the
membership events the statistics are recomputed from."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import connection
from django.utils import timezone

from marketplace.accounts.models import User
from portfolios.models import EndReason, MembershipEvent, PartnerMembership
from vendors.models import Vendor

from .bulk import ProgressFactory, insert_rows

if TYPE_CHECKING:
    from .seed import DemoResult

HISTORY_MINUTES = 730 * 24 * 60  # partnerships start and end over the last two years
DEMO_VENDOR_PARTNER_SHARE = 0.85  # of the generated consumers, so its insights show real groups
# Weighted so that most endings look like ordinary churn and a few vendors lose partners to bad service.
END_REASONS = (
    [EndReason.NOT_NEEDED] * 4
    + [EndReason.PRICE] * 3
    + [EndReason.QUALITY] * 2
    + [EndReason.BAD_SERVICE, EndReason.OTHER]
)
DEMO_VENDOR_END_REASONS = (
    [EndReason.PRICE] * 4 + [EndReason.NOT_NEEDED] * 3 + [EndReason.QUALITY] * 2 + [EndReason.BAD_SERVICE]
)
MEMBERSHIP_FIELDS = ["consumer_id", "vendor_id", "started_at", "ended_at", "end_reason"]
Membership = tuple[int, int, object, object, str]


def memberships_create(
    rng: random.Random,
    consumer_ids: list[int],
    vendor_ids: list[int],
    per_consumer: int,
    progress: ProgressFactory,
    result: DemoResult,
) -> None:
    """Each consumer holds `per_consumer` distinct vendors, started over two years, some of them ended."""
    if not vendor_ids or per_consumer <= 0:
        return
    now = timezone.now()
    per_consumer = min(per_consumer, len(vendor_ids))
    # A few vendors serve badly: their partnerships end more often, mostly for bad service.
    bad = set(vendor_ids[:: max(1, len(vendor_ids) // 3)][:3]) if len(vendor_ids) > 6 else set()
    bar = progress(total=len(consumer_ids) * per_consumer, desc="memberships", unit="row")
    minute = timedelta(minutes=1)

    def rows() -> Iterator[Membership]:
        # Whole minutes before now: the ending falls between the start and now, as in use.
        for consumer_id in consumer_ids:
            for vendor_id in rng.sample(vendor_ids, per_consumer):
                ago = rng.randint(60, HISTORY_MINUTES)
                started = now - ago * minute
                if rng.random() < (0.45 if vendor_id in bad else 0.15):
                    ended = started + rng.randint(1, max(1, ago - 1)) * minute
                    reason = (
                        EndReason.BAD_SERVICE if vendor_id in bad and rng.random() < 0.7 else rng.choice(END_REASONS)
                    )
                    yield consumer_id, vendor_id, started, ended, reason.value
                else:
                    yield consumer_id, vendor_id, started, None, ""

    result.memberships_created += insert_rows(PartnerMembership, MEMBERSHIP_FIELDS, rows(), bar=bar)
    bar.close()


def demo_vendor_partners_create(
    rng: random.Random, consumer_ids: list[int], vendor: Vendor, progress: ProgressFactory, result: DemoResult
) -> None:
    """Most generated consumers hold the demo vendor, over two years, a fifth of them ended with believable
    reasons: enough partners in every region, age band and interest for its insights to show real groups."""
    now = timezone.now()
    chosen = [c for c in consumer_ids if rng.random() < DEMO_VENDOR_PARTNER_SHARE]
    bar = progress(total=len(chosen), desc="demo vendor partners", unit="row")
    minute = timedelta(minutes=1)

    def rows() -> Iterator[Membership]:
        for consumer_id in chosen:
            ago = rng.randint(60, HISTORY_MINUTES)
            started = now - ago * minute
            if rng.random() < 0.2:
                ended = started + rng.randint(1, max(1, ago - 1)) * minute
                yield consumer_id, vendor.pk, started, ended, rng.choice(DEMO_VENDOR_END_REASONS).value
            else:
                yield consumer_id, vendor.pk, started, None, ""

    result.memberships_created += insert_rows(PartnerMembership, MEMBERSHIP_FIELDS, rows(), bar=bar)
    bar.close()


def events_create(after: int, progress: ProgressFactory, result: DemoResult) -> None:
    """The event log of the memberships above the id `after`: a start at each start, an ending (with its
    reason) at each end. Computed in SQL from the rows just written, on either database; the caller holds
    the membership table against other writers (bulk.lock_for_writes), so these ids are its own."""
    memberships = PartnerMembership._meta.db_table
    events = MembershipEvent._meta.db_table
    started, ended = MembershipEvent.Kind.STARTED.value, MembershipEvent.Kind.ENDED.value
    bar = progress(total=None, desc="membership events", unit="row")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {events} (membership_id, vendor_id, kind, reason, created_at) "
            f"SELECT id, vendor_id, %s, '', started_at FROM {memberships} WHERE id > %s "
            "UNION ALL "
            f"SELECT id, vendor_id, %s, end_reason, ended_at FROM {memberships} WHERE id > %s "
            "AND ended_at IS NOT NULL",
            [started, after, ended, after],
        )
        result.events_created += cursor.rowcount
        bar.update(cursor.rowcount)
    bar.close()


def demo_consumer_partners_create(consumer: User, demo_vendor: Vendor, result: DemoResult) -> None:
    """The demo consumer starts with three current partners, the demo vendor among them (caller's transaction)."""
    others = list(Vendor.objects.approved().exclude(pk=demo_vendor.pk).order_by("id")[:2])
    now = timezone.now()
    for days, vendor in zip((120, 60, 30), [demo_vendor, *others], strict=False):
        started = now - timedelta(days=days)
        membership = PartnerMembership.objects.create(consumer=consumer, vendor=vendor, started_at=started)
        MembershipEvent.objects.create(
            membership=membership, vendor=vendor, kind=MembershipEvent.Kind.STARTED, created_at=started
        )
        result.memberships_created += 1
        result.events_created += 1
