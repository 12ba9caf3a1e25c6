import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q, Sum
from django.test import Client
from django.utils import timezone

from marketplace.accounts.demo import DEMO_CONSUMER, DEMO_MODERATOR, DEMO_PASSWORD, DEMO_VENDOR
from marketplace.accounts.models import ConsumerProfile, User
from marketplace.demo.chinese import SHOPS
from portfolios.models import MembershipEvent, PartnerMembership
from vendors.models import Product, Vendor, VendorCatalogueStats

ROOT = Path(__file__).resolve().parents[2]

SMALL = [
    "--consumers",
    "50",
    "--vendors",
    "10",
    "--products-per-vendor",
    "3",
    "--memberships-per-consumer",
    "2",
    "--seed",
    "7",
    "--no-progress",
]


def _figures() -> dict[str, int]:
    return {
        "consumers": User.objects.filter(email__startswith="consumer", email__endswith="@demo.example").count(),
        "vendors": Vendor.objects.count(),
        "products": Product.objects.count(),
        "memberships": PartnerMembership.objects.count(),
        "events": MembershipEvent.objects.count(),
    }


def _fingerprint() -> list[tuple[str, str, str]]:
    return list(
        PartnerMembership.objects.order_by("consumer__email", "vendor__slug").values_list(
            "consumer__email", "vendor__slug", "end_reason"
        )
    )


@pytest.mark.django_db
def test_seed_demo_creates_the_requested_scale_and_named_accounts():
    call_command("seed_demo", *SMALL, verbosity=0)
    figures = _figures()
    assert figures["consumers"] == 50
    # ten generated, the named demo vendor and the shops writing in Chinese (marketplace/demo/chinese.py)
    assert figures["vendors"] == 11 + len(SHOPS)
    assert figures["products"] == 10 * 3 + 10 + sum(len(shop.products) for shop in SHOPS)
    demo_vendor = Vendor.objects.get(owner__email=DEMO_VENDOR)
    generated_hold_demo_vendor = PartnerMembership.objects.filter(
        vendor=demo_vendor, consumer__email__endswith="@demo.example"
    ).count()
    assert 0.7 * 50 <= generated_hold_demo_vendor <= 0.98 * 50  # most generated consumers chose the demo vendor
    # Each generated consumer holds two other vendors; the demo consumer holds three.
    assert figures["memberships"] == 50 * 2 + 3 + generated_hold_demo_vendor
    ended = PartnerMembership.objects.filter(ended_at__isnull=False).count()
    assert figures["events"] == figures["memberships"] + ended
    for email in (DEMO_CONSUMER, DEMO_VENDOR, DEMO_MODERATOR):
        assert authenticate(email=email, password=DEMO_PASSWORD) is not None
    assert User.objects.get(email=DEMO_MODERATOR).groups.filter(name="Moderators").exists()
    # Only approved vendors ever receive memberships.
    assert not PartnerMembership.objects.exclude(vendor__status=Vendor.Status.APPROVED).exists()


@pytest.mark.django_db
def test_seed_demo_twice_adds_nothing():
    call_command("seed_demo", *SMALL, verbosity=0)
    first = _figures()
    call_command("seed_demo", *SMALL, verbosity=0)
    assert _figures() == first


@pytest.mark.django_db
def test_seed_demo_same_seed_gives_same_data():
    call_command("seed_demo", *SMALL, verbosity=0)
    first = _fingerprint()
    from marketplace.shop.models import (
        Checkout,
        FakeProviderEvent,
        FakeProviderObject,
        Order,
        Payment,
        Redemption,
        Refund,
        ServiceRating,
        WebhookEvent,
    )
    from promotions.models import Promotion, PromotionDelivery

    ServiceRating.objects.all().delete()
    Redemption.objects.all().delete()
    PromotionDelivery.objects.all().delete()
    Refund.objects.all().delete()
    Payment.objects.all().delete()
    for model in (FakeProviderObject, FakeProviderEvent, WebhookEvent):
        model.objects.all().delete()
    Order.objects.all().delete()
    Checkout.objects.all().delete()
    Promotion.objects.all().delete()
    MembershipEvent.objects.all().delete()
    PartnerMembership.objects.all().delete()
    Product.objects.all().delete()
    Vendor.objects.all().delete()
    User.objects.all().delete()
    call_command("seed_demo", *SMALL, verbosity=0)
    assert _fingerprint() == first


