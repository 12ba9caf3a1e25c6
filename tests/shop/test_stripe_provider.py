"""Stripe Connect behind the provider interface: the exact requests and idempotency keys the official client
sends, read from an HTTP client injected into StripeClient. Nothing reaches the network."""

from __future__ import annotations

import json
import time
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import stripe

from marketplace.shop.models import Order, OrderPayout, Payee, Payment, Refund
from marketplace.shop.payments.base import ProviderError, WebhookSignatureError
from marketplace.shop.payments.providers import provider_override
from marketplace.shop.payments.services import payee_onboarding_link_create, payment_confirm, payment_start
from marketplace.shop.payments.stripe_provider import StripeProvider
from marketplace.shop.services import cart_add, checkout_place
from marketplace.shop.services.fulfilment import order_fulfil
from tests.factories import ProductFactory, VendorFactory
from tests.payments import SHIP, run_on_commit

SECRET = "whsec_test_platform"


class RecordingHTTPClient(stripe.HTTPClient):
    """Answers Stripe's API from `routes` ((method, path) -> JSON or a function of the params) and keeps every
    request: method, path, form parameters and headers."""

    name = "recording"

    def __init__(self, routes: dict[tuple[str, str], Any]) -> None:
        super().__init__()
        self.routes = routes
        self.requests: list[dict[str, Any]] = []

    def request(self, method, url, headers, post_data=None, *, _usage=None):  # type: ignore[no-untyped-def, override]
        parts = urlsplit(url)
        raw = post_data.decode() if isinstance(post_data, bytes) else (post_data or parts.query)
        params = dict(parse_qsl(raw, keep_blank_values=True))
        self.requests.append({"method": method.upper(), "path": parts.path, "params": params, "headers": dict(headers)})
        answer = self.routes.get((method.upper(), parts.path))
        if answer is None:
            return json.dumps({"error": {"type": "invalid_request_error", "message": "No such route"}}), 404, {}
        if callable(answer):
            answer = answer(params)
        status = answer.pop("_status", 200) if isinstance(answer, dict) else 200
        return json.dumps(answer), status, {"Request-Id": "req_test"}

    def close(self) -> None:
        pass

    def posts(self) -> list[tuple[str, dict[str, str], str | None]]:
        """Each POST as (path, params, idempotency key)."""
        return [
            (r["path"], r["params"], r["headers"].get("Idempotency-Key"))
            for r in self.requests
            if r["method"] == "POST"
        ]


def _intent(status: str, amount: int, **extra: Any) -> dict[str, Any]:
    return {
        "id": "pi_123",
        "object": "payment_intent",
        "status": status,
        "amount": amount,
        "currency": "gbp",
        "client_secret": "pi_123_secret_abc",
        "amount_received": amount if status == "succeeded" else 0,
        **extra,
    }


def _charge(amount_refunded: int = 0) -> dict[str, Any]:
    return {
        "id": "ch_123",
        "object": "charge",
        "amount_refunded": amount_refunded,
        "payment_method_details": {"card": {"last4": "4242"}},
    }


def _provider(routes: dict[tuple[str, str], Any]) -> tuple[StripeProvider, RecordingHTTPClient]:
    http = RecordingHTTPClient(routes)
    return StripeProvider(api_key="sk_test_123", webhook_secrets=[SECRET], connect_country="GB", http_client=http), http


# --- the provider alone --------------------------------------------------------------------------------------


def test_payment_start_creates_one_payment_intent_for_the_cart_with_its_checkouts_key():
    provider, http = _provider({("POST", "/v1/payment_intents"): _intent("requires_payment_method", 2900)})

    started = provider.payment_start(
        amount_minor=2900,
        currency="GBP",
        idempotency_key="checkout-12-payment",
        transfer_group="checkout-12",
        metadata={"checkout_id": "12"},
    )

    assert (started.ref, started.client_secret, started.status) == (
        "pi_123",
        "pi_123_secret_abc",
        "requires_payment_method",
    )
    assert http.posts() == [
        (
            "/v1/payment_intents",
            {
                "amount": "2900",
                "currency": "gbp",
                "automatic_payment_methods[enabled]": "true",
                "transfer_group": "checkout-12",
                "metadata[checkout_id]": "12",
            },
            "checkout-12-payment",
        )
    ]
    assert http.requests[0]["headers"]["Authorization"] == "Bearer sk_test_123"


