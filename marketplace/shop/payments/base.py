"""The payment-provider interface the project owns, and the types that cross it.

Its shape follows django-payments' BasicProvider (start a payment, capture, refund, read a webhook) and
Mercur's payout provider (create a payee, an onboarding link, the payee's status; transfer to it). Every
call that creates something takes an idempotency key derived from the operation and the object
(`checkout-12-payment`, `order-40-refund`), never a random one, so a retried or doubled call makes the
same thing once. Amounts are integers in the currency's minor unit; currencies are ISO 4217 codes.

Providers raise ProviderError when the provider cannot be reached or refuses a call for a reason the
caller cannot fix (the work is retried later), and WebhookSignatureError for a webhook that must be
refused. A declined card is not an error: it is the payment's state (`failed`, with the reason).
"""

from __future__ import annotations

import hashlib
import hmac
import time
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class ProviderError(Exception):
    """The provider could not do it now (unreachable, or refused for a reason on its side)."""


class WebhookError(Exception):
    """A webhook to refuse (400): nothing of it is stored."""


class WebhookSignatureError(WebhookError):
    """A webhook whose signature is missing, wrong, made with another secret, or too old."""


class PaymentStatus:
    """The provider's payment states, normalised (Stripe's PaymentIntent statuses, folded)."""

    REQUIRES_PAYMENT_METHOD = "requires_payment_method"  # no card yet, or the last one failed
    REQUIRES_ACTION = "requires_action"  # the buyer must confirm (3-D Secure)
    PROCESSING = "processing"
    REQUIRES_CAPTURE = "requires_capture"
    SUCCEEDED = "succeeded"
    CANCELED = "canceled"


@dataclass(frozen=True)
class ProviderPayment:
    """A payment as the provider holds it."""

    ref: str
    status: str
    amount_minor: int
    currency: str
    amount_received_minor: int = 0
    amount_refunded_minor: int = 0
    client_secret: str = ""
    charge_ref: str = ""
    card_last4: str = ""
    failure_message: str = ""
    next_action_url: str = ""
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ProviderRefund:
    ref: str
    status: str  # "pending", "succeeded", "failed" or "canceled"
    amount_minor: int
    payment_ref: str = ""


@dataclass(frozen=True)
class ProviderTransfer:
    ref: str
    amount_minor: int
    amount_reversed_minor: int = 0


@dataclass(frozen=True)
class PayeeState:
    """A payee's onboarding as the provider sees it; `requirements` are the provider's codes still due."""

    ref: str
    details_submitted: bool
    charges_enabled: bool
    payouts_enabled: bool
    requirements: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ProviderEvent:
    """A webhook event, normalised: what kind of object changed and its id. Processing re-reads that object
    from the provider, so events that arrive late, twice or out of order cannot move state backwards."""

    PAYMENT = "payment"
    REFUND = "refund"
    PAYEE = "payee"
    TRANSFER = "transfer"
    OTHER = "other"

    id: str
    type: str
    kind: str
    object_ref: str
    created: int = 0


class PaymentProvider(ABC):
    """What the project asks of a payment provider. Implementations: fake.FakeProvider, stripe_provider.
    StripeProvider. Every method may raise ProviderError."""

    name: str

    # --- payees (vendors' payout accounts) ---------------------------------------------------------
    @abstractmethod
    def payee_create(self, *, vendor_id: int, email: str, idempotency_key: str) -> PayeeState:
        """Open a payout account for a vendor."""

    @abstractmethod
    def payee_onboarding_link(self, *, payee_ref: str, return_url: str, refresh_url: str, idempotency_key: str) -> str:
        """A one-time address where the vendor gives the provider what it needs."""

    @abstractmethod
    def payee_status(self, *, payee_ref: str) -> PayeeState:
        """The account's onboarding state and what it still needs."""

    # --- payments ----------------------------------------------------------------------------------
    @abstractmethod
    def payment_start(
        self,
        *,
        amount_minor: int,
        currency: str,
        idempotency_key: str,
        transfer_group: str,
        metadata: dict[str, str],
    ) -> ProviderPayment:
        """Create the payment for a checkout (nothing is charged until it is confirmed)."""

    @abstractmethod
    def payment_confirm(
        self, *, payment_ref: str, payment_method: str, return_url: str, idempotency_key: str
    ) -> ProviderPayment:
        """Charge the payment method (a card). The result may succeed, fail (declined) or require action."""

    @abstractmethod
    def payment_capture(self, *, payment_ref: str, amount_minor: int, idempotency_key: str) -> ProviderPayment:
        """Capture an authorised payment (payments here are captured at confirmation; kept for the interface)."""

    @abstractmethod
    def payment_cancel(self, *, payment_ref: str, idempotency_key: str) -> ProviderPayment:
        """Cancel an unpaid payment; a payment that already succeeded is returned as it is."""

    @abstractmethod
    def payment_get(self, *, payment_ref: str) -> ProviderPayment:
        """The payment as the provider holds it now."""

    @abstractmethod
    def payments_list(self, *, created_since: datetime) -> Iterable[ProviderPayment]:
        """Every payment created since then (for the reconciliation)."""

    # --- refunds and transfers ---------------------------------------------------------------------
    @abstractmethod
    def refund(
        self, *, payment_ref: str, amount_minor: int, idempotency_key: str, metadata: dict[str, str]
    ) -> ProviderRefund:
        """Give back part or all of a succeeded payment."""

    @abstractmethod
    def refund_get(self, *, refund_ref: str) -> ProviderRefund:
        """A refund as the provider holds it now."""

    @abstractmethod
    def transfer(
        self,
        *,
        payee_ref: str,
        amount_minor: int,
        currency: str,
        source_charge_ref: str,
        transfer_group: str,
        idempotency_key: str,
        metadata: dict[str, str],
    ) -> ProviderTransfer:
        """Pay a vendor its share of a charge (separate charges and transfers)."""

    @abstractmethod
    def transfer_reverse(self, *, transfer_ref: str, amount_minor: int, idempotency_key: str) -> ProviderTransfer:
        """Take back part of a transfer (a refund of an order already paid out). Returns the reversal: its
        own id, the amount it took back and the transfer's total reversed so far (when known)."""

    # --- webhooks ----------------------------------------------------------------------------------
    @abstractmethod
    def webhook_parse(self, *, payload: bytes, signature_header: str) -> ProviderEvent:
        """Check the signature and read the event; raises WebhookSignatureError for one to refuse."""