@pytest.mark.django_db
def test_seed_demo_orders_are_paid_through_the_fake_providers_records():
    """Every demo order that is not cancelled has its checkout's payment, succeeded at the fake provider for the
    orders' exact total, and its payout; the reconciliation finds nothing to flag."""
    from marketplace.shop.models import FakeProviderObject, Order, OrderPayout, Payment
    from marketplace.shop.payments.money import to_minor
    from marketplace.shop.payments.services import payments_reconcile

    call_command("seed_demo", *SMALL, verbosity=0)

    orders = Order.objects.exclude(status=Order.Status.CANCELLED)
    assert orders.exists() and not orders.filter(status=Order.Status.AWAITING_PAYMENT).exists()
    assert not orders.filter(checkout__payment__isnull=True).exists()
    assert OrderPayout.objects.count() == orders.count()
    for payment in Payment.objects.prefetch_related("checkout__orders"):
        record = FakeProviderObject.objects.get(ref=payment.provider_ref)
        total = sum(to_minor(o.total) for o in payment.checkout.orders.all())
        assert payment.status == "succeeded" and payment.amount_minor == total == record.data["amount_received"]
    # The demo's orders were placed over the last six months: reconcile that far back.
    result = payments_reconcile(days=365)
    assert result.differences == {} and result.payments_compared == Payment.objects.count()


@pytest.mark.django_db
def test_seed_demo_refuses_bad_arguments_and_changes_nothing():
    with pytest.raises(CommandError):
        call_command("seed_demo", "--vendors", "2", "--memberships-per-consumer", "5", "--no-progress", verbosity=0)
    assert Vendor.objects.count() == 0
    with pytest.raises(CommandError):
        call_command("seed_demo", "--consumers", "-3", verbosity=0)


@pytest.mark.django_db
def test_seed_demo_reads_like_a_marketplace_with_pictures():
    """Vendors are named and described each in their own words, sell what their trade sells (a roaster coffee,
    a tea merchant tea), every vendor has a logo and every product the picture of its kind (a belt and a beanie
    differ), and rated vendors show reviews."""
    from django.core.files.storage import default_storage
    from PIL import Image

    from marketplace.demo.catalogue import CATALOGUE, trade_of
    from marketplace.shop.models import ServiceRating

    call_command("seed_demo", *SMALL, verbosity=0)
    # The shops writing in Chinese have catalogues of their own (marketplace/demo/chinese.py, tests/i18n).
    vendors = list(Vendor.objects.select_related("category").exclude(slug__in=[shop.slug for shop in SHOPS]))
    for vendor in vendors:
        trade = trade_of(CATALOGUE[vendor.category.name], vendor.name)
        assert vendor.logo and default_storage.exists(vendor.logo.name)
        assert not any(ch.isdigit() for ch in vendor.name), vendor.name  # no "Little Paws 34"
        names = {name for name, *_ in trade.products}
        for product in vendor.products.all():
            assert any(product.name.startswith(n) for n in names), (vendor.name, product.name)
            assert product.image and default_storage.exists(product.image.name)
    # Each vendor has a first word and a description of its own
    assert len({v.name.split()[0] for v in vendors}) == len(vendors)
    assert len({v.description for v in vendors}) == len(vendors)
    with default_storage.open(Product.objects.first().image.name) as picture:
        assert Image.open(picture).size == (480, 360)
    # One picture per kind of product: products of one kind share it, products of different kinds do not
    by_kind: dict[str, set[str]] = {}
    for category in CATALOGUE.values():
        for name, _description, _low, _high, kind in category.products:
            for image in Product.objects.filter(name__startswith=name).values_list("image", flat=True):
                by_kind.setdefault(kind, set()).add(image)
    assert by_kind and all(len(images) == 1 for images in by_kind.values())
    assert len({next(iter(images)) for images in by_kind.values()}) == len(by_kind)
    assert ServiceRating.objects.exclude(comment="").exists()
    # Reviews (ratings with text) show on the vendors' pages, as the buyers' own reviews do
    assert not ServiceRating.objects.exclude(comment="").filter(public=False).exists()
    reviewed = ServiceRating.objects.filter(public=True).values_list("vendor__slug", flat=True).first()
    page = Client().get(f"/vendors/{reviewed}/").content.decode()
    assert "No reviews yet" not in page and 'class="review-text"' in page
    rated = ServiceRating.objects.values("vendor").distinct().count()
    assert rated >= Vendor.objects.approved().count() - 1


