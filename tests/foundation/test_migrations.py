from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_makemigrations_check_finds_models_and_migrations_in_step():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)  # exits non-zero when a migration is missing
    assert "No changes detected" in out.getvalue()


# The newest migration of each app at f5e430b (the last commit before the rooms moved and payments came):
# a database created then must migrate forward to today's schema without losing a row.
F5E430B = [
    ("accounts", "0006_user_portfolio_version"),
    ("vendors", "0004_vendor_logo"),
    ("portfolios", "0005_stats_covering_indexes"),
    ("promotions", "0004_promotion_use_limits"),
    ("shop", "0005_planner_costs"),
]


def _rows_of_a_marketplace_at(apps) -> dict[str, int]:
    """A consumer who holds a partner and bought from it, written with the models as they were then."""
    from datetime import UTC, datetime
    from decimal import Decimal

    User = apps.get_model("accounts", "User")
    Category = apps.get_model("vendors", "Category")
    Vendor = apps.get_model("vendors", "Vendor")
    Product = apps.get_model("vendors", "Product")
    Membership = apps.get_model("portfolios", "PartnerMembership")
    Event = apps.get_model("portfolios", "MembershipEvent")
    Checkout = apps.get_model("shop", "Checkout")
    Order = apps.get_model("shop", "Order")
    OrderLine = apps.get_model("shop", "OrderLine")
    now = datetime(2026, 12, 4, 12, tzinfo=UTC)
    owner = User.objects.create(email="owner@old.example", password="!")
    consumer = User.objects.create(email="consumer@old.example", password="!")
    category = Category.objects.create(name="Old teas", slug="old-teas")
    vendor = Vendor.objects.create(
        owner=owner,
        name="Old Tea House",
        slug="old-tea-house",
        category=category,
        status="approved",
        contact_email="owner@old.example",
    )
    product = Product.objects.create(
        vendor=vendor, name="Old oolong", price=Decimal("12.40"), stock=7, category=category
    )
    membership = Membership.objects.create(consumer=consumer, vendor=vendor, started_at=now)
    Event.objects.create(membership=membership, vendor=vendor, kind="started", created_at=now)
    checkout = Checkout.objects.create(consumer=consumer, idempotency_key="old-key")
    order = Order.objects.create(
        checkout=checkout,
        consumer=consumer,
        vendor=vendor,
        status="shipped",
        ship_to_name="Old Shopper",
        ship_to_address="1 Old Street",
        subtotal=Decimal("24.80"),
        total=Decimal("24.80"),
    )
    OrderLine.objects.create(
        order=order, product=product, product_name="Old oolong", unit_price=Decimal("12.40"), quantity=2
    )
    return {"order": order.pk, "product": product.pk, "membership": membership.pk}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_database_created_at_f5e430b_migrates_forward_without_losing_a_row():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from marketplace.shop.models import Order
    from portfolios.models import PartnerMembership
    from vendors.models import Product

    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(F5E430B)  # back to the schema of f5e430b (nothing to undo while no migration is newer)
    executor.loader.build_graph()
    ids = _rows_of_a_marketplace_at(executor.loader.project_state(F5E430B).apps)

    MigrationExecutor(connection).migrate(latest)

    order = Order.objects.get(pk=ids["order"])
    assert (order.status, order.total, order.ship_to_name) == ("shipped", Decimal("24.80"), "Old Shopper")
    assert [(line.product_name, line.quantity) for line in order.lines.all()] == [("Old oolong", 2)]
    assert Product.objects.get(pk=ids["product"]).stock == 7
    assert PartnerMembership.objects.get(pk=ids["membership"]).ended_at is None
    assert order.vendor.slug == "old-tea-house"
