"""Paying for a checkout with the fake provider: placed unpaid, paid on the provider's word (its signed webhook),
a declined card, the second step, refunds of one vendor's order, lapsed checkouts, a double submit charged once."""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from marketplace.kernel.errors import ConflictError
from marketplace.shop.models import (
    FakeProviderObject,
    Order,
    OrderPayout,
    Payment,
    Redemption,
    Refund,
    WebhookEvent,
)
from marketplace.shop.payments.fake import CARD_AUTHENTICATE, CARD_DECLINED, CARD_SUCCEEDS, FakeProvider
from marketplace.shop.payments.services import (
    payment_confirm,
    payment_start,
    payment_sync,
    payments_expire_due,
)
from marketplace.shop.services import cart_add, checkout_place, order_cancel_by_consumer
from marketplace.shop.services.fulfilment import order_fulfil
from promotions.models import Promotion
from tests.factories import ProductFactory, UserFactory, VendorFactory
from tests.payments import SHIP, checkout_and_pay, pay, run_on_commit
from vendors.models import Product


def _place(consumer, key: str = "k1"):
    with run_on_commit():
        return checkout_place(consumer=consumer, idempotency_key=key, **SHIP)


def _two_vendor_cart(consumer):
    a = ProductFactory(vendor=VendorFactory(name="Alpha Teas"), price=Decimal("12.50"), stock=5)
    b = ProductFactory(vendor=VendorFactory(name="Beta Bakes"), price=Decimal("4.00"), stock=5)
    cart_add(consumer=consumer, product_id=a.pk, quantity=2)
    cart_add(consumer=consumer, product_id=b.pk, quantity=1)
    return a, b


@pytest.mark.django_db
def test_checkout_place_leaves_orders_awaiting_one_payment_for_the_whole_cart(consumer):
    a, b = _two_vendor_cart(consumer)

    result = _place(consumer)

    assert {o.status for o in Order.objects.all()} == {Order.Status.AWAITING_PAYMENT}
    payment = Payment.objects.get()
    assert (payment.checkout_id, payment.amount_minor, payment.currency) == (result.checkout.pk, 2900, "GBP")
    assert payment.status == Payment.Status.CREATED and payment.provider == "fake"
    a.refresh_from_db()
    assert a.stock == 3  # set aside while it is paid
    assert mail.outbox == []  # nobody is told of an order before it is paid
    with pytest.raises(ConflictError, match="awaiting payment; only a paid order can be shipped"):
        order_fulfil(vendor=result.orders[0].vendor, order_id=result.orders[0].pk, action="ship")


@pytest.mark.django_db
def test_paying_with_the_test_card_marks_every_order_paid_through_the_signed_webhook(consumer, fake_transport):
    _two_vendor_cart(consumer)

    result = checkout_and_pay(consumer)

    assert [o.status for o in result.orders] == [Order.Status.PAID, Order.Status.PAID]
    payment = result.payment
    assert (payment.status, payment.card_last4) == (Payment.Status.SUCCEEDED, "4242")
    # The provider's word arrived as a signed event on the real endpoint, and was processed once.
    succeeded = [d for d in fake_transport.sent if b"payment_intent.succeeded" in d.body]
    assert len(succeeded) == 1 and succeeded[0].status == 200
    assert succeeded[0].headers["Stripe-Signature"].startswith("t=")
    assert WebhookEvent.objects.filter(type="payment_intent.succeeded", processed_at__isnull=False).count() == 1
    # Each order's payout: gross, the platform's 10 % fee, held until delivery.
    payouts = {p.order.vendor.name: p for p in OrderPayout.objects.select_related("order__vendor")}
    assert (payouts["Alpha Teas"].gross_minor, payouts["Alpha Teas"].fee_minor, payouts["Alpha Teas"].net_minor) == (
        2500,
        250,
        2250,
    )
    assert payouts["Beta Bakes"].net_minor == 360 and payouts["Beta Bakes"].status == OrderPayout.Status.HELD
    # Now the buyer and both vendors' owners are told, once each.
    assert len(mail.outbox) == 4