def test_payment_confirm_reads_the_charge_and_a_declined_card_is_the_payments_state():
    provider, http = _provider(
        {
            ("POST", "/v1/payment_intents/pi_123/confirm"): _intent("succeeded", 2900, latest_charge=_charge()),
        }
    )
    paid = provider.payment_confirm(
        payment_ref="pi_123", payment_method="pm_card_visa", return_url="https://shop.example/r", idempotency_key="k-1"
    )
    assert (paid.status, paid.charge_ref, paid.card_last4, paid.amount_received_minor) == (
        "succeeded",
        "ch_123",
        "4242",
        2900,
    )
    assert http.posts() == [
        (
            "/v1/payment_intents/pi_123/confirm",
            {"payment_method": "pm_card_visa", "return_url": "https://shop.example/r", "expand[0]": "latest_charge"},
            "k-1",
        )
    ]

    declined_error = {
        "_status": 402,
        "error": {"type": "card_error", "code": "card_declined", "message": "Your card was declined."},
    }
    after = _intent("requires_payment_method", 2900, last_payment_error={"message": "Your card was declined."})
    provider, http = _provider(
        {
            ("POST", "/v1/payment_intents/pi_123/confirm"): lambda params: dict(declined_error),
            ("GET", "/v1/payment_intents/pi_123"): after,
        }
    )
    declined = provider.payment_confirm(
        payment_ref="pi_123", payment_method="pm_card_chargeDeclined", return_url="", idempotency_key="k-2"
    )
    assert (declined.status, declined.failure_message) == ("requires_payment_method", "Your card was declined.")


def test_refund_transfer_reversal_payee_and_link_requests_carry_their_derived_keys():
    provider, http = _provider(
        {
            ("POST", "/v1/refunds"): {
                "id": "re_1",
                "object": "refund",
                "status": "succeeded",
                "amount": 2500,
                "payment_intent": "pi_123",
            },
            ("POST", "/v1/transfers"): {"id": "tr_1", "object": "transfer", "amount": 2250, "amount_reversed": 0},
            ("POST", "/v1/transfers/tr_1/reversals"): {"id": "trr_1", "object": "transfer_reversal", "amount": 1125},
            ("POST", "/v1/accounts"): {
                "id": "acct_1",
                "object": "account",
                "details_submitted": False,
                "charges_enabled": False,
                "payouts_enabled": False,
                "requirements": {"currently_due": ["external_account", "tos_acceptance.date"], "past_due": []},
            },
            ("POST", "/v1/account_links"): {
                "object": "account_link",
                "url": "https://connect.stripe.com/setup/e/acct_1/x",
            },
        }
    )

    refund = provider.refund(
        payment_ref="pi_123", amount_minor=2500, idempotency_key="order-40-refund", metadata={"order_id": "40"}
    )
    transfer = provider.transfer(
        payee_ref="acct_1",
        amount_minor=2250,
        currency="GBP",
        source_charge_ref="ch_123",
        transfer_group="checkout-12",
        idempotency_key="order-40-transfer",
        metadata={"order_id": "40"},
    )
    reversal = provider.transfer_reverse(
        transfer_ref="tr_1", amount_minor=1125, idempotency_key="order-40-refund-reversal"
    )
    payee = provider.payee_create(vendor_id=7, email="shop@example.com", idempotency_key="vendor-7-payee-stripe")
    link = provider.payee_onboarding_link(
        payee_ref="acct_1", return_url="https://s/r", refresh_url="https://s/f", idempotency_key="payee-3-link-1"
    )

    assert (refund.ref, refund.status, transfer.ref, reversal.ref, reversal.amount_minor) == (
        "re_1",
        "succeeded",
        "tr_1",
        "trr_1",
        1125,
    )
    assert payee.requirements == ["external_account", "tos_acceptance.date"] and link.startswith(
        "https://connect.stripe.com/"
    )
    assert http.posts() == [
        ("/v1/refunds", {"payment_intent": "pi_123", "amount": "2500", "metadata[order_id]": "40"}, "order-40-refund"),
        (
            "/v1/transfers",
            {
                "amount": "2250",
                "currency": "gbp",
                "destination": "acct_1",
                "transfer_group": "checkout-12",
                "metadata[order_id]": "40",
                "source_transaction": "ch_123",
            },
            "order-40-transfer",
        ),
        ("/v1/transfers/tr_1/reversals", {"amount": "1125"}, "order-40-refund-reversal"),
        (
            "/v1/accounts",
            {
                "type": "express",
                "country": "GB",
                "email": "shop@example.com",
                "capabilities[card_payments][requested]": "true",
                "capabilities[transfers][requested]": "true",
                "metadata[vendor_id]": "7",
            },
            "vendor-7-payee-stripe",
        ),
        (
            "/v1/account_links",
            {
                "account": "acct_1",
                "refresh_url": "https://s/f",
                "return_url": "https://s/r",
                "type": "account_onboarding",
            },
            "payee-3-link-1",
        ),
    ]


