"""The reconciliation: the provider's records against the orders; a planted difference is flagged to the
moderators on the vendors of that checkout, a lost webhook is repaired, agreeing records clear the flag."""

from __future__ import annotations

from decimal import Decimal

import pytest

from marketplace.shop.models import FakeProviderObject, Order, Payment
from marketplace.shop.payments.services import payments_reconcile
from marketplace.shop.services import cart_add
from tests.factories import ProductFactory, UserFactory, VendorFactory
from tests.payments import checkout_and_pay
from vendors.models import VendorFlag


@pytest.fixture
def two_vendor_payment(consumer):
    alpha = ProductFactory(vendor=VendorFactory(name="Alpha"), price=Decimal("12.50"))
    beta = ProductFactory(vendor=VendorFactory(name="Beta"), price=Decimal("4.00"))
    cart_add(consumer=consumer, product_id=alpha.pk, quantity=2)
    cart_add(consumer=consumer, product_id=beta.pk)
    return checkout_and_pay(consumer)


@pytest.mark.django_db
def test_reconcile_finds_nothing_when_the_records_agree(two_vendor_payment):
    result = payments_reconcile()
    assert (result.payments_compared, result.differences, result.flagged_vendors) == (1, {}, 0)
    assert not VendorFlag.objects.exists()


@pytest.mark.django_db
def test_reconcile_flags_a_planted_difference_to_the_moderators_then_clears_it(
    two_vendor_payment, client, reference_data
):
    checkout = two_vendor_payment.checkout.pk
    intent = FakeProviderObject.objects.get(kind="payment_intent")
    original = dict(intent.data)
    # Planted: a refund made in the provider's dashboard, never recorded here.
    intent.data["amount_refunded"] = 500
    intent.save()

    result = payments_reconcile()

    assert result.differences == {checkout: ["refunded 0.00 GBP here, 5.00 GBP at the provider"]}
    flags = VendorFlag.objects.filter(kind=VendorFlag.Kind.PAYMENT_MISMATCH, cleared_at__isnull=True)
    assert sorted(f.vendor.name for f in flags) == ["Alpha", "Beta"]
    assert flags.first().details == {
        "payment_differences": 1,
        "checkouts": [checkout],
        "examples": [f"checkout {checkout}: refunded 0.00 GBP here, 5.00 GBP at the provider"],
    }

    moderator = UserFactory(email="mod@test.example", is_staff=True)
    moderator.groups.add(reference_data)
    client.force_login(moderator)
    queue = client.get("/moderation/").content.decode()
    assert "Payment records differ from the provider" in queue
    assert f"1 checkout whose payment records differ from the provider's: checkout {checkout}: refunded" in queue

    intent.data = original
    intent.save()
    payments_reconcile()
    assert not VendorFlag.objects.filter(kind=VendorFlag.Kind.PAYMENT_MISMATCH, cleared_at__isnull=True).exists()


@pytest.mark.django_db
def test_reconcile_flags_orders_marked_paid_without_a_payment(consumer, product):
    from marketplace.shop.services import checkout_place
    from tests.payments import SHIP

    cart_add(consumer=consumer, product_id=product.pk)
    checkout_place(consumer=consumer, idempotency_key="unpaid", **SHIP)
    Order.objects.update(status=Order.Status.PAID)  # planted: paid here with no payment anywhere

    result = payments_reconcile()

    assert list(result.differences.values()) == [["orders marked paid without a payment"]]
    assert VendorFlag.objects.get(kind=VendorFlag.Kind.PAYMENT_MISMATCH).vendor == product.vendor


@pytest.mark.django_db
def test_reconcile_repairs_a_payment_whose_webhook_was_lost(two_vendor_payment):
    Payment.objects.update(status=Payment.Status.PROCESSING)
    Order.objects.update(status=Order.Status.AWAITING_PAYMENT)

    result = payments_reconcile()

    assert result.repaired == 1 and result.differences == {}
    assert set(Order.objects.values_list("status", flat=True)) == {Order.Status.PAID}