@pytest.mark.django_db
def test_webhook_alone_marks_the_orders_paid_when_the_buyer_never_comes_back(consumer, product):
    cart_add(consumer=consumer, product_id=product.pk)
    result = _place(consumer)
    with run_on_commit():
        payment_start(payment_id=result.payment.pk)
    payment = Payment.objects.get()

    # The provider charges it (the buyer's browser closed before it came back): only the event tells us.
    with run_on_commit():
        FakeProvider().payment_confirm(
            payment_ref=payment.provider_ref, payment_method=CARD_SUCCEEDS, return_url="", idempotency_key="elsewhere"
        )

    assert Order.objects.get().status == Order.Status.PAID
    assert Payment.objects.get().status == Payment.Status.SUCCEEDED


@pytest.mark.django_db
def test_a_declined_card_pays_nothing_and_another_card_then_pays(consumer, product):
    cart_add(consumer=consumer, product_id=product.pk)
    result = _place(consumer)

    pay(result, card=CARD_DECLINED)

    payment = Payment.objects.get()
    assert (payment.status, payment.failure_message) == (Payment.Status.FAILED, "Your card was declined.")
    assert Order.objects.get().status == Order.Status.AWAITING_PAYMENT
    assert not OrderPayout.objects.exists() and mail.outbox == []

    pay(result, card="4242 4242 4242 4242")

    assert Order.objects.get().status == Order.Status.PAID
    assert Payment.objects.get().attempts == 2


@pytest.mark.django_db
def test_the_card_that_needs_a_second_step_waits_for_the_bank_page(client, consumer, product):
    cart_add(consumer=consumer, product_id=product.pk)
    result = _place(consumer)
    pay(result, card=CARD_AUTHENTICATE)
    payment = Payment.objects.get()
    assert payment.status == Payment.Status.REQUIRES_ACTION
    assert payment.next_action_url.startswith("/payments/fake/authenticate/")
    assert Order.objects.get().status == Order.Status.AWAITING_PAYMENT

    with run_on_commit():
        response = client.post(payment.next_action_url, {"outcome": "complete"})

    assert response.status_code == 302
    assert Payment.objects.get().status == Payment.Status.SUCCEEDED
    assert Order.objects.get().status == Order.Status.PAID


@pytest.mark.django_db
def test_refund_of_one_vendors_order_in_a_two_vendor_checkout(consumer, fake_transport):
    a, b = _two_vendor_cart(consumer)
    result = checkout_and_pay(consumer)
    alpha = next(o for o in result.orders if o.vendor.name == "Alpha Teas")
    beta = next(o for o in result.orders if o.vendor.name == "Beta Bakes")

    with run_on_commit():
        order_fulfil(vendor=alpha.vendor, order_id=alpha.pk, action="cancel", reason="Out of tins")

    refund = Refund.objects.get()
    assert (refund.order_id, refund.amount_minor, refund.fee_minor, refund.status) == (
        alpha.pk,
        2500,
        250,
        Refund.Status.SUCCEEDED,
    )
    assert refund.idempotency_key == f"order-{alpha.pk}-refund" and refund.provider_ref.startswith("re_fake_")
    payment = Payment.objects.get()
    assert (payment.amount_minor, payment.amount_refunded_minor) == (2900, 2500)
    at_provider = FakeProviderObject.objects.get(ref=payment.provider_ref)
    assert at_provider.data["amount_refunded"] == 2500
    # Alpha's payout is refunded in full (fee given back in proportion); Beta's order and payout stand.
    payouts = {p.order_id: p for p in OrderPayout.objects.all()}
    assert payouts[alpha.pk].status == OrderPayout.Status.REFUNDED and payouts[alpha.pk].net_minor == 0
    assert payouts[beta.pk].status == OrderPayout.Status.HELD and payouts[beta.pk].net_minor == 360
    alpha.refresh_from_db()
    beta.refresh_from_db()
    a.refresh_from_db()
    assert (alpha.status, beta.status, a.stock) == (Order.Status.CANCELLED, Order.Status.PAID, 5)
    assert any(b"charge.refunded" in d.body for d in fake_transport.sent)