def test_an_unreachable_or_refusing_stripe_is_a_provider_error():
    provider, _ = _provider({})
    with pytest.raises(ProviderError):
        provider.payment_get(payment_ref="pi_missing")


def _stripe_event(event_type: str = "payment_intent.succeeded") -> bytes:
    return json.dumps(
        {
            "id": "evt_1",
            "object": "event",
            "type": event_type,
            "data": {"object": {"id": "pi_123", "object": "payment_intent"}},
        }
    ).encode()


def test_stripe_webhook_signature_good_tampered_stale_and_wrong_secret():
    provider, _ = _provider({})
    body = _stripe_event()
    good = stripe.WebhookSignature.generate_signature_header(body.decode(), SECRET)
    event = provider.webhook_parse(payload=body, signature_header=good)
    assert (event.id, event.kind, event.object_ref) == ("evt_1", "payment", "pi_123")

    with pytest.raises(WebhookSignatureError):
        provider.webhook_parse(payload=body.replace(b"pi_123", b"pi_999"), signature_header=good)
    stale = stripe.WebhookSignature.generate_signature_header(body.decode(), SECRET, timestamp=int(time.time()) - 3600)
    with pytest.raises(WebhookSignatureError):
        provider.webhook_parse(payload=body, signature_header=stale)
    other = stripe.WebhookSignature.generate_signature_header(body.decode(), "whsec_other")
    with pytest.raises(WebhookSignatureError):
        provider.webhook_parse(payload=body, signature_header=other)
    with pytest.raises(WebhookSignatureError):
        provider.webhook_parse(payload=body, signature_header="")


# --- the services through Stripe --------------------------------------------------------------------------


@pytest.fixture
def stripe_routes():
    return {}


@pytest.fixture
def stripe_http(settings, stripe_routes):
    settings.PAYMENTS_PROVIDER = "stripe"
    provider, http = _provider(stripe_routes)
    provider_override("stripe", provider)
    yield http
    provider_override("stripe", None)