@pytest.mark.django_db
def test_seed_demo_roasters_sell_coffee_and_tea_merchants_tea():
    from marketplace.demo.catalogue import CATALOGUE, CATEGORIES
    from marketplace.demo.shops import vendor_name

    call_command("seed_demo", *SMALL[:2], "--vendors", "40", *SMALL[4:], verbosity=0)
    names = [vendor_name(n, CATALOGUE[CATEGORIES[n % len(CATEGORIES)]]) for n in range(40)]
    assert len(set(names)) == 40
    roasters = Vendor.objects.filter(name__contains="Roast")
    tea = Vendor.objects.filter(name__contains="Tea ")
    assert roasters.exists() and tea.exists()
    for vendor in roasters:
        assert not vendor.products.filter(name__iregex=r"tea|tisane").exists(), vendor.name
    for vendor in tea:
        assert not vendor.products.filter(name__iregex=r"beans|espresso|decaf").exists(), vendor.name


@pytest.mark.django_db
def test_seed_demo_people_have_names_and_orders_spread_over_months():
    from marketplace.shop.models import Order, Payment, ServiceRating

    call_command("seed_demo", *SMALL, verbosity=0)
    generated = User.objects.filter(email__endswith="@demo.example")
    assert not generated.filter(Q(display_name__startswith="Consumer") | Q(display_name__startswith="Owner")).exists()
    assert all(len(name.split()) == 2 for name in generated.values_list("display_name", flat=True))
    assert generated.values("display_name").distinct().count() > 0.9 * generated.count()
    orders = Order.objects.all()
    assert not orders.filter(ship_to_name__startswith="Consumer").exists()
    now = timezone.now()
    assert not orders.filter(created_at__gt=now).exists()
    months = {(o.year, o.month) for o in orders.values_list("created_at", flat=True)}
    assert len(months) >= 4, months
    days = orders.values_list("created_at__date", flat=True).distinct().count()
    assert days > 0.5 * orders.count()
    # What goes with an order is dated with it: paid when placed (the history is dated exactly; the awarded asks'
    # orders go through the live checkout and payment, paid moments after), rated after
    for payment in Payment.objects.select_related("checkout"):
        placed = min(o.created_at for o in payment.checkout.orders.all())
        assert placed <= payment.paid_at <= placed + timedelta(minutes=1), payment.checkout.idempotency_key
    for rating in ServiceRating.objects.select_related("order"):
        assert rating.order.created_at < rating.created_at <= now
    # The demo vendor's orders to fulfil are recent, for its workspace's queue
    waiting = orders.filter(vendor__owner__email=DEMO_VENDOR, status=Order.Status.PAID)
    assert waiting.exists() and not waiting.filter(created_at__lt=now - timezone.timedelta(days=4)).exists()


