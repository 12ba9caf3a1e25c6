"""Demo trade: delivered and rated orders of the first vendors, and the demo vendor's orders, running
promotions and one ended promotion with its reach, redemptions and the partners' feedback."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from marketplace.accounts.models import User
from marketplace.shop.models import Checkout, Order, OrderLine, OrderPayout, Payment, Redemption, ServiceRating
from portfolios.models import PartnerMembership
from promotions.models import Promotion, PromotionDelivery, PromotionFeedback
from promotions.services import AudienceTooSmallError, promotion_create, promotion_publish
from vendors.models import Product, Vendor

from .bulk import ProgressFactory, insert_rows
from .catalogue import REVIEWS, STREETS, TOWNS
from .payments import demo_payments_record

RATED_VENDORS = 300  # vendors that get delivered, rated orders (the first ones, by id)
RATED_KEY = "demo-rated-"
HISTORY_DAYS = 180  # the rated orders were placed over the last six months
# Orders and their ratings: set-based, in chunks of this many rows per UPDATE.
DATES_CHUNK = 1000


def demo_address(rng: random.Random) -> str:
    return f"{rng.randint(1, 220)} {rng.choice(STREETS)}, {rng.choice(TOWNS)}"


def orders_date(placed: dict[int, datetime]) -> None:
    """Date these orders (id -> when placed) and what goes with each: its checkout, payment (paid when placed),
    payout and redemption at that moment; a shipped, delivered or cancelled order was last changed, and rated,
    three days later (never in the future). The demo writes its orders now and then dates them, as auto_now_add
    leaves no way to give bulk-created rows their time."""
    if not placed:
        return
    now = timezone.now()
    table = connection.ops.quote_name(Order._meta.db_table)
    items = sorted(placed.items())
    with connection.cursor() as cursor:
        for start in range(0, len(items), DATES_CHUNK):
            chunk = items[start : start + DATES_CHUNK]
            values = ", ".join(["(%s, %s::timestamptz)"] * len(chunk))
            cursor.execute(
                f"UPDATE {table} o SET created_at = v.placed, updated_at = CASE WHEN o.status IN %s THEN v.placed "
                f"ELSE LEAST(v.placed + interval '3 days', %s) END FROM (VALUES {values}) AS v(id, placed) "
                "WHERE o.id = v.id",
                [(Order.Status.AWAITING_PAYMENT, Order.Status.PAID), now, *[x for pair in chunk for x in pair]],
            )
    ids = [pk for pk, _ in items]
    order_placed = Order.objects.filter(checkout=OuterRef("checkout_id")).order_by("created_at").values("created_at")
    Checkout.objects.filter(orders__in=ids).update(
        created_at=Subquery(
            Order.objects.filter(checkout=OuterRef("pk")).order_by("created_at").values("created_at")[:1]
        )
    )
    Payment.objects.filter(checkout__orders__in=ids).update(
        created_at=Subquery(order_placed[:1]), paid_at=Subquery(order_placed[:1])
    )
    this_order = Order.objects.filter(pk=OuterRef("order_id"))
    OrderPayout.objects.filter(order__in=ids).update(created_at=Subquery(this_order.values("created_at")[:1]))
    Redemption.objects.filter(order__in=ids).update(created_at=Subquery(this_order.values("created_at")[:1]))
    ServiceRating.objects.filter(order__in=ids).update(created_at=Subquery(this_order.values("updated_at")[:1]))


def rated_orders_create(rng: random.Random, progress: ProgressFactory) -> None:
    """Delivered orders with service ratings and short reviews for the first approved vendors, so their pages
    show a rating resting on enough buyers; most vendors serve well, a few do not. One query for all buyers
    and one for all products, then one bulk write per table."""
    done = set(
        Order.objects.filter(checkout__idempotency_key__startswith=RATED_KEY).values_list("vendor_id", flat=True)
    )
    vendors = [v for v in Vendor.objects.approved().order_by("id")[:RATED_VENDORS] if v.pk not in done]
    ids = [v.pk for v in vendors]
    buyers_of: dict[int, list[int]] = defaultdict(list)
    for vendor_id, consumer_id in (
        PartnerMembership.objects.filter(vendor_id__in=ids, consumer__isnull=False)
        .order_by("vendor_id", "consumer_id")
        .values_list("vendor_id", "consumer_id")
        .distinct()
    ):
        buyers_of[vendor_id].append(consumer_id)
    products_of: dict[int, list[Product]] = defaultdict(list)
    for product in Product.objects.filter(vendor_id__in=ids, active=True).order_by("vendor_id", "id"):
        if len(products_of[product.vendor_id]) < 5:
            products_of[product.vendor_id].append(product)
    names = dict(
        User.objects.filter(pk__in={c for buyers in buyers_of.values() for c in buyers}).values_list(
            "id", "display_name"
        )
    )
    now = timezone.now()
    bar = progress(total=len(vendors), desc="ratings", unit="vendor")
    checkouts, orders, lines, ratings, placed_at = [], [], [], [], []
    for vendor in vendors:
        buyers, products = buyers_of[vendor.pk], products_of[vendor.pk]
        bar.update(1)
        if not buyers or not products:
            continue
        good = rng.random() > 0.15
        weights = [2, 2, 6, 30, 60] if good else [25, 25, 25, 15, 10]
        buyers = rng.sample(buyers, min(len(buyers), rng.randint(6, 14)))
        placed = []
        for buyer in buyers:
            product = rng.choice(products)
            checkout = Checkout(consumer_id=buyer, idempotency_key=f"{RATED_KEY}{vendor.pk}-{buyer}")
            order = Order(
                checkout=checkout,
                consumer_id=buyer,
                vendor=vendor,
                status=Order.Status.DELIVERED,
                buyer_was_partner=True,
                ship_to_name=names.get(buyer, ""),
                ship_to_address=demo_address(rng),
                subtotal=product.price,
                total=product.price,
            )
            # Delivered and rated: placed at least four days ago, over the last six months.
            placed_at.append(now - timedelta(minutes=rng.randint(4 * 1440, HISTORY_DAYS * 1440)))
            checkouts.append(checkout)
            placed.append(order)
            # The line is the product the order was priced from, so its total is what its line says.
            lines.append(
                OrderLine(order=order, product=product, product_name=product.name, unit_price=product.price, quantity=1)
            )
        for order in placed:
            score = rng.choices([1, 2, 3, 4, 5], weights=weights)[0]
            comment = rng.choice(REVIEWS[score]) if rng.random() < 0.6 else ""
            ratings.append(
                # A rating given with text is a review shown on the vendor's page, as order_rate makes it.
                ServiceRating(
                    order=order,
                    vendor=vendor,
                    consumer_id=order.consumer_id,
                    score=score,
                    comment=comment,
                    public=bool(comment),
                )
            )
        orders.extend(placed)
    # Each bulk_create gives its rows their ids, which the rows of the next table then take (Django fills a
    # foreign key from a related object saved after the assignment).
    Checkout.objects.bulk_create(checkouts)
    Order.objects.bulk_create(orders)
    OrderLine.objects.bulk_create(lines)
    ServiceRating.objects.bulk_create(ratings)
    demo_payments_record(orders=orders)
    orders_date({order.pk: when for order, when in zip(orders, placed_at, strict=True)})
    bar.close()


def demo_orders_and_promotions_create(rng: random.Random, vendor: Vendor, demo_consumer: User) -> None:
    """The demo vendor gets a few orders to fulfil (one delivered, rated) and running promotions; the demo
    consumer has an order history. Placed and paid (the fake provider's test card) through the real services,
    so stock, partner prices, payments and deliveries behave as in use."""
    from django.conf import settings
    from django.urls import reverse

    from marketplace.shop.payments.fake import CARD_SUCCEEDS
    from marketplace.shop.payments.services import payment_confirm, payment_start
    from marketplace.shop.services import cart_add, checkout_place, order_rate

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
        title="New here? A welcome discount on your first bag",
        kind=Promotion.Kind.PUBLIC,
        discount_type=Promotion.DiscountType.FIXED,
        discount_value=Decimal("3"),
        min_order=Decimal("15"),
        code="HELLO3",
        starts_at=now - timedelta(minutes=1),
        ends_at=now + timedelta(days=30),
    )
    for promotion in Promotion.objects.filter(vendor=vendor, state=Promotion.State.DRAFT):
        try:
            promotion_publish(vendor=vendor, promotion_id=promotion.pk)
        except AudienceTooSmallError:  # a demo of a handful of consumers: the partners' promotion stays a draft
            continue
    buyers = [
        demo_consumer,
        *User.objects.filter(memberships__vendor=vendor, memberships__ended_at__isnull=True)
        .exclude(pk=demo_consumer.pk)
        .order_by("id")[:5],
    ]
    products = list(vendor.products.filter(active=True, stock__gte=5).order_by("id")[:3])
    if not products:
        return
    placed_at: dict[int, datetime] = {}
    for n, buyer in enumerate(buyers):
        cart_add(consumer=buyer, product_id=rng.choice(products).pk, quantity=1)
        placed = checkout_place(
            consumer=buyer,
            idempotency_key=f"demo-{buyer.pk}",
            ship_to_name=buyer.display_name or str(buyer),
            ship_to_address=f"{n + 1} {STREETS[n % len(STREETS)]}, London",
        )
        # Waiting to be shipped: placed over the last three days, the newest first in the vendor's list.
        placed_at.update({order.pk: now - timedelta(hours=5 + n * 13) for order in placed.orders})
        payment_start(payment_id=placed.payment.pk)
        payment_confirm(
            consumer=buyer,
            checkout_id=placed.checkout.pk,
            payment_method=CARD_SUCCEEDS,
            return_url=settings.SITE_URL + reverse("shop:checkout-pay-return", args=[placed.checkout.pk]),
        )
    first = Order.objects.filter(vendor=vendor, consumer=demo_consumer).first()
    if first is not None:
        Order.objects.filter(pk=first.pk).update(status=Order.Status.DELIVERED)
        order_rate(consumer=demo_consumer, order_id=first.pk, score=5, comment="Beans arrived the day after roasting.")
        placed_at[first.pk] = now - timedelta(days=19, hours=3)  # the demo consumer's delivered order
    orders_date(placed_at)


def demo_ended_promotion_create(rng: random.Random, vendor: Vendor) -> None:
    """An ended partners promotion of the demo vendor with its reach, redemptions and partners' feedback, for
    its results page."""
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
    insert_rows(
        PromotionDelivery, ["promotion_id", "consumer_id", "delivered_at"], [(past.pk, c, starts) for c in reached]
    )
    products = list(vendor.products.filter(active=True).order_by("id")[:4])
    redeemers = rng.sample(reached, min(len(reached), 45)) if products else []
    checkouts = Checkout.objects.bulk_create(
        Checkout(consumer_id=c, idempotency_key=f"demo-summer-{c}") for c in redeemers
    )
    names = dict(User.objects.filter(pk__in=redeemers).values_list("id", "display_name"))
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
                ship_to_name=names.get(checkout.consumer_id, ""),
                ship_to_address=demo_address(rng),
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
    demo_payments_record(orders=orders)
    # Placed while the promotion ran.
    orders_date({o.pk: starts + timedelta(minutes=rng.randint(30, 7 * 1440 - 30)) for o in orders})
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
            feedback.append((past.pk, consumer_id, PromotionFeedback.Verdict.USEFUL.value, ""))
        else:
            reason = rng.choices([r for r, _ in reasons], weights=[w for _, w in reasons])[0]
            feedback.append((past.pk, consumer_id, PromotionFeedback.Verdict.NOT_FOR_ME.value, str(reason)))
    insert_rows(PromotionFeedback, ["promotion_id", "consumer_id", "verdict", "reason"], feedback)
    # Given while it ran (updated_at is stamped "now" on insert).
    PromotionFeedback.objects.filter(promotion=past).update(updated_at=starts + timedelta(days=2))
