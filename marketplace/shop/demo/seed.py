"""Demo data: named accounts plus generated consumers, vendors, products, pictures, orders with ratings and
two years of portfolio histories, worded from curated per-category lists (catalogue.py).

Deterministic for a given seed and scale, idempotent (a second run adds only what is missing) and fast:
rows go in with bulk_create in batches, the demo password is hashed once and reused, and pictures come
from a small pool per category (pictures.py) that every product of that category shares.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any, TypeVar

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from marketplace.accounts.demo import (
    DEMO_ADMIN,
    DEMO_CONSUMER,
    DEMO_MODERATOR,
    DEMO_PASSWORD,
    DEMO_VENDOR,
    GENERATED_CONSUMER,
    GENERATED_VENDOR_OWNER,
)
from marketplace.accounts.models import AgeBand, ConsumerProfile, Interest, Region, User
from portfolios.models import EndReason, MembershipEvent, PartnerMembership
from vendors.models import Category, Product, Vendor

from . import pictures
from .catalogue import CATALOGUE, CATEGORIES, PLACES, REVIEWS, TOWNS, CategoryCatalogue

T = TypeVar("T")

BATCH = 5000
PICTURE_POOL = 12  # pictures per category, shared by its products: constant cost at any scale
LOGO_LIMIT = 500  # vendors beyond this share their category's logos
HISTORY_DAYS = 730  # partnerships start and end over the last two years
DEMO_VENDOR_PARTNER_SHARE = 0.85  # of the generated consumers, so its insights show real groups
RATED_VENDORS = 300  # vendors that get delivered, rated orders (the first ones, by id)
# Weighted so that most endings look like ordinary churn and a few vendors lose partners to bad service.
END_REASONS = (
    [EndReason.NOT_NEEDED] * 4
    + [EndReason.PRICE] * 3
    + [EndReason.QUALITY] * 2
    + [EndReason.BAD_SERVICE, EndReason.OTHER]
)


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


def _batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


ProgressFactory = Callable[..., Any]


def _no_progress(iterable: Iterable[T] | None = None, **kwargs: Any) -> Any:
    return _Silent(iterable)


class _Silent:
    def __init__(self, iterable: Any = None) -> None:
        self.iterable = iterable

    def __iter__(self) -> Iterator[Any]:
        return iter(self.iterable or [])

    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def _named_accounts(password_hash: str) -> dict[str, User]:
    accounts: dict[str, User] = {}
    specs = [
        (DEMO_CONSUMER, "Casey Consumer", False, False),
        (DEMO_VENDOR, "Val Vendor", False, False),
        (DEMO_MODERATOR, "Morgan Moderator", True, False),
        (DEMO_ADMIN, "Ada Admin", True, True),
    ]
    for email, name, staff, superuser in specs:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={"display_name": name, "is_staff": staff, "is_superuser": superuser, "password": password_hash},
        )
        accounts[email] = user
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    accounts[DEMO_MODERATOR].groups.add(moderators)
    profile = accounts[DEMO_CONSUMER].profile
    if not profile.region_id:
        profile.region = Region.objects.get(code="london")
        profile.age_band = AgeBand.A25_34
        profile.share_region = profile.share_age_band = profile.share_interests = True
        profile.save()
        profile.interests.set(Interest.objects.filter(slug__in=["cooking", "cycling", "books"]))
    return accounts


def _categories() -> list[Category]:
    for name in CATEGORIES:
        Category.objects.get_or_create(slug=slugify(name), defaults={"name": name})
    return list(Category.objects.filter(slug__in=[slugify(n) for n in CATEGORIES]).order_by("id"))


def _create_consumers(
    rng: random.Random, start: int, stop: int, password_hash: str, progress: ProgressFactory, result: DemoResult
) -> None:
    regions = list(Region.objects.order_by("id"))
    interests = list(Interest.objects.order_by("id"))
    ages = list(AgeBand.values)
    bar = progress(total=stop - start, desc="consumers", unit="row")
    through = ConsumerProfile.interests.through
    for batch in _batched(range(start, stop), BATCH):
        users = User.objects.bulk_create(
            [
                User(email=GENERATED_CONSUMER.format(n=n), display_name=f"Consumer {n}", password=password_hash)
                for n in batch
            ]
        )
        profiles = []
        links = []
        for user in users:
            profiles.append(
                ConsumerProfile(
                    user=user,
                    region=rng.choice(regions),
                    age_band=rng.choice(ages),
                    share_region=rng.random() < 0.7,
                    share_age_band=rng.random() < 0.6,
                    share_interests=rng.random() < 0.5,
                )
            )
            for interest in rng.sample(interests, rng.randint(1, 3)):
                links.append(through(consumerprofile_id=user.pk, interest_id=interest.pk))
        ConsumerProfile.objects.bulk_create(profiles)
        through.objects.bulk_create(links)
        result.consumers_created += len(users)
        bar.update(len(batch))
    bar.close()


def _create_vendors(
    rng: random.Random,
    start: int,
    stop: int,
    password_hash: str,
    categories: list[Category],
    progress: ProgressFactory,
    result: DemoResult,
) -> list[Vendor]:
    regions = list(Region.objects.order_by("id"))
    now = timezone.now()
    bar = progress(total=stop - start, desc="vendors", unit="row")
    created: list[Vendor] = []
    for batch in _batched(range(start, stop), BATCH):
        owners = User.objects.bulk_create(
            [
                User(email=GENERATED_VENDOR_OWNER.format(n=n), display_name=f"Owner {n}", password=password_hash)
                for n in batch
            ]
        )
        vendors = []
        for n, owner in zip(batch, owners, strict=True):
            category = categories[n % len(categories)]
            catalogue = CATALOGUE[category.name]
            name = _vendor_name(n, catalogue)
            # Roughly 1 in 25 generated vendors waits for approval and 1 in 50 is suspended, so moderation has work.
            status = Vendor.Status.APPROVED
            if n % 25 == 7:
                status = Vendor.Status.PENDING
            elif n % 50 == 13:
                status = Vendor.Status.SUSPENDED
            joined = now - timedelta(days=rng.randint(100, 900))
            vendor = Vendor(
                owner=owner,
                name=name,
                slug=slugify(name),
                category=category,
                status=status,
                description=rng.choice(catalogue.descriptions).format(name=name),
                contact_email=owner.email,
                approved_at=joined if status != Vendor.Status.PENDING else None,
                status_reason="Repeated complaints about late deliveries." if status == Vendor.Status.SUSPENDED else "",
            )
            vendor.logo.name = _logo(catalogue, name, n)
            vendors.append(vendor)
        vendors = Vendor.objects.bulk_create(vendors)
        Vendor.regions.through.objects.bulk_create(
            [
                Vendor.regions.through(vendor_id=v.pk, region_id=r.pk)
                for v in vendors
                for r in rng.sample(regions, rng.randint(1, 4))
            ]
        )
        created.extend(vendors)
        result.vendors_created += len(vendors)
        bar.update(len(batch))
    bar.close()
    return created


def _vendor_name(n: int, catalogue: CategoryCatalogue) -> str:
    """Unique and readable: "Harbour Roasters", then "Harbour Roasters of Leeds", a number only past those."""
    per_category = len(PLACES) * len(catalogue.nouns)
    k = n // len(CATEGORIES)
    base = f"{PLACES[k % len(PLACES)]} {catalogue.nouns[(k // len(PLACES)) % len(catalogue.nouns)]}"
    round_ = k // per_category
    if round_ == 0:
        return base
    if round_ <= len(TOWNS):
        return f"{base} of {TOWNS[round_ - 1]}"
    return f"{base} {round_}"


def _stored(name: str, make: Callable[[], bytes]) -> str:
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(make()))
    return name


def _product_picture(catalogue: CategoryCatalogue, variant: int, *, prefix: str = "pool") -> str:
    slug = slugify(catalogue.motif)
    return _stored(
        f"demo/products/{prefix}-{slug}-{variant:02d}.jpg", lambda: pictures.product_picture(catalogue, variant)
    )


def _logo(catalogue: CategoryCatalogue, name: str, n: int) -> str:
    if n >= LOGO_LIMIT:
        variant = n % PICTURE_POOL
        return _stored(
            f"demo/logos/pool-{slugify(catalogue.motif)}-{variant:02d}.png",
            lambda: pictures.vendor_logo(catalogue, catalogue.nouns[0], variant),
        )
    return _stored(f"demo/logos/{slugify(name)}.png", lambda: pictures.vendor_logo(catalogue, name, n))


def _price(rng: random.Random, low: float, high: float) -> Decimal:
    """A shop price between low and high: whole pounds below £20 end in .50 or .00, above in .99 or .00."""
    pence = rng.randint(int(low * 100), int(high * 100))
    if high < 20:
        pence = pence // 50 * 50
    else:
        pence = pence // 100 * 100 + rng.choice([0, 99])
    return (Decimal(max(pence, 100)) / 100).quantize(Decimal("0.01"))


def _create_products(
    rng: random.Random,
    vendors: list[Vendor],
    per_vendor: int,
    progress: ProgressFactory,
    result: DemoResult,
    *,
    own_pictures: bool = False,
) -> None:
    """Products from the vendor's category list, each with a picture (the demo vendor's are its own)."""
    categories = {c.pk: c.name for c in Category.objects.all()}
    bar = progress(total=len(vendors) * per_vendor, desc="products", unit="row")
    sizes = ["", " (gift box)", " (large)", " (refill)", " (bundle of 2)"]

    def rows() -> Iterator[Product]:
        for vendor in vendors:
            catalogue = CATALOGUE[categories[vendor.category_id]]
            choices = rng.sample(range(len(catalogue.products)), len(catalogue.products))
            for i in range(per_vendor):
                name, description, low, high = catalogue.products[choices[i % len(choices)]]
                suffix = sizes[(i // len(choices)) % len(sizes)] + ("" if i < len(choices) * len(sizes) else f" {i}")
                price = _price(rng, low, high)
                partner = (price * Decimal("0.9")).quantize(Decimal("0.01")) if rng.random() < 0.3 else None
                variant = (vendor.pk * 7 + i) % PICTURE_POOL
                product = Product(
                    vendor=vendor,
                    category_id=vendor.category_id,
                    name=f"{name}{suffix}",
                    sku=f"V{vendor.pk}-{i + 1:03d}",
                    description=description,
                    price=price,
                    partner_price=partner,
                    stock=rng.choice([0, 3, 8, 12, 25, 40, 60, 100]),
                )
                product.image.name = (
                    _product_picture(catalogue, i, prefix=vendor.slug)
                    if own_pictures
                    else _product_picture(catalogue, variant)
                )
                yield product

    for batch in _batched(rows(), BATCH):
        Product.objects.bulk_create(batch)
        result.products_created += len(batch)
        bar.update(len(batch))
    bar.close()


def _create_memberships(
    rng: random.Random,
    consumer_ids: list[int],
    vendor_ids: list[int],
    per_consumer: int,
    progress: ProgressFactory,
    result: DemoResult,
) -> None:
    if not vendor_ids or per_consumer <= 0:
        return
    now = timezone.now()
    per_consumer = min(per_consumer, len(vendor_ids))
    # A few vendors serve badly: their partnerships end more often, mostly for bad service.
    bad = set(vendor_ids[:: max(1, len(vendor_ids) // 3)][:3]) if len(vendor_ids) > 6 else set()
    bar = progress(total=len(consumer_ids) * per_consumer, desc="memberships", unit="row")

    def rows() -> Iterator[tuple[PartnerMembership, str]]:
        for consumer_id in consumer_ids:
            for vendor_id in rng.sample(vendor_ids, per_consumer):
                started = now - timedelta(minutes=rng.randint(60, HISTORY_DAYS * 24 * 60))
                end_chance = 0.45 if vendor_id in bad else 0.15
                membership = PartnerMembership(consumer_id=consumer_id, vendor_id=vendor_id, started_at=started)
                if rng.random() < end_chance:
                    span = max(1, int((now - started).total_seconds() // 60) - 1)
                    membership.ended_at = started + timedelta(minutes=rng.randint(1, span))
                    membership.end_reason = (
                        EndReason.BAD_SERVICE if vendor_id in bad and rng.random() < 0.7 else (rng.choice(END_REASONS))
                    )
                yield membership, membership.end_reason

    for batch in _batched(rows(), BATCH):
        memberships = PartnerMembership.objects.bulk_create([m for m, _ in batch])
        events = []
        for m in memberships:
            events.append(
                MembershipEvent(
                    membership=m, vendor_id=m.vendor_id, kind=MembershipEvent.Kind.STARTED, created_at=m.started_at
                )
            )
            if m.ended_at:
                events.append(
                    MembershipEvent(
                        membership=m,
                        vendor_id=m.vendor_id,
                        kind=MembershipEvent.Kind.ENDED,
                        reason=m.end_reason,
                        created_at=m.ended_at,
                    )
                )
        MembershipEvent.objects.bulk_create(events, batch_size=BATCH)
        result.memberships_created += len(memberships)
        result.events_created += len(events)
        bar.update(len(batch))
    bar.close()


def _create_demo_vendor_partners(
    rng: random.Random, consumer_ids: list[int], vendor: Vendor, progress: ProgressFactory, result: DemoResult
) -> None:
    """Most generated consumers hold the demo vendor, over two years, a fifth of them ended with believable
    reasons: enough partners in every region, age band and interest for its insights to show real groups."""
    now = timezone.now()
    chosen = [c for c in consumer_ids if rng.random() < DEMO_VENDOR_PARTNER_SHARE]
    reasons = [EndReason.PRICE] * 4 + [EndReason.NOT_NEEDED] * 3 + [EndReason.QUALITY] * 2 + [EndReason.BAD_SERVICE]
    memberships = []
    for consumer_id in chosen:
        started = now - timedelta(minutes=rng.randint(60, HISTORY_DAYS * 24 * 60))
        membership = PartnerMembership(consumer_id=consumer_id, vendor=vendor, started_at=started)
        if rng.random() < 0.2:
            span = max(1, int((now - started).total_seconds() // 60) - 1)
            membership.ended_at = started + timedelta(minutes=rng.randint(1, span))
            membership.end_reason = rng.choice(reasons)
        memberships.append(membership)
    memberships = PartnerMembership.objects.bulk_create(memberships, batch_size=BATCH)
    events = [
        MembershipEvent(membership=m, vendor=vendor, kind=MembershipEvent.Kind.STARTED, created_at=m.started_at)
        for m in memberships
    ] + [
        MembershipEvent(
            membership=m, vendor=vendor, kind=MembershipEvent.Kind.ENDED, reason=m.end_reason, created_at=m.ended_at
        )
        for m in memberships
        if m.ended_at
    ]
    MembershipEvent.objects.bulk_create(events, batch_size=BATCH)
    result.memberships_created += len(memberships)
    result.events_created += len(events)


RATED_KEY = "demo-rated-"


def _create_rated_orders(rng: random.Random, progress: ProgressFactory) -> None:
    """Delivered orders with service ratings and short reviews for the first approved vendors, so their pages
    show a rating resting on enough buyers; most vendors serve well, a few do not."""
    from ..models import Checkout, Order, OrderLine, ServiceRating

    done = set(
        Order.objects.filter(checkout__idempotency_key__startswith=RATED_KEY).values_list("vendor_id", flat=True)
    )
    vendors = [v for v in Vendor.objects.approved().order_by("id")[:RATED_VENDORS] if v.pk not in done]
    bar = progress(total=len(vendors), desc="ratings", unit="vendor")
    for vendor in vendors:
        buyers = list(
            PartnerMembership.objects.filter(vendor=vendor, consumer__isnull=False)
            .order_by("consumer_id")
            .values_list("consumer_id", flat=True)
            .distinct()
        )
        products = list(vendor.products.filter(active=True).order_by("id")[:5])
        if not buyers or not products:
            bar.update(1)
            continue
        good = rng.random() > 0.15
        weights = [2, 2, 6, 30, 60] if good else [25, 25, 25, 15, 10]
        buyers = rng.sample(buyers, min(len(buyers), rng.randint(6, 14)))
        checkouts = Checkout.objects.bulk_create(
            Checkout(consumer_id=b, idempotency_key=f"{RATED_KEY}{vendor.pk}-{b}") for b in buyers
        )
        orders = []
        for checkout in checkouts:
            product = rng.choice(products)
            orders.append(
                Order(
                    checkout=checkout,
                    consumer_id=checkout.consumer_id,
                    vendor=vendor,
                    status=Order.Status.DELIVERED,
                    buyer_was_partner=True,
                    ship_to_name=f"Consumer {checkout.consumer_id}",
                    ship_to_address=f"{rng.randint(1, 200)} High Street",
                    subtotal=product.price,
                    total=product.price,
                )
            )
        orders = Order.objects.bulk_create(orders)
        OrderLine.objects.bulk_create(
            OrderLine(order=o, product=p, product_name=p.name, unit_price=p.price, quantity=1)
            for o, p in zip(orders, (rng.choice(products) for _ in orders), strict=False)
        )
        ratings = []
        for order in orders:
            score = rng.choices([1, 2, 3, 4, 5], weights=weights)[0]
            comment = rng.choice(REVIEWS[score]) if rng.random() < 0.6 else ""
            ratings.append(
                ServiceRating(order=order, vendor=vendor, consumer_id=order.consumer_id, score=score, comment=comment)
            )
        ServiceRating.objects.bulk_create(ratings)
        bar.update(1)
    bar.close()


def _named_vendor(
    accounts: dict[str, User],
    categories: list[Category],
    rng: random.Random,
    progress: ProgressFactory,
    result: DemoResult,
) -> Vendor:
    vendor = Vendor.objects.filter(owner=accounts[DEMO_VENDOR]).first()
    if vendor is None:
        vendor = Vendor.objects.create(
            owner=accounts[DEMO_VENDOR],
            name="Demo Coffee Roasters",
            slug="demo-coffee-roasters",
            category=categories[0],
            status=Vendor.Status.APPROVED,
            approved_at=timezone.now() - timedelta(days=400),
            description="Small-batch coffee roasted every Tuesday, delivered to our partners by bicycle.",
            contact_email=DEMO_VENDOR,
        )
        vendor.regions.set(Region.objects.filter(code__in=["london", "south-east"]))
        result.vendors_created += 1
        vendor.logo.name = _logo(CATALOGUE[categories[0].name], vendor.name, 0)
        vendor.save(update_fields=["logo"])
        _create_products(rng, [vendor], 10, progress, result, own_pictures=True)
    return vendor


def _demo_consumer_partners(consumer: User, demo_vendor: Vendor, result: DemoResult) -> None:
    """The demo consumer starts with three current partners, the demo vendor among them."""
    others = list(Vendor.objects.approved().exclude(pk=demo_vendor.pk).order_by("id")[:2])
    now = timezone.now()
    with transaction.atomic():
        for days, vendor in zip((120, 60, 30), [demo_vendor, *others], strict=False):
            started = now - timedelta(days=days)
            membership = PartnerMembership.objects.create(consumer=consumer, vendor=vendor, started_at=started)
            MembershipEvent.objects.create(
                membership=membership, vendor=vendor, kind=MembershipEvent.Kind.STARTED, created_at=started
            )
            result.memberships_created += 1
            result.events_created += 1


def _demo_orders_and_promotions(rng: random.Random, vendor: Vendor, demo_consumer: User) -> None:
    """The demo vendor gets a few orders to fulfil (one delivered, rated) and running promotions; the demo
    consumer has an order history. Placed through the real services, so stock, partner prices and
    deliveries behave as in use."""
    from promotions.models import Promotion
    from promotions.services import promotion_create, promotion_publish

    from ..models import Order
    from ..services import cart_add, checkout_place, order_rate

    now = timezone.now()
    promotion_create(
        vendor=vendor,
        title="Tuesday roast: 15% off for partners",
        kind=Promotion.Kind.PARTNERS,
        discount_value=Decimal("15"),
        starts_at=now - timedelta(minutes=1),
        ends_at=now + timedelta(days=30),
        description="Freshly roasted beans, for the people who chose us.",
    )
    promotion_create(
        vendor=vendor,
        title="New here? £3 off your first bag",
        kind=Promotion.Kind.PUBLIC,
        discount_type=Promotion.DiscountType.FIXED,
        discount_value=Decimal("3"),
        min_order=Decimal("15"),
        code="HELLO3",
        starts_at=now - timedelta(minutes=1),
        ends_at=now + timedelta(days=30),
    )
    for promotion in Promotion.objects.filter(vendor=vendor, state=Promotion.State.DRAFT):
        promotion_publish(vendor=vendor, promotion_id=promotion.pk)
    buyers = [
        demo_consumer,
        *User.objects.filter(memberships__vendor=vendor, memberships__ended_at__isnull=True)
        .exclude(pk=demo_consumer.pk)
        .order_by("id")[:5],
    ]
    products = list(vendor.products.filter(active=True, stock__gte=5).order_by("id")[:3])
    if not products:
        return
    for n, buyer in enumerate(buyers):
        cart_add(consumer=buyer, product_id=rng.choice(products).pk, quantity=1)
        checkout_place(
            consumer=buyer,
            idempotency_key=f"demo-{buyer.pk}",
            ship_to_name=str(buyer),
            ship_to_address=f"{n + 1} Demo Street, London",
        )
    first = Order.objects.filter(vendor=vendor, consumer=demo_consumer).first()
    if first is not None:
        Order.objects.filter(pk=first.pk).update(status=Order.Status.DELIVERED)
        order_rate(consumer=demo_consumer, order_id=first.pk, score=5, comment="Beans arrived the day after roasting.")


def _demo_ended_promotion(rng: random.Random, vendor: Vendor) -> None:
    """An ended partners promotion of the demo vendor with its reach, redemptions and partners' feedback, for
    its results page."""
    from promotions.models import Promotion, PromotionDelivery, PromotionFeedback

    from ..models import Checkout, Order, OrderLine, Redemption

    now = timezone.now()
    starts = now - timedelta(days=60)
    past = Promotion.objects.create(
        vendor=vendor,
        title="Summer espresso week: 20% off for partners",
        description="A thank-you to the partners who chose us.",
        kind=Promotion.Kind.PARTNERS,
        discount_value=Decimal("20"),
        starts_at=starts,
        ends_at=starts + timedelta(days=7),
        state=Promotion.State.ENDED,
    )
    reached = list(
        PartnerMembership.objects.filter(vendor=vendor, consumer__isnull=False, started_at__lt=starts)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=starts))
        .order_by("consumer_id")
        .values_list("consumer_id", flat=True)
    )
    PromotionDelivery.objects.bulk_create(
        PromotionDelivery(promotion=past, consumer_id=c, delivered_at=starts) for c in reached
    )
    products = list(vendor.products.filter(active=True).order_by("id")[:4])
    redeemers = rng.sample(reached, min(len(reached), 45)) if products else []
    checkouts = Checkout.objects.bulk_create(
        Checkout(consumer_id=c, idempotency_key=f"demo-summer-{c}") for c in redeemers
    )
    orders, lines = [], []
    for checkout in checkouts:
        product = rng.choice(products)
        quantity = rng.choice([1, 1, 2, 3])
        subtotal = product.price * quantity
        discount = (subtotal * Decimal("0.20")).quantize(Decimal("0.01"))
        orders.append(
            Order(
                checkout=checkout,
                consumer_id=checkout.consumer_id,
                vendor=vendor,
                status=Order.Status.DELIVERED,
                buyer_was_partner=True,
                ship_to_name=f"Consumer {checkout.consumer_id}",
                ship_to_address=f"{rng.randint(1, 200)} Station Road",
                subtotal=subtotal,
                discount=discount,
                total=subtotal - discount,
            )
        )
        lines.append((product, quantity))
    orders = Order.objects.bulk_create(orders)
    OrderLine.objects.bulk_create(
        OrderLine(order=o, product=p, product_name=p.name, unit_price=p.price, quantity=q)
        for o, (p, q) in zip(orders, lines, strict=True)
    )
    Redemption.objects.bulk_create(
        Redemption(promotion=past, order=o, consumer_id=o.consumer_id, amount=o.discount) for o in orders
    )
    # About a quarter of the reached partners say what they thought (most redeemers found it useful); the
    # reasons of the rest lean to price and relevance, with some "too frequent" for the audience preview.
    redeemed = set(redeemers)
    reasons = [
        (PromotionFeedback.Reason.PRICE, 35),
        (PromotionFeedback.Reason.NOT_RELEVANT, 30),
        (PromotionFeedback.Reason.TOO_FREQUENT, 20),
        (PromotionFeedback.Reason.OTHER, 10),
        ("", 5),
    ]
    feedback = []
    for consumer_id in reached:
        gave = rng.random() < (0.6 if consumer_id in redeemed else 0.22)
        if not gave:
            continue
        if rng.random() < (0.85 if consumer_id in redeemed else 0.4):
            feedback.append(
                PromotionFeedback(promotion=past, consumer_id=consumer_id, verdict=PromotionFeedback.Verdict.USEFUL)
            )
        else:
            reason = rng.choices([r for r, _ in reasons], weights=[w for _, w in reasons])[0]
            feedback.append(
                PromotionFeedback(
                    promotion=past,
                    consumer_id=consumer_id,
                    verdict=PromotionFeedback.Verdict.NOT_FOR_ME,
                    reason=reason,
                )
            )
    PromotionFeedback.objects.bulk_create(feedback)
    # Given while it ran (updated_at is stamped "now" on insert).
    PromotionFeedback.objects.filter(promotion=past).update(updated_at=starts + timedelta(days=2))


def seed_demo(scale: DemoScale, *, progress: ProgressFactory = _no_progress) -> DemoResult:
    """Load the demo data up to the given scale; a second run with the same scale adds nothing."""
    rng = random.Random(scale.seed)
    result = DemoResult()
    password_hash = make_password(DEMO_PASSWORD)
    with transaction.atomic():
        accounts = _named_accounts(password_hash)
        categories = _categories()
        demo_vendor = _named_vendor(accounts, categories, rng, progress, result)

    existing_vendors = User.objects.filter(email__endswith="@demo.example", email__startswith="owner").count()
    if existing_vendors < scale.vendors:
        with transaction.atomic():
            vendors = _create_vendors(
                random.Random(scale.seed + existing_vendors),
                existing_vendors,
                scale.vendors,
                password_hash,
                categories,
                progress,
                result,
            )
            _create_products(
                random.Random(scale.seed + 1 + existing_vendors), vendors, scale.products_per_vendor, progress, result
            )

    existing_consumers = User.objects.filter(email__endswith="@demo.example", email__startswith="consumer").count()
    if existing_consumers < scale.consumers:
        with transaction.atomic():
            _create_consumers(
                random.Random(scale.seed + 2 + existing_consumers),
                existing_consumers,
                scale.consumers,
                password_hash,
                progress,
                result,
            )
        new_ids = list(
            User.objects.filter(email__endswith="@demo.example", email__startswith="consumer")
            .order_by("id")
            .values_list("id", flat=True)[existing_consumers:]
        )
        vendor_ids = list(
            Vendor.objects.approved().exclude(pk=demo_vendor.pk).order_by("id").values_list("id", flat=True)
        )
        with transaction.atomic():
            _create_memberships(
                random.Random(scale.seed + 3 + existing_consumers),
                new_ids,
                vendor_ids,
                scale.memberships_per_consumer,
                progress,
                result,
            )
            _create_demo_vendor_partners(
                random.Random(scale.seed + 4 + existing_consumers), new_ids, demo_vendor, progress, result
            )

    demo_consumer = accounts[DEMO_CONSUMER]
    if not PartnerMembership.objects.filter(consumer=demo_consumer).exists():
        _demo_consumer_partners(demo_consumer, demo_vendor, result)
    if not demo_vendor.orders.exists():
        _demo_orders_and_promotions(rng, demo_vendor, demo_consumer)
        _demo_ended_promotion(rng, demo_vendor)
    with transaction.atomic():
        _create_rated_orders(random.Random(scale.seed + 5), progress)
    return result