@pytest.mark.django_db
def test_buyer_cancels_a_paid_order_before_it_ships_and_is_refunded(consumer, product):
    cart_add(consumer=consumer, product_id=product.pk, quantity=3)
    order = checkout_and_pay(consumer).orders[0]
    mail.outbox.clear()

    with run_on_commit():
        order_cancel_by_consumer(consumer=consumer, order_id=order.pk)

    order.refresh_from_db()
    product.refresh_from_db()
    assert order.status == Order.Status.CANCELLED and product.stock == 10
    refund = Refund.objects.get()
    assert (refund.reason, refund.status, refund.amount_minor) == ("buyer_cancelled", "succeeded", 3000)
    assert [m.to for m in mail.outbox] == [[product.vendor.owner.email]]
    with pytest.raises(ConflictError, match="only a paid order"):
        order_cancel_by_consumer(consumer=consumer, order_id=order.pk)


@pytest.mark.django_db
def test_buyer_cannot_cancel_a_shipped_order(consumer, product):
    cart_add(consumer=consumer, product_id=product.pk)
    order = checkout_and_pay(consumer).orders[0]
    order_fulfil(vendor=product.vendor, order_id=order.pk, action="ship")

    with pytest.raises(ConflictError, match="is shipped"):
        order_cancel_by_consumer(consumer=consumer, order_id=order.pk)
    assert not Refund.objects.exists()


@pytest.mark.django_db
def test_an_abandoned_payment_lapses_after_the_timeout_and_returns_the_stock(consumer, product):
    cart_add(consumer=consumer, product_id=product.pk, quantity=4)
    result = _place(consumer)
    pay(result, card=CARD_DECLINED)
    assert payments_expire_due() == 0  # not yet

    Payment.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with run_on_commit():
        assert payments_expire_due() == 1

    product.refresh_from_db()
    assert product.stock == 10
    assert Order.objects.get().status == Order.Status.CANCELLED
    payment = Payment.objects.get()
    assert payment.status == Payment.Status.EXPIRED
    assert FakeProviderObject.objects.get(ref=payment.provider_ref).data["status"] == "canceled"
    with pytest.raises(ConflictError, match="lapsed"):
        payment_confirm(consumer=consumer, checkout_id=result.checkout.pk, payment_method=CARD_SUCCEEDS, return_url="")


@pytest.mark.django_db
def test_a_lapsed_checkout_gives_its_promotion_use_back(consumer, vendor):
    now = timezone.now()
    Promotion.objects.create(
        vendor=vendor,
        title="Welcome",
        kind=Promotion.Kind.PUBLIC,
        discount_type=Promotion.DiscountType.FIXED,
        discount_value=Decimal("2"),
        code="HELLO2",
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=1),
        state=Promotion.State.RUNNING,
    )
    product = ProductFactory(vendor=vendor, price=Decimal("10.00"))
    cart_add(consumer=consumer, product_id=product.pk)
    with run_on_commit():
        result = checkout_place(consumer=consumer, idempotency_key="p", promotion_code="HELLO2", **SHIP)
    assert result.payment.amount_minor == 800 and Redemption.objects.count() == 1

    Payment.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with run_on_commit():
        payments_expire_due()

    assert not Redemption.objects.exists()