# --- Stripe's signature scheme (the fake provider signs with it too) -----------------------------------


def signature_header_make(*, payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """`t=<unix time>,v1=<HMAC-SHA256 of "{t}.{payload}" with the secret, hex>`, as Stripe sends it."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def signature_header_verify(*, payload: bytes, header: str, secret: str, tolerance_seconds: int) -> int:
    """Check a Stripe-Signature header against the payload; returns its timestamp. Raises
    WebhookSignatureError when it is missing or malformed, when no v1 signature matches (a tampered body or
    another secret), or when its timestamp is further than the tolerance from now (a replay)."""
    if not header or not secret:
        raise WebhookSignatureError("No signature.")
    timestamp: int | None = None
    signatures: list[str] = []
    for item in header.split(","):
        key, _, value = item.strip().partition("=")
        if key == "t" and value.isdigit() and len(value) < 16:
            timestamp = int(value)
        elif key == "v1":
            signatures.append(value)
    if timestamp is None or not signatures:
        raise WebhookSignatureError("The signature header is malformed.")
    signed = f"{timestamp}.".encode() + payload
    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    if not any(hmac.compare_digest(expected, candidate) for candidate in signatures):
        raise WebhookSignatureError("No signature matches the payload.")
    if abs(time.time() - timestamp) > tolerance_seconds:
        raise WebhookSignatureError("The signature is too old.")
    return timestamp


def event_from_payload(data: Any) -> ProviderEvent:
    """A Stripe-shaped event body (the fake sends the same shape) as a ProviderEvent: what changed, by the
    type of the object it carries. A refund shows up on its charge, which names the payment, so
    `charge.refunded` is about the payment (its refunds are read again with it)."""
    if not isinstance(data, dict) or data.get("object", "event") != "event":
        raise WebhookError("The body is not an event.")
    event_id, event_type = data.get("id"), data.get("type")
    inner = data.get("data")
    obj = inner.get("object") if isinstance(inner, dict) else None
    if not (isinstance(event_id, str) and 0 < len(event_id) <= 255) or not isinstance(event_type, str):
        raise WebhookError("The event has no id or type.")
    if not isinstance(obj, dict):
        raise WebhookError("The event carries no object.")
    object_type = obj.get("object")
    if object_type == "payment_intent":
        kind, ref = ProviderEvent.PAYMENT, obj.get("id")
    elif object_type == "charge":
        kind, ref = ProviderEvent.PAYMENT, obj.get("payment_intent")
    elif object_type == "refund":
        kind, ref = ProviderEvent.REFUND, obj.get("id")
    elif object_type == "account":
        kind, ref = ProviderEvent.PAYEE, obj.get("id")
    elif object_type == "transfer":
        kind, ref = ProviderEvent.TRANSFER, obj.get("id")
    else:
        kind, ref = ProviderEvent.OTHER, obj.get("id")
    created = data.get("created")
    return ProviderEvent(
        id=event_id,
        type=event_type[:100],
        kind=kind if isinstance(ref, str) else ProviderEvent.OTHER,
        object_ref=ref if isinstance(ref, str) else "",
        created=created if isinstance(created, int) else 0,
    )
