"""Demo data: named accounts plus generated consumers, vendors, products, pictures, orders with ratings and
two years of portfolio histories, worded from curated lists of each category's trades (catalogue.py).

Deterministic for a given seed and scale, and idempotent: a second run adds only what is missing. Fast at
marketplace scale (100k consumers, 10k vendors, 200k products, 2M memberships): the generated rows stream
into PostgreSQL with COPY while their tables' secondary indexes and foreign keys are set aside and rebuilt
once (bulk.py), the event log is computed in SQL from the memberships, the demo password is hashed once and
reused, and every product of a kind shares that kind's one picture (about 120 files at any scale).

Modules by concern: people.py (accounts, consumers), shops.py (vendors, products, pictures),
partnerships.py (memberships and their events), orders.py (orders, ratings, promotions).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from marketplace.accounts.demo import DEMO_CONSUMER, DEMO_PASSWORD
from marketplace.accounts.models import ConsumerProfile, User
from marketplace.shop.services.fulfilment import buyers_established_mark
from portfolios.models import MembershipEvent, PartnerMembership
from vendors.models import Product, Vendor

from .asks import demo_asks_create
from .bulk import ProgressFactory, analyze, bulk_load, last_id, lock_for_writes, no_progress
from .chinese import categories_name_in_chinese, chinese_vendors_ensure
from .orders import demo_ended_promotion_create, demo_orders_and_promotions_create, rated_orders_create
from .partnerships import (
    demo_consumer_partners_create,
    demo_vendor_partners_create,
    events_create,
    memberships_create,
)
from .people import consumers_create, named_accounts_ensure
from .shops import PictureShelf, categories_ensure, named_vendor_ensure, products_create, vendors_create


@dataclass(frozen=True)
class DemoScale:
    consumers: int = 500
    vendors: int = 40
    products_per_vendor: int = 8
    memberships_per_consumer: int = 4
    seed: int = 2026


@dataclass
class DemoResult:
    consumers_created: int = 0
    vendors_created: int = 0
    products_created: int = 0
    memberships_created: int = 0
    events_created: int = 0


def _generated(prefix: str) -> int:
    return User.objects.filter(email__endswith="@demo.example", email__startswith=prefix).count()


def seed_demo(scale: DemoScale, *, progress: ProgressFactory = no_progress) -> DemoResult:
    """Load the demo data up to the given scale; a second run with the same scale adds nothing. Each part is
    one transaction (vendors with their products; consumers with their portfolios), so a run stopped halfway
    leaves whole parts that the next run completes."""
    rng = random.Random(scale.seed)
    result = DemoResult()
    shelf = PictureShelf()
    password_hash = make_password(DEMO_PASSWORD)
    with transaction.atomic():
        accounts = named_accounts_ensure(password_hash)
        categories = categories_ensure()
        categories_name_in_chinese()
        demo_vendor = named_vendor_ensure(accounts, categories, rng, shelf, progress, result)
        # Shops writing in Traditional Chinese (and one in both): partners, orders and ratings reach them too.
        chinese_vendors_ensure(password_hash=password_hash, shelf=shelf, result=result)

    existing_vendors = _generated("owner")
    if existing_vendors < scale.vendors:
        adding = scale.vendors - existing_vendors
        # The trigger that recounts each vendor's active products at the end of the COPY reads this index.
        keep = ["product_vendor_active_idx"]
        with (
            transaction.atomic(),
            bulk_load(Product, adding=adding * scale.products_per_vendor, keep=keep, progress=progress),
        ):
            vendors = vendors_create(
                random.Random(scale.seed + existing_vendors),
                existing_vendors,
                scale.vendors,
                password_hash,
                categories,
                shelf,
                progress,
                result,
            )
            products_create(
                random.Random(scale.seed + 1 + existing_vendors),
                vendors,
                scale.products_per_vendor,
                shelf,
                progress,
                result,
            )
        analyze(Vendor, Product, progress=progress)

    existing_consumers = _generated("consumer")
    if existing_consumers < scale.consumers:
        adding = scale.consumers - existing_consumers
        profiles = (ConsumerProfile, ConsumerProfile.interests.through)
        memberships = adding * (scale.memberships_per_consumer + 1)
        with transaction.atomic():
            with bulk_load(*profiles, adding=adding, progress=progress):
                new_ids = consumers_create(
                    random.Random(scale.seed + 2 + existing_consumers),
                    existing_consumers,
                    scale.consumers,
                    password_hash,
                    progress,
                    result,
                )
            vendor_ids = list(
                Vendor.objects.approved().exclude(pk=demo_vendor.pk).order_by("id").values_list("id", flat=True)
            )
            with bulk_load(PartnerMembership, MembershipEvent, adding=memberships, progress=progress):
                lock_for_writes(PartnerMembership)
                before = last_id(PartnerMembership)
                memberships_create(
                    random.Random(scale.seed + 3 + existing_consumers),
                    new_ids,
                    vendor_ids,
                    scale.memberships_per_consumer,
                    progress,
                    result,
                )
                demo_vendor_partners_create(
                    random.Random(scale.seed + 4 + existing_consumers), new_ids, demo_vendor, progress, result
                )
                events_create(before, progress, result)
        analyze(User, *profiles, PartnerMembership, MembershipEvent, progress=progress)

    demo_consumer = accounts[DEMO_CONSUMER]
    if not PartnerMembership.objects.filter(consumer=demo_consumer).exists():
        with transaction.atomic():
            demo_consumer_partners_create(demo_consumer, demo_vendor, result)
    if not demo_vendor.orders.exists():
        bar = progress(total=2, desc="demo vendor's orders and promotions", unit="step")
        demo_orders_and_promotions_create(rng, demo_vendor, demo_consumer)
        bar.update(1)
        demo_ended_promotion_create(rng, demo_vendor)
        bar.update(1)
        bar.close()
    with transaction.atomic():
        rated_orders_create(random.Random(scale.seed + 5), progress)
        # The bulk orders skip the fulfilment service, which marks buyers whose orders two vendors delivered.
        buyers_established_mark()
    demo_asks_create(demo_consumer=demo_consumer, demo_vendor=demo_vendor)
    return result
