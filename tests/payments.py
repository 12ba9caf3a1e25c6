"""Paying in tests: the fake provider's events go through Django's test client to the real webhook endpoint
(signature check, deduplication, the processing task), and a checkout can be placed and paid in one call."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connections
from django.test import Client

from marketplace.shop.models import Order
from marketplace.shop.payments.fake import CARD_SUCCEEDS
from marketplace.shop.payments.services import payment_confirm, payment_start
from marketplace.shop.services import CheckoutResult, checkout_place

SHIP = {"ship_to_name": "Sam Shopper", "ship_to_address": "1 High Street, Leeds"}


@dataclass
class Delivery:
    path: str
    body: bytes
    headers: dict[str, str]
    status: int


@dataclass
class ClientTransport:
    """Posts each event through the test client, in this process, and keeps what it sent. With `hold` set
    it keeps the events instead (answering 503, so they stay undelivered) for a test to send in its own order."""

    hold: bool = False
    sent: list[Delivery] = field(default_factory=list)
    held: list[Delivery] = field(default_factory=list)

    def post(self, path: str, body: bytes, headers: dict[str, str]) -> int:
        response = Client().post(
            path, data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=headers["Stripe-Signature"]
        )
        return response.status_code

    def __call__(self, path: str, body: bytes, headers: dict[str, str]) -> int:
        if self.hold:
            self.held.append(Delivery(path, body, headers, 503))
            return 503
        status = self.post(path, body, headers)
        self.sent.append(Delivery(path, body, headers, status))
        return status


@contextmanager
def run_on_commit(using: str = "default") -> Iterator[None]:
    """Run what commits would run (the deliveries, the tasks) at the end of the block, inside a test's
    transaction too, and forget them once run: unlike Django's captureOnCommitCallbacks, an enclosing capture
    does not run them a second time. In a transactional test they already ran at their own commits."""
    connection = connections[using]
    start = len(connection.run_on_commit)
    try:
        yield
    finally:
        while len(connection.run_on_commit) > start:
            pending = connection.run_on_commit[start:]
            del connection.run_on_commit[start:]
            for _, callback, _robust in pending:
                callback()


def pay(result: CheckoutResult, *, card: str = CARD_SUCCEEDS) -> CheckoutResult:
    """Pay a placed checkout with a test card through the services, as the payment page does."""
    consumer = result.checkout.consumer
    with run_on_commit():
        payment_start(payment_id=result.payment.pk)
    with run_on_commit():
        payment_confirm(
            consumer=consumer,
            checkout_id=result.checkout.pk,
            payment_method=card,
            return_url=f"http://testserver/checkout/{result.checkout.pk}/pay/return/",
        )
    result.payment.refresh_from_db()
    for order in result.orders:
        order.refresh_from_db()
    return result


def checkout_and_pay(consumer, key: str = "paid-1", *, card: str = CARD_SUCCEEDS, **fields) -> CheckoutResult:  # type: ignore[no-untyped-def]
    """Place the consumer's cart and pay it with a test card: the orders come back paid."""
    with run_on_commit():
        result = checkout_place(consumer=consumer, idempotency_key=key, **{**SHIP, **fields})
    return pay(result, card=card)


def paid_order(consumer, key: str = "paid-1", **fields) -> Order:  # type: ignore[no-untyped-def]
    return checkout_and_pay(consumer, key, **fields).orders[0]
