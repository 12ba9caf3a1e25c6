"""Demo asks (issue 33): a few open and awarded asks around the demo vendor, written through the asks' services
so every rule holds (only partners in the category see them; the awarded ones have their order)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from marketplace.accounts.models import User
from marketplace.asks.models import Ask
from marketplace.asks.services import ask_draft_create, ask_publish, offer_accept, offer_make
from marketplace.shop.models import Order, Payment
from portfolios.models import PartnerMembership
from vendors.models import Vendor

from .payments import demo_payments_record

ASKS = [
    ("Something for a birthday under 40", "Wrapped if possible; delivered by Saturday.", Decimal("40")),
    ("A bundle for a new flat", "Starter set, nothing fancy; I can collect.", Decimal("120")),
    ("Ten of your best seller for an office party", "Delivered to one address on a weekday.", Decimal("250")),
    ("A gift card alternative", "Something I can post to a friend abroad.", None),
]


def _open(consumer: User, vendor: Vendor, title: str, text: str, budget: Decimal | None, days: int) -> Ask:
    draft = ask_draft_create(
        consumer=consumer,
        category_id=vendor.category_id,
        title=title,
        description=text,
        budget=budget,
        budget_visible=budget is not None,
        respond_by=timezone.now() + timedelta(days=days),
    )
    return ask_publish(consumer=consumer, ask_id=draft.pk)


def _paid(orders: list[Order]) -> None:
    """The awarded asks' orders paid, as the demo's other orders are: the fake provider's record of the payment
    in place of the one still to be started, the orders paid, their payouts held."""
    Payment.objects.filter(checkout_id__in={o.checkout_id for o in orders}).delete()
    demo_payments_record(orders=orders)
    Order.objects.filter(pk__in=[o.pk for o in orders]).update(status=Order.Status.PAID)


def demo_asks_create(*, demo_consumer: User, demo_vendor: Vendor) -> int:
    """Once: the demo consumer's open ask with the demo vendor's offer, two of the demo vendor's partners' asks
    awarded to it (their orders paid), and one open ask it has not answered yet. Returns how many asks."""
    if Ask.objects.exists():
        return 0
    partner_ids = list(
        PartnerMembership.objects.active()
        .filter(vendor=demo_vendor)
        .exclude(consumer=demo_consumer)
        .exclude(consumer__isnull=True)
        .order_by("consumer_id")
        .values_list("consumer_id", flat=True)[:3]
    )
    partners = list(User.objects.filter(pk__in=partner_ids).order_by("id"))
    made = 0
    valid = timezone.now() + timedelta(days=3)
    if PartnerMembership.objects.active().filter(consumer=demo_consumer, vendor=demo_vendor).exists():
        title, text, budget = ASKS[0]
        ask = _open(demo_consumer, demo_vendor, title, text, budget, days=5)
        offer_make(vendor=demo_vendor, ask_id=ask.pk, price=budget * Decimal("0.9"), valid_until=valid, included=text)
        made += 1
    for consumer, (title, text, budget) in zip(partners[:2], ASKS[1:3], strict=False):
        ask = _open(consumer, demo_vendor, title, text, budget, days=4)
        price = (budget or Decimal("30")) * Decimal("0.95")
        offer = offer_make(vendor=demo_vendor, ask_id=ask.pk, price=price, valid_until=valid, included="As asked")
        with transaction.atomic():
            result = offer_accept(
                consumer=consumer,
                ask_id=ask.pk,
                offer_id=offer.pk,
                ship_to_name=consumer.display_name or "Demo buyer",
                ship_to_address="1 Demo Street",
            )
            _paid(result.orders)
        made += 1
    if len(partners) > 2:
        title, text, budget = ASKS[3]
        _open(partners[2], demo_vendor, title, text, budget, days=6)
        made += 1
    return made