@pytest.mark.django_db
def test_seed_demo_default_scale_gives_the_demo_vendor_insights_in_every_dimension():
    from marketplace.demo.seed import DemoScale
    from portfolios.models import SegmentDimension, VendorSegmentStat

    call_command("seed_demo", "--no-progress", verbosity=0)
    demo_vendor = Vendor.objects.get(owner__email=DEMO_VENDOR)
    assert DemoScale().consumers >= 400
    assert PartnerMembership.objects.active().filter(vendor=demo_vendor).count() >= 300
    for dimension in SegmentDimension.values:
        groups = VendorSegmentStat.objects.filter(vendor=demo_vendor, dimension=dimension, partners__gte=5)
        assert groups.count() >= 3, dimension


def _schema() -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1, 2"
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), condeferrable, condeferred "
            "FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2"
        )
        constraints = cursor.fetchall()
    return indexes, constraints


@pytest.mark.django_db
def test_seed_demo_leaves_every_index_and_constraint_as_it_found_them():
    """The bulk load sets indexes and foreign keys aside; they come back as they were, and they hold."""
    before = _schema()
    call_command("seed_demo", *SMALL, verbosity=0)
    assert _schema() == before
    held = PartnerMembership.objects.active().first()
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnerMembership.objects.create(
            consumer_id=held.consumer_id, vendor_id=held.vendor_id, started_at=timezone.now()
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnerMembership.objects.create(consumer_id=held.consumer_id, vendor_id=10**9, started_at=timezone.now())
        connection.check_constraints()  # the foreign key is checked at commit; check it now


@pytest.mark.django_db
def test_seed_demo_fills_what_the_orm_and_the_database_triggers_would():
    call_command("seed_demo", *SMALL, verbosity=0)
    # Every generated consumer can sign in, has a profile with the defaults, and was stamped on creation.
    assert authenticate(email="consumer0@demo.example", password=DEMO_PASSWORD) is not None
    generated = User.objects.filter(email__startswith="consumer", email__endswith="@demo.example")
    assert ConsumerProfile.objects.filter(user__in=generated, weekly_promotion_cap=5).count() == 50
    assert not generated.filter(Q(date_joined__isnull=True) | Q(is_active=False)).exists()
    assert not ConsumerProfile.objects.filter(updated_at__isnull=True).exists()
    # Search vectors and active-product counts, which PostgreSQL triggers keep.
    assert not Product.objects.filter(Q(search__isnull=True) | Q(created_at__isnull=True)).exists()
    assert not Vendor.objects.filter(search__isnull=True).exists()
    counted = dict(Vendor.objects.annotate(n=Count("products", filter=Q(products__active=True))).values_list("pk", "n"))
    assert dict(VendorCatalogueStats.objects.values_list("vendor_id", "active_products")) == counted
    # The event log the statistics read: a start at each start, an ending with its reason at each end.
    memberships = list(PartnerMembership.objects.values_list("pk", "vendor_id", "started_at", "ended_at", "end_reason"))
    events = set(MembershipEvent.objects.values_list("membership_id", "vendor_id", "kind", "reason", "created_at"))
    expected = {(pk, vendor, "started", "", started) for pk, vendor, started, _, _ in memberships} | {
        (pk, vendor, "ended", reason, ended) for pk, vendor, _, ended, reason in memberships if ended
    }
    assert events == expected
    assert MembershipEvent.objects.count() == len(expected)


@pytest.mark.django_db
def test_seed_demo_rated_orders_cost_what_their_lines_say():
    from marketplace.shop.models import Order

    call_command("seed_demo", *SMALL, verbosity=0)
    orders = Order.objects.filter(checkout__idempotency_key__startswith="demo-rated-").annotate(
        lines_total=Sum("lines__unit_price")
    )
    assert orders.exists()
    assert all(order.total == order.lines_total for order in orders)


@pytest.mark.django_db
def test_seed_demo_shows_progress_of_its_long_steps():
    err = io.StringIO()
    call_command("seed_demo", *SMALL[:-1], stdout=io.StringIO(), stderr=err)
    for step in ("vendors", "products", "consumers", "memberships", "membership events", "indexes of"):
        assert step in err.getvalue(), step