@pytest.mark.django_db
def test_checkout_paid_refunded_and_paid_out_through_stripe_sends_exactly_these_requests(
    consumer, stripe_routes, stripe_http
):
    alpha = ProductFactory(vendor=VendorFactory(name="Alpha"), price=Decimal("12.50"))
    beta = ProductFactory(vendor=VendorFactory(name="Beta"), price=Decimal("4.00"))
    cart_add(consumer=consumer, product_id=alpha.pk, quantity=2)
    cart_add(consumer=consumer, product_id=beta.pk, quantity=1)
    stripe_routes.update(
        {
            ("POST", "/v1/payment_intents"): _intent("requires_payment_method", 2900),
            ("POST", "/v1/payment_intents/pi_123/confirm"): _intent("succeeded", 2900, latest_charge=_charge()),
            ("POST", "/v1/refunds"): {
                "id": "re_1",
                "object": "refund",
                "status": "succeeded",
                "amount": 2500,
                "payment_intent": "pi_123",
            },
            ("GET", "/v1/accounts/acct_b"): {
                "id": "acct_b",
                "object": "account",
                "details_submitted": True,
                "charges_enabled": True,
                "payouts_enabled": True,
                "requirements": {"currently_due": [], "past_due": []},
            },
            ("POST", "/v1/transfers"): {"id": "tr_b", "object": "transfer", "amount": 360, "amount_reversed": 0},
        }
    )

    with run_on_commit():
        result = checkout_place(consumer=consumer, idempotency_key="s1", **SHIP)
        again = checkout_place(consumer=consumer, idempotency_key="s1", **SHIP)  # double submit: the same checkout
    checkout = result.checkout.pk
    with run_on_commit():
        payment_start(payment_id=result.payment.pk)
        payment_start(payment_id=again.payment.pk)
        payment_confirm(consumer=consumer, checkout_id=checkout, payment_method="pm_card_visa", return_url="https://r")
    orders = {o.vendor.name: o for o in Order.objects.select_related("vendor")}
    assert {o.status for o in orders.values()} == {Order.Status.PAID}
    payment = Payment.objects.get()
    assert (payment.provider, payment.provider_ref, payment.charge_ref, payment.status) == (
        "stripe",
        "pi_123",
        "ch_123",
        "succeeded",
    )

    with run_on_commit():  # Alpha cancels: refunded before any transfer, so nothing to reverse
        order_fulfil(vendor=orders["Alpha"].vendor, order_id=orders["Alpha"].pk, action="cancel")
    # Beta's account is ready; its order is delivered and paid out, less the 10 % fee, from the charge.
    Payee.objects.create(
        vendor=orders["Beta"].vendor,
        provider="stripe",
        provider_ref="acct_b",
        details_submitted=True,
        charges_enabled=True,
        payouts_enabled=True,
    )
    with run_on_commit():
        order_fulfil(vendor=orders["Beta"].vendor, order_id=orders["Beta"].pk, action="ship")
        order_fulfil(vendor=orders["Beta"].vendor, order_id=orders["Beta"].pk, action="deliver")

    assert stripe_http.posts() == [
        (
            "/v1/payment_intents",
            {
                "amount": "2900",
                "currency": "gbp",
                "automatic_payment_methods[enabled]": "true",
                "transfer_group": f"checkout-{checkout}",
                "metadata[checkout_id]": str(checkout),
            },
            f"checkout-{checkout}-payment",
        ),
        (
            "/v1/payment_intents/pi_123/confirm",
            {"payment_method": "pm_card_visa", "return_url": "https://r", "expand[0]": "latest_charge"},
            f"checkout-{checkout}-payment-confirm-1",
        ),
        (
            "/v1/refunds",
            {
                "payment_intent": "pi_123",
                "amount": "2500",
                "metadata[order_id]": str(orders["Alpha"].pk),
                "metadata[checkout_id]": str(checkout),
            },
            f"order-{orders['Alpha'].pk}-refund",
        ),
        (
            "/v1/transfers",
            {
                "amount": "360",
                "currency": "gbp",
                "destination": "acct_b",
                "transfer_group": f"checkout-{checkout}",
                "metadata[order_id]": str(orders["Beta"].pk),
                "metadata[vendor_id]": str(orders["Beta"].vendor_id),
                "source_transaction": "ch_123",
            },
            f"order-{orders['Beta'].pk}-transfer",
        ),
    ]
    assert Refund.objects.get().status == Refund.Status.SUCCEEDED
    assert OrderPayout.objects.get(order=orders["Beta"]).status == OrderPayout.Status.TRANSFERRED


