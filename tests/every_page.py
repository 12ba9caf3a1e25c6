"""The pages of the three roles (a shopper, a vendor, a moderator) over the demo marketplace with a row in every
list: what tests/browser/test_every_page.py measures in a browser and tests/i18n/test_pseudo_locale.py reads for
untranslated words."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.management import call_command

from marketplace.accounts.demo import DEMO_CONSUMER, DEMO_MODERATOR, DEMO_VENDOR
from marketplace.accounts.models import User
from marketplace.accounts.services import api_token_create
from marketplace.asks.models import Ask
from marketplace.shop.models import Order
from marketplace.shop.services import address_save, cart_add, checkout_place, shipping_policy_set
from portfolios.models import EndReason
from portfolios.services import membership_end, membership_start
from portfolios.services.stats import stats_reconcile_all
from promotions.models import Promotion
from vendors.models import Product, Vendor
from vendors.moderation.services import report_create, vendor_suspend


@dataclass
class Site:
    pages: dict[str, list[str]]
    compare: str  # the compare page's address
    compared: list[str]  # the names of the vendors it compares, in order


def _seed() -> None:
    # 14 vendors: the generated ones include one waiting for approval and one suspended (marketplace/demo/shops.py).
    call_command(
        "seed_demo",
        "--consumers",
        "40",
        "--vendors",
        "14",
        "--products-per-vendor",
        "3",
        "--memberships-per-consumer",
        "2",
        "--no-progress",
        verbosity=0,
    )


def every_page_site() -> Site:
    """The demo marketplace with a row in every list of the three roles, and the pages each role sees (call it
    with a database and the reference data)."""
    _seed()
    consumer = User.objects.get(email=DEMO_CONSUMER)
    moderator = User.objects.get(email=DEMO_MODERATOR)
    vendor = Vendor.objects.get(owner__email=DEMO_VENDOR)
    shipping_policy_set(
        vendor=vendor, flat_rate=Decimal("3.95"), free_over=Decimal("40.00"), region_rates={"london": Decimal("2.50")}
    )
    others = list(Vendor.objects.approved().exclude(pk=vendor.pk).order_by("id")[:4])

    # The shopper: a cart from two vendors, a checkout waiting for payment, an ended partnership in the history,
    # a token, and three vendors to compare.
    products = [
        Product.objects.filter(vendor=v, active=True, stock__gte=3).order_by("id").first() for v in (vendor, others[0])
    ]
    cart_add(consumer=consumer, product_id=products[0].pk, quantity=1)
    unpaid = checkout_place(
        consumer=consumer, idempotency_key="every-page", ship_to_name="Demo", ship_to_address="1 Lane"
    )
    for product in products:
        cart_add(consumer=consumer, product_id=product.pk, quantity=2)
    ended = others[3]
    membership_start(consumer=consumer, vendor_id=ended.pk)
    membership_end(consumer=consumer, vendor_id=ended.pk, reason=EndReason.PRICE, comment="Cheaper elsewhere")
    api_token_create(user=consumer, name="My phone's shopping app")
    address = address_save(
        consumer=consumer, label="Home", name="Demo Shopper", address="14 Long Lane\nLondon SE1 4PG", region="london"
    )
    order = Order.objects.filter(consumer=consumer).order_by("-id").first()

    # The moderator: a report, a suspension with its reason in the audit log.
    report_create(
        reporter=consumer,
        vendor_id=others[1].pk,
        reason="not_delivered",
        text="Ordered three weeks ago, paid, and nothing has arrived; two e-mails went unanswered.",
    )
    vendor_suspend(
        moderator=moderator,
        vendor_id=others[2].pk,
        reason="Repeated reports of orders paid for and never delivered, confirmed with the payment provider.",
    )
    stats_reconcile_all()

    promotion = Promotion.objects.filter(vendor=vendor).order_by("id").first()
    ended_promotion = Promotion.objects.filter(vendor=vendor, state=Promotion.State.ENDED).first() or promotion
    product = Product.objects.filter(vendor=vendor).order_by("id").first()
    vendor_order = vendor.orders.order_by("-id").first()
    pending = Vendor.objects.filter(status=Vendor.Status.PENDING).first()
    compared = [vendor, *others[:2]]
    compare = "/vendors/compare/?" + "&".join(f"v={v.slug}" for v in compared)
    common = ["/", "/help/", "/terms/", "/privacy/"]
    # The demo consumer's open ask (the demo vendor has offered on it), for both sides' ask pages.
    ask = Ask.objects.filter(consumer__email=DEMO_CONSUMER, state=Ask.State.OPEN).values_list("pk", flat=True).first()
    return Site(
        compare=compare,
        compared=[v.name for v in compared],
        pages={
            DEMO_CONSUMER: [
                *common,
                "/vendors/",
                compare,
                vendor.get_absolute_url(),
                product.get_absolute_url(),
                "/search/?q=coffee",
                "/search/",
                "/portfolio/",
                "/portfolio/digest/",
                f"/portfolio/end/{others[0].pk}/",
                "/asks/",
                "/asks/new/",
                f"/asks/{ask}/",
                "/cart/",
                "/checkout/",
                f"/checkout/{unpaid.checkout.pk}/pay/",
                "/orders/",
                f"/orders/{order.pk}/",
                "/account/",
                "/account/tokens/",
                "/account/addresses/",
                f"/account/addresses/{address.pk}/",
                "/account/delete/",
                "/accounts/email/",
                "/accounts/password/change/",
                "/sell/",
                f"/moderation/report/{others[0].slug}/",
            ],
            DEMO_VENDOR: [
                "/sell/",
                "/sell/profile/",
                "/sell/shipping/",
                "/sell/products/",
                "/sell/products/new/",
                f"/sell/products/{product.pk}/edit/",
                "/sell/products/import/",
                "/sell/orders/",
                f"/sell/orders/{vendor_order.pk}/",
                "/sell/insights/",
                "/sell/payouts/",
                "/sell/promotions/",
                "/sell/promotions/new/",
                f"/sell/promotions/{promotion.pk}/",
                f"/sell/promotions/{ended_promotion.pk}/results/",
                "/sell/asks/",
                f"/sell/asks/{ask}/",
                "/sell/asks/insights/",
            ],
            DEMO_MODERATOR: [
                "/moderation/",
                "/moderation/vendors/",
                f"/moderation/vendors/{pending.pk}/",
                f"/moderation/vendors/{others[2].pk}/",
                "/moderation/reports/",
                "/moderation/reviews/",
                "/moderation/asks/",
                "/moderation/audit/",
            ],
        },
    )