@pytest.mark.django_db
def test_paid_after_it_lapsed_is_refunded_in_full(consumer, product):
    cart_add(consumer=consumer, product_id=product.pk)
    result = _place(consumer)
    with run_on_commit():
        payment_start(payment_id=result.payment.pk)
    payment = Payment.objects.get()
    # Lapsed here (as if the cancel at the provider had been lost), then the provider charges it after all.
    Payment.objects.update(status=Payment.Status.EXPIRED)
    Order.objects.update(status=Order.Status.CANCELLED)
    with run_on_commit():
        FakeProvider().payment_confirm(
            payment_ref=payment.provider_ref, payment_method=CARD_SUCCEEDS, return_url="", idempotency_key="late"
        )

    refund = Refund.objects.get()
    assert (refund.reason, refund.amount_minor, refund.status) == ("paid_too_late", 1000, "succeeded")
    assert Order.objects.get().status == Order.Status.CANCELLED


@pytest.mark.django_db
def test_partner_prices_and_promotions_are_charged_exactly_as_the_checkout_page_showed(consumer, vendor, client):
    from marketplace.shop.selectors import checkout_preview
    from portfolios.services import membership_start

    product = ProductFactory(vendor=vendor, price=Decimal("20.00"), partner_price=Decimal("18.00"))
    membership_start(consumer=consumer, vendor_id=vendor.pk)
    now = timezone.now()
    Promotion.objects.create(
        vendor=vendor,
        title="10% for all",
        kind=Promotion.Kind.PUBLIC,
        discount_value=Decimal("10"),
        code="TEN",
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=1),
        state=Promotion.State.RUNNING,
    )
    cart_add(consumer=consumer, product_id=product.pk, quantity=3)
    shown = checkout_preview(consumer=consumer, code="TEN").total

    with run_on_commit():
        result = checkout_place(consumer=consumer, idempotency_key="exact", promotion_code="TEN", **SHIP)
    pay(result)

    at_provider = FakeProviderObject.objects.get(kind="payment_intent")
    assert shown == Decimal("48.60")
    assert result.payment.amount_minor == at_provider.data["amount"] == at_provider.data["amount_received"] == 4860


@pytest.mark.django_db
def test_payment_sync_replayed_changes_nothing(consumer, product):
    cart_add(consumer=consumer, product_id=product.pk)
    result = checkout_and_pay(consumer)
    before = mail.outbox[:]
    for _ in range(3):
        with run_on_commit():
            payment_sync(payment_id=result.payment.pk)
    assert OrderPayout.objects.count() == 1 and mail.outbox == before


def _threads(target, count: int) -> list[object]:
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = target(i)
        except Exception as exc:  # noqa: BLE001 (the test inspects what each thread met)
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_double_submitted_checkout_is_charged_once():
    buyer = UserFactory(email="double@test.example")
    product = ProductFactory(stock=5)
    cart_add(consumer=buyer, product_id=product.pk, quantity=2)

    def submit(i: int):  # type: ignore[no-untyped-def]
        result = checkout_place(consumer=buyer, idempotency_key="same-page", **SHIP)
        payment_start(payment_id=result.payment.pk)
        return result.checkout.pk

    checkouts = _threads(submit, 2)
    assert checkouts[0] == checkouts[1], checkouts

    def confirm(i: int):  # type: ignore[no-untyped-def]
        try:
            return payment_confirm(
                consumer=buyer, checkout_id=checkouts[0], payment_method=CARD_SUCCEEDS, return_url=""
            ).status
        except ConflictError as exc:
            return str(exc)

    _threads(confirm, 2)

    intents = FakeProviderObject.objects.filter(kind="payment_intent")
    assert intents.count() == 1  # one payment at the provider, keyed checkout-<id>-payment
    assert intents.get().idempotency_key == f"checkout-{checkouts[0]}-payment"
    assert intents.get().data["amount_received"] == 2000
    assert Payment.objects.get().status == Payment.Status.SUCCEEDED
    assert Order.objects.get().status == Order.Status.PAID
    product.refresh_from_db()
    assert product.stock == 3
    assert Product.objects.count() == 1
