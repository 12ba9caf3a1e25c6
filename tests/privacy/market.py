"""A small marketplace for the privacy tests: partners with shared attributes, promotions, redemptions."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from marketplace.accounts.models import ConsumerProfile, Interest, Region, User
from marketplace.accounts.services import profile_update
from marketplace.shop.models import Order
from marketplace.shop.services import cart_add, checkout_place
from portfolios.models import MembershipEvent, PartnerMembership
from portfolios.services import membership_start
from promotions import services as promo
from promotions.models import Promotion
from tests.factories import ProductFactory, UserFactory
from vendors.models import Product, Vendor


def partners(
    vendor: Vendor,
    n: int,
    *,
    region: str = "london",
    age_band: str = "35-44",
    interest: str | None = None,
    share: bool = True,
    cap: int = 5,
) -> list[User]:
    """`n` new consumers who share region, age band (and an interest, if given) and hold `vendor`."""
    consumers = []
    for _ in range(n):
        consumer = UserFactory()
        profile_update(
            user=consumer,
            region=Region.objects.get(code=region),
            age_band=age_band,
            interests=[Interest.objects.get(slug=interest)] if interest else [],
            share_region=share,
            share_age_band=share,
            share_interests=share and interest is not None,
            weekly_promotion_cap=cap,
        )
        membership_start(consumer=consumer, vendor_id=vendor.pk)
        consumers.append(consumer)
    return consumers


def puppets(
    vendor: Vendor,
    n: int,
    *,
    region: str = "london",
    age_band: str = "35-44",
    interest: str | None = None,
    joined_days_ago: int = 0,
    partner_days_ago: int = 0,
) -> list[User]:
    """`n` accounts the vendor made for the purpose: signed up `joined_days_ago` (today by default), no order
    delivered by two vendors, sharing what the vendor wants to calibrate and holding it since `partner_days_ago`.
    The attacker of docs/privacy.md (issue 29): none of them counts in a figure the vendor reads."""
    now = timezone.now()
    accounts = []
    for _ in range(n):
        account = UserFactory(date_joined=now - timedelta(days=joined_days_ago))
        ConsumerProfile.objects.filter(user=account).update(buyer_since=None)
        profile_update(
            user=account,
            region=Region.objects.get(code=region),
            age_band=age_band,
            interests=[Interest.objects.get(slug=interest)] if interest else [],
            share_region=True,
            share_age_band=True,
            share_interests=interest is not None,
            weekly_promotion_cap=5,
        )
        membership = membership_start(consumer=account, vendor_id=vendor.pk)
        if partner_days_ago:
            started = now - timedelta(days=partner_days_ago)
            PartnerMembership.objects.filter(pk=membership.pk).update(started_at=started)
            MembershipEvent.objects.filter(membership_id=membership.pk).update(created_at=started)
        accounts.append(account)
    return accounts


def draft(vendor: Vendor, *, starts_in: timedelta = timedelta(minutes=-1), **extra: object) -> Promotion:
    now = timezone.now()
    return promo.promotion_create(
        vendor=vendor,
        title=str(extra.pop("title", "Partners 10%")),
        discount_value=Decimal("10"),
        starts_at=now + starts_in,
        ends_at=now + starts_in + timedelta(days=3),
        **extra,  # type: ignore[arg-type]
    )


def buy(consumer: User, product: Product, key: str) -> Order:
    """One order of `product`; a running promotion delivered to the consumer is redeemed on it."""
    cart_add(consumer=consumer, product_id=product.pk, quantity=1)
    return checkout_place(consumer=consumer, idempotency_key=key, ship_to_name="P", ship_to_address="1 Lane").orders[0]


def product_of(vendor: Vendor) -> Product:
    return ProductFactory(vendor=vendor, price=Decimal("20.00"), stock=500)