@pytest.mark.django_db
def test_refund_after_the_transfer_reverses_the_vendors_share_in_proportion(consumer, stripe_routes, stripe_http):
    """A refund of an order already paid out takes back the vendor's share from its transfer; the platform
    gives back its fee's share."""
    from marketplace.shop.payments.services import refund_create

    product = ProductFactory(price=Decimal("20.00"))
    cart_add(consumer=consumer, product_id=product.pk)
    stripe_routes.update(
        {
            ("POST", "/v1/payment_intents"): _intent("requires_payment_method", 2000),
            ("POST", "/v1/payment_intents/pi_123/confirm"): _intent("succeeded", 2000, latest_charge=_charge()),
            ("POST", "/v1/transfers"): {"id": "tr_1", "object": "transfer", "amount": 1800, "amount_reversed": 0},
            ("POST", "/v1/refunds"): {
                "id": "re_1",
                "object": "refund",
                "status": "pending",
                "amount": 2000,
                "payment_intent": "pi_123",
            },
            ("POST", "/v1/transfers/tr_1/reversals"): {"id": "trr_1", "object": "transfer_reversal", "amount": 1800},
        }
    )
    with run_on_commit():
        result = checkout_place(consumer=consumer, idempotency_key="s2", **SHIP)
        payment_start(payment_id=result.payment.pk)
        payment_confirm(
            consumer=consumer, checkout_id=result.checkout.pk, payment_method="pm_card_visa", return_url="https://r"
        )
    order = result.orders[0]
    Payee.objects.create(
        vendor=product.vendor,
        provider="stripe",
        provider_ref="acct_1",
        details_submitted=True,
        charges_enabled=True,
        payouts_enabled=True,
    )
    with run_on_commit():
        order_fulfil(vendor=product.vendor, order_id=order.pk, action="ship")
        order_fulfil(vendor=product.vendor, order_id=order.pk, action="deliver")
    assert OrderPayout.objects.get().status == OrderPayout.Status.TRANSFERRED

    from django.db import transaction

    with run_on_commit(), transaction.atomic():
        refund = refund_create(
            order=Order.objects.select_for_update().get(pk=order.pk),
            payment=Payment.objects.get(),
            reason="vendor_cancelled",
        )

    refund.refresh_from_db()
    assert (refund.amount_minor, refund.fee_minor, refund.reversal_minor) == (2000, 200, 1800)
    assert (refund.status, refund.reversal_ref) == (
        Refund.Status.PENDING,
        "trr_1",
    )  # Stripe says pending: its event settles it
    assert stripe_http.posts()[-2:] == [
        (
            "/v1/refunds",
            {
                "payment_intent": "pi_123",
                "amount": "2000",
                "metadata[order_id]": str(order.pk),
                "metadata[checkout_id]": str(result.checkout.pk),
            },
            f"order-{order.pk}-refund",
        ),
        ("/v1/transfers/tr_1/reversals", {"amount": "1800"}, f"order-{order.pk}-refund-reversal"),
    ]
    assert OrderPayout.objects.get().net_minor == 0


@pytest.mark.django_db
def test_vendor_onboarding_through_stripe_opens_one_account_and_keys_each_link(vendor, stripe_routes, stripe_http):
    stripe_routes.update(
        {
            ("POST", "/v1/accounts"): {
                "id": "acct_v",
                "object": "account",
                "details_submitted": False,
                "charges_enabled": False,
                "payouts_enabled": False,
                "requirements": {"currently_due": ["external_account"], "past_due": []},
            },
            ("POST", "/v1/account_links"): {"object": "account_link", "url": "https://connect.stripe.com/setup/x"},
        }
    )
    first = payee_onboarding_link_create(vendor=vendor, return_url="https://s/r", refresh_url="https://s/f")
    second = payee_onboarding_link_create(vendor=vendor, return_url="https://s/r", refresh_url="https://s/f")

    assert first == second == "https://connect.stripe.com/setup/x"
    payee = Payee.objects.get()
    keys = [key for _, _, key in stripe_http.posts()]
    assert keys == [f"vendor-{vendor.pk}-payee-stripe", f"payee-{payee.pk}-link-1", f"payee-{payee.pk}-link-2"]
    assert payee.requirements == ["external_account"] and not payee.ready
