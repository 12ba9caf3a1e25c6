"""The fake payment provider: the default in `make run`, development and tests.

It behaves as a provider does from the outside, with no network:
- deterministic: an object's id is derived from the idempotency key that created it, so the same key gives
  the same object (a doubled checkout makes one payment), and each test card always does the same thing;
- its records are in this database (FakeProviderObject), as a provider keeps them on its side, so the
  reconciliation job has something real to compare the orders with;
- each change emits an event (FakeProviderEvent) that is signed exactly as Stripe signs
  (`Stripe-Signature: t=…,v1=HMAC-SHA256("{t}.{raw body}")` with FAKE_PAYMENTS_WEBHOOK_SECRET) and POSTed
  to the project's own webhook endpoint after commit, by a Celery task; so signature checks, deduplication
  and the processing task run end to end. The transport is HTTP to settings.SITE_URL by default; tests
  swap in one that posts through Django's test client (`transport_set`). An event not delivered is sent
  again by a beat job until the endpoint answers 2xx.

Test cards (spaces and dashes ignored; Stripe's test PaymentMethod ids work too):
  4242 4242 4242 4242   succeeds
  4000 0000 0000 0002   is declined
  4000 0000 0000 9995   is declined for insufficient funds
  4000 0027 6000 3184   needs a second step: the buyer confirms on the fake bank's page (3-D Secure)
Any other number is declined as incorrect.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from marketplace.kernel.enqueue import enqueue_safely

from ..models import FakeProviderEvent, FakeProviderObject
from .base import (
    PaymentProvider,
    PaymentStatus,
    ProviderError,
    ProviderEvent,
    ProviderPayment,
    ProviderRefund,
    WebhookSignatureError,
    event_from_payload,
    signature_header_verify,
)
from .fake_payouts import FakePayouts, token_make

logger = logging.getLogger(__name__)

CARD_SUCCEEDS = "4242424242424242"
CARD_DECLINED = "4000000000000002"
CARD_INSUFFICIENT_FUNDS = "4000000000009995"
CARD_AUTHENTICATE = "4000002760003184"
TEST_CARDS = {
    CARD_SUCCEEDS: gettext_lazy("succeeds"),
    CARD_DECLINED: gettext_lazy("is declined"),
    CARD_INSUFFICIENT_FUNDS: gettext_lazy("is declined (insufficient funds)"),
    CARD_AUTHENTICATE: gettext_lazy("asks you to confirm the payment on your bank's page"),
}
# Stripe's test PaymentMethod ids, so an API client written for Stripe's test mode works here unchanged.
TEST_PAYMENT_METHODS = {
    "pm_card_visa": CARD_SUCCEEDS,
    "pm_card_chargeDeclined": CARD_DECLINED,
    "pm_card_chargeDeclinedInsufficientFunds": CARD_INSUFFICIENT_FUNDS,
    "pm_card_authenticationRequired": CARD_AUTHENTICATE,
}
DECLINED = "Your card was declined."
INSUFFICIENT = "Your card has insufficient funds."
INCORRECT = "Your card number is incorrect."
NOT_AUTHENTICATED = "We are unable to authenticate your payment method. Choose another one and try again."


def card_digits(payment_method: str) -> str:
    value = (payment_method or "").strip()
    value = TEST_PAYMENT_METHODS.get(value, value)
    return "".join(ch for ch in value if ch not in " -")


def _ref(prefix: str, kind: str, key: str) -> str:
    return f"{prefix}_fake_{hashlib.sha256(f'{kind}:{key}'.encode()).hexdigest()[:24]}"


class FakeProvider(FakePayouts, PaymentProvider):
    name = "fake"

    # --- records and events ----------------------------------------------------------------------------
    def _create(self, *, kind: str, prefix: str, key: str, data: dict[str, Any]) -> tuple[FakeProviderObject, bool]:
        """The object this key made, or a new one: the same key always gives the same object."""
        existing = FakeProviderObject.objects.filter(kind=kind, idempotency_key=key).first()
        if existing is not None:
            return existing, False
        try:
            with transaction.atomic():
                return (
                    FakeProviderObject.objects.create(
                        ref=_ref(prefix, kind, key), kind=kind, idempotency_key=key, data={**data, "version": 0}
                    ),
                    True,
                )
        except IntegrityError:
            return FakeProviderObject.objects.get(kind=kind, idempotency_key=key), False

    def _locked(self, ref: str, kind: str) -> FakeProviderObject:
        obj = FakeProviderObject.objects.select_for_update().filter(ref=ref, kind=kind).first()
        if obj is None:
            raise ProviderError(f"No such {kind}: {ref}.")
        return obj

    def _get(self, ref: str, kind: str) -> FakeProviderObject:
        obj = FakeProviderObject.objects.filter(ref=ref, kind=kind).first()
        if obj is None:
            raise ProviderError(f"No such {kind}: {ref}.")
        return obj

    def _emit(self, obj: FakeProviderObject, event_type: str, snapshot: dict[str, Any]) -> FakeProviderEvent:
        """Record an event about `obj` (its id numbered by the object's version, so deterministic) and deliver
        it after commit. Call inside the transaction that changed the object."""
        obj.data["version"] = int(obj.data.get("version", 0)) + 1
        obj.save(update_fields=["data", "updated_at"])
        ref = f"evt_{obj.ref}_{obj.data['version']}"
        body = json.dumps(
            {
                "id": ref,
                "object": "event",
                "type": event_type,
                "created": int(timezone.now().timestamp()),
                "livemode": False,
                "data": {"object": snapshot},
            },
            sort_keys=True,
        )
        event = FakeProviderEvent.objects.create(ref=ref, type=event_type, body=body)
        from .tasks import fake_event_deliver_task

        transaction.on_commit(lambda: enqueue_safely(fake_event_deliver_task, event.pk))
        return event

    # --- payments --------------------------------------------------------------------------------------
    @staticmethod
    def _payment(obj: FakeProviderObject) -> ProviderPayment:
        d = obj.data
        return ProviderPayment(
            ref=obj.ref,
            status=d["status"],
            amount_minor=d["amount"],
            currency=d["currency"],
            amount_received_minor=d.get("amount_received", 0),
            amount_refunded_minor=d.get("amount_refunded", 0),
            client_secret=d.get("client_secret", ""),
            charge_ref=d.get("latest_charge", ""),
            card_last4=d.get("card_last4", ""),
            failure_message=d.get("failure_message", ""),
            next_action_url=d.get("next_action_url", ""),
            metadata=d.get("metadata", {}),
        )

    @staticmethod
    def _snapshot(obj: FakeProviderObject) -> dict[str, Any]:
        return {"id": obj.ref, "object": obj.data.get("object", obj.kind), **obj.data}

    def payment_start(
        self, *, amount_minor: int, currency: str, idempotency_key: str, transfer_group: str, metadata: dict[str, str]
    ) -> ProviderPayment:
        if amount_minor <= 0:
            raise ProviderError("A payment needs a positive amount.")
        obj, _ = self._create(
            kind="payment_intent",
            prefix="pi",
            key=idempotency_key,
            data={
                "object": "payment_intent",
                "amount": amount_minor,
                "currency": currency.lower(),
                "status": PaymentStatus.REQUIRES_PAYMENT_METHOD,
                "amount_received": 0,
                "amount_refunded": 0,
                "transfer_group": transfer_group,
                "metadata": metadata,
                "confirmations": {},
            },
        )
        if not obj.data.get("client_secret"):
            obj.data["client_secret"] = f"{obj.ref}_secret_{hashlib.sha256(obj.ref.encode()).hexdigest()[:16]}"
            FakeProviderObject.objects.filter(pk=obj.pk).update(data=obj.data)
        return self._payment(obj)

    def _succeed(self, obj: FakeProviderObject, last4: str) -> None:
        obj.data.update(
            status=PaymentStatus.SUCCEEDED,
            amount_received=obj.data["amount"],
            latest_charge=obj.ref.replace("pi_fake_", "ch_fake_", 1),
            card_last4=last4,
            failure_message="",
            next_action_url="",
        )
        self._emit(obj, "payment_intent.succeeded", self._snapshot(obj))

    def _fail(self, obj: FakeProviderObject, message: str, last4: str = "") -> None:
        obj.data.update(
            status=PaymentStatus.REQUIRES_PAYMENT_METHOD, failure_message=message, next_action_url="", card_last4=last4
        )
        self._emit(obj, "payment_intent.payment_failed", self._snapshot(obj))

    @transaction.atomic
    def payment_confirm(
        self, *, payment_ref: str, payment_method: str, return_url: str, idempotency_key: str
    ) -> ProviderPayment:
        obj = self._locked(payment_ref, "payment_intent")
        if idempotency_key in obj.data.get("confirmations", {}) or obj.data["status"] in (
            PaymentStatus.SUCCEEDED,
            PaymentStatus.CANCELED,
            PaymentStatus.PROCESSING,
        ):
            return self._payment(obj)  # a repeated confirmation, or nothing left to confirm: as it is
        obj.data.setdefault("confirmations", {})[idempotency_key] = timezone.now().isoformat()
        card = card_digits(payment_method)
        last4 = card[-4:] if card.isdigit() else ""
        if card == CARD_SUCCEEDS:
            self._succeed(obj, last4)
        elif card == CARD_AUTHENTICATE:
            token = token_make({"ref": obj.ref})
            query = urlencode({"return": return_url}) if return_url else ""
            url = reverse("payments:fake-authenticate", kwargs={"token": token})
            obj.data.update(
                status=PaymentStatus.REQUIRES_ACTION,
                card_last4=last4,
                failure_message="",
                next_action_url=f"{url}?{query}" if query else url,
            )
            self._emit(obj, "payment_intent.requires_action", self._snapshot(obj))
        elif card == CARD_DECLINED:
            self._fail(obj, DECLINED, last4)
        elif card == CARD_INSUFFICIENT_FUNDS:
            self._fail(obj, INSUFFICIENT, last4)
        else:
            self._fail(obj, INCORRECT)
        return self._payment(obj)

    @transaction.atomic
    def authenticate(self, *, payment_ref: str, approve: bool) -> ProviderPayment:
        """The buyer's answer on the fake bank's page (the second step of 4000 0027 6000 3184)."""
        obj = self._locked(payment_ref, "payment_intent")
        if obj.data["status"] != PaymentStatus.REQUIRES_ACTION:
            return self._payment(obj)
        if approve:
            self._succeed(obj, obj.data.get("card_last4", ""))
        else:
            self._fail(obj, NOT_AUTHENTICATED, obj.data.get("card_last4", ""))
        return self._payment(obj)

    def payment_capture(self, *, payment_ref: str, amount_minor: int, idempotency_key: str) -> ProviderPayment:
        # Payments are captured when confirmed (automatic capture), as the project creates them.
        return self.payment_get(payment_ref=payment_ref)

    @transaction.atomic
    def payment_cancel(self, *, payment_ref: str, idempotency_key: str) -> ProviderPayment:
        obj = self._locked(payment_ref, "payment_intent")
        if obj.data["status"] not in (PaymentStatus.SUCCEEDED, PaymentStatus.CANCELED):
            obj.data.update(status=PaymentStatus.CANCELED, next_action_url="")
            self._emit(obj, "payment_intent.canceled", self._snapshot(obj))
        return self._payment(obj)

    def payment_get(self, *, payment_ref: str) -> ProviderPayment:
        return self._payment(self._get(payment_ref, "payment_intent"))

    def payments_list(self, *, created_since: datetime) -> Iterable[ProviderPayment]:
        objects = FakeProviderObject.objects.filter(kind="payment_intent", created_at__gte=created_since).order_by("id")
        return [self._payment(obj) for obj in objects.iterator(chunk_size=500)]

    # --- refunds and transfers -------------------------------------------------------------------------
    @staticmethod
    def _refund(obj: FakeProviderObject) -> ProviderRefund:
        return ProviderRefund(
            ref=obj.ref,
            status=obj.data["status"],
            amount_minor=obj.data["amount"],
            payment_ref=obj.data["payment_intent"],
        )

    @transaction.atomic
    def refund(
        self, *, payment_ref: str, amount_minor: int, idempotency_key: str, metadata: dict[str, str]
    ) -> ProviderRefund:
        existing = FakeProviderObject.objects.filter(kind="refund", idempotency_key=idempotency_key).first()
        if existing is not None:
            return self._refund(existing)
        payment = self._locked(payment_ref, "payment_intent")
        refundable = payment.data.get("amount_received", 0) - payment.data.get("amount_refunded", 0)
        if payment.data["status"] != PaymentStatus.SUCCEEDED or not 0 < amount_minor <= refundable:
            raise ProviderError(f"Cannot refund {amount_minor} of {payment_ref}: {refundable} is refundable.")
        refund, _ = self._create(
            kind="refund",
            prefix="re",
            key=idempotency_key,
            data={
                "object": "refund",
                "amount": amount_minor,
                "payment_intent": payment.ref,
                "charge": payment.data.get("latest_charge", ""),
                "status": "succeeded",
                "metadata": metadata,
            },
        )
        payment.data["amount_refunded"] = payment.data.get("amount_refunded", 0) + amount_minor
        charge = {
            "id": payment.data.get("latest_charge", ""),
            "object": "charge",
            "payment_intent": payment.ref,
            "amount": payment.data["amount"],
            "amount_refunded": payment.data["amount_refunded"],
            "refunded": payment.data["amount_refunded"] >= payment.data["amount"],
        }
        self._emit(payment, "charge.refunded", charge)
        self._emit(refund, "refund.created", self._snapshot(refund))
        return self._refund(refund)

    def refund_get(self, *, refund_ref: str) -> ProviderRefund:
        return self._refund(self._get(refund_ref, "refund"))

    def webhook_parse(self, *, payload: bytes, signature_header: str) -> ProviderEvent:
        signature_header_verify(
            payload=payload,
            header=signature_header,
            secret=settings.FAKE_PAYMENTS_WEBHOOK_SECRET,
            tolerance_seconds=settings.PAYMENTS_WEBHOOK_TOLERANCE_SECONDS,
        )
        try:
            data = json.loads(payload)
        except ValueError as exc:
            raise WebhookSignatureError("The body is not JSON.") from exc
        return event_from_payload(data)


def fake_payment_intent_paid(
    *, idempotency_key: str, amount_minor: int, currency: str, metadata: dict[str, str], card: str = CARD_SUCCEEDS
) -> FakeProviderObject:
    """An unsaved record of a payment the fake provider took in full, for bulk loading (the demo data's
    historical orders), exactly as payment_start and a confirmation with `card` would have left it."""
    ref = _ref("pi", "payment_intent", idempotency_key)
    return FakeProviderObject(
        ref=ref,
        kind="payment_intent",
        idempotency_key=idempotency_key,
        data={
            "object": "payment_intent",
            "amount": amount_minor,
            "currency": currency.lower(),
            "status": PaymentStatus.SUCCEEDED,
            "amount_received": amount_minor,
            "amount_refunded": 0,
            "transfer_group": metadata.get("transfer_group", ""),
            "metadata": metadata,
            "confirmations": {},
            "client_secret": f"{ref}_secret_{hashlib.sha256(ref.encode()).hexdigest()[:16]}",
            "latest_charge": ref.replace("pi_fake_", "ch_fake_", 1),
            "card_last4": card[-4:],
            "failure_message": "",
            "next_action_url": "",
            "version": 1,
        },
    )
