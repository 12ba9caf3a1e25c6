"""Stripe Connect behind the project's provider interface, on the official `stripe` package (StripeClient).

Charges model: separate charges and transfers (docs/payments.md says why). A checkout is one PaymentIntent on
the platform for the whole cart, with `transfer_group=checkout-<id>`; each vendor's order is paid out by its
own Transfer to the vendor's Express account, of the order's amount less the platform's fee, from the
charge (`source_transaction`, so a transfer never outruns the funds). A refund takes the money back from the
platform's balance and, when the order's transfer was made, reverses the vendor's share of it.

Every call that creates something carries the idempotency key the caller derived from the operation and the
object (the library would otherwise add a random one on retries). Tests give the client an HTTP client of
their own (`http_client=`) and read the exact requests; nothing here reaches the network in tests.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import stripe

from .base import (
    PayeeState,
    PaymentProvider,
    PaymentStatus,
    ProviderError,
    ProviderEvent,
    ProviderPayment,
    ProviderRefund,
    ProviderTransfer,
    WebhookSignatureError,
    event_from_payload,
)


def _get(obj: Any, key: str, default: Any = None) -> Any:
    if obj is None:
        return default
    try:
        value = obj[key]
    except (KeyError, TypeError, AttributeError):
        return default
    return default if value is None else value


class StripeProvider(PaymentProvider):
    name = "stripe"

    def __init__(
        self,
        *,
        api_key: str,
        webhook_secrets: list[str],
        connect_country: str,
        tolerance_seconds: int = 300,
        http_client: stripe.HTTPClient | None = None,
    ) -> None:
        # Retries are safe: every creating call carries its own derived idempotency key.
        self.client = stripe.StripeClient(api_key, http_client=http_client, max_network_retries=2)
        self.webhook_secrets = [secret for secret in webhook_secrets if secret]
        self.connect_country = connect_country
        self.tolerance_seconds = tolerance_seconds

    def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except stripe.StripeError as exc:
            raise ProviderError(f"Stripe: {exc.user_message or exc}") from exc

    # --- payees ----------------------------------------------------------------------------------------
    @staticmethod
    def _payee(account: Any) -> PayeeState:
        requirements = _get(account, "requirements", {})
        due = list(_get(requirements, "past_due", [])) + [
            code for code in _get(requirements, "currently_due", []) if code not in _get(requirements, "past_due", [])
        ]
        return PayeeState(
            ref=account["id"],
            details_submitted=bool(_get(account, "details_submitted", False)),
            charges_enabled=bool(_get(account, "charges_enabled", False)),
            payouts_enabled=bool(_get(account, "payouts_enabled", False)),
            requirements=due,
        )

    def payee_create(self, *, vendor_id: int, email: str, idempotency_key: str) -> PayeeState:
        account = self._call(
            self.client.v1.accounts.create,
            params={
                "type": "express",
                "country": self.connect_country,
                "email": email,
                "capabilities": {"card_payments": {"requested": True}, "transfers": {"requested": True}},
                "metadata": {"vendor_id": str(vendor_id)},
            },
            options={"idempotency_key": idempotency_key},
        )
        return self._payee(account)

    def payee_onboarding_link(self, *, payee_ref: str, return_url: str, refresh_url: str, idempotency_key: str) -> str:
        link = self._call(
            self.client.v1.account_links.create,
            params={
                "account": payee_ref,
                "refresh_url": refresh_url,
                "return_url": return_url,
                "type": "account_onboarding",
            },
            options={"idempotency_key": idempotency_key},
        )
        return str(link["url"])

    def payee_status(self, *, payee_ref: str) -> PayeeState:
        return self._payee(self._call(self.client.v1.accounts.retrieve, payee_ref))

    # --- payments --------------------------------------------------------------------------------------
    @staticmethod
    def _payment(intent: Any) -> ProviderPayment:
        charge = _get(intent, "latest_charge", "")
        charge_ref = charge if isinstance(charge, str) else _get(charge, "id", "")
        details = _get(_get(charge, "payment_method_details", {}), "card", {}) if not isinstance(charge, str) else {}
        error = _get(intent, "last_payment_error", {})
        next_action = _get(intent, "next_action", {})
        return ProviderPayment(
            ref=intent["id"],
            status=str(_get(intent, "status", PaymentStatus.REQUIRES_PAYMENT_METHOD)),
            amount_minor=int(_get(intent, "amount", 0)),
            currency=str(_get(intent, "currency", "")),
            amount_received_minor=int(_get(intent, "amount_received", 0)),
            amount_refunded_minor=int(_get(charge, "amount_refunded", 0)) if not isinstance(charge, str) else 0,
            client_secret=str(_get(intent, "client_secret", "")),
            charge_ref=str(charge_ref or ""),
            card_last4=str(_get(details, "last4", "")),
            failure_message=str(_get(error, "message", "")),
            next_action_url=str(_get(_get(next_action, "redirect_to_url", {}), "url", "")),
            metadata=dict(_get(intent, "metadata", {}) or {}),
        )

    def payment_start(
        self, *, amount_minor: int, currency: str, idempotency_key: str, transfer_group: str, metadata: dict[str, str]
    ) -> ProviderPayment:
        intent = self._call(
            self.client.v1.payment_intents.create,
            params={
                "amount": amount_minor,
                "currency": currency.lower(),
                "automatic_payment_methods": {"enabled": True},
                "transfer_group": transfer_group,
                "metadata": metadata,
            },
            options={"idempotency_key": idempotency_key},
        )
        return self._payment(intent)

    def payment_confirm(
        self, *, payment_ref: str, payment_method: str, return_url: str, idempotency_key: str
    ) -> ProviderPayment:
        try:
            intent = self.client.v1.payment_intents.confirm(
                payment_ref,
                params={"payment_method": payment_method, "return_url": return_url, "expand": ["latest_charge"]},
                options={"idempotency_key": idempotency_key},
            )
        except stripe.CardError:
            # A declined card is the payment's state, not a failure of the call: read it as it now stands.
            return self.payment_get(payment_ref=payment_ref)
        except stripe.StripeError as exc:
            raise ProviderError(f"Stripe: {exc.user_message or exc}") from exc
        return self._payment(intent)

    def payment_capture(self, *, payment_ref: str, amount_minor: int, idempotency_key: str) -> ProviderPayment:
        intent = self._call(
            self.client.v1.payment_intents.capture,
            payment_ref,
            params={"amount_to_capture": amount_minor},
            options={"idempotency_key": idempotency_key},
        )
        return self._payment(intent)

    def payment_cancel(self, *, payment_ref: str, idempotency_key: str) -> ProviderPayment:
        try:
            intent = self.client.v1.payment_intents.cancel(
                payment_ref, params={"cancellation_reason": "abandoned"}, options={"idempotency_key": idempotency_key}
            )
        except stripe.InvalidRequestError:
            # Already succeeded (or cancelled): nothing to cancel; the caller reads what it is.
            return self.payment_get(payment_ref=payment_ref)
        except stripe.StripeError as exc:
            raise ProviderError(f"Stripe: {exc.user_message or exc}") from exc
        return self._payment(intent)

    def payment_get(self, *, payment_ref: str) -> ProviderPayment:
        intent = self._call(self.client.v1.payment_intents.retrieve, payment_ref, params={"expand": ["latest_charge"]})
        return self._payment(intent)

    def payments_list(self, *, created_since: datetime) -> Iterable[ProviderPayment]:
        page = self._call(
            self.client.v1.payment_intents.list,
            params={"created": {"gte": int(created_since.timestamp())}, "limit": 100, "expand": ["data.latest_charge"]},
        )
        try:
            return [self._payment(intent) for intent in page.auto_paging_iter()]
        except stripe.StripeError as exc:
            raise ProviderError(f"Stripe: {exc.user_message or exc}") from exc

    # --- refunds and transfers -------------------------------------------------------------------------
    @staticmethod
    def _refund(refund: Any) -> ProviderRefund:
        return ProviderRefund(
            ref=refund["id"],
            status=str(_get(refund, "status", "pending")),
            amount_minor=int(_get(refund, "amount", 0)),
            payment_ref=str(_get(refund, "payment_intent", "")),
        )

    def refund(
        self, *, payment_ref: str, amount_minor: int, idempotency_key: str, metadata: dict[str, str]
    ) -> ProviderRefund:
        refund = self._call(
            self.client.v1.refunds.create,
            params={"payment_intent": payment_ref, "amount": amount_minor, "metadata": metadata},
            options={"idempotency_key": idempotency_key},
        )
        return self._refund(refund)

    def refund_get(self, *, refund_ref: str) -> ProviderRefund:
        return self._refund(self._call(self.client.v1.refunds.retrieve, refund_ref))

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
        params: dict[str, Any] = {
            "amount": amount_minor,
            "currency": currency.lower(),
            "destination": payee_ref,
            "transfer_group": transfer_group,
            "metadata": metadata,
        }
        if source_charge_ref:
            params["source_transaction"] = source_charge_ref
        transfer = self._call(
            self.client.v1.transfers.create, params=params, options={"idempotency_key": idempotency_key}
        )
        return ProviderTransfer(
            ref=transfer["id"],
            amount_minor=int(_get(transfer, "amount", 0)),
            amount_reversed_minor=int(_get(transfer, "amount_reversed", 0)),
        )

    def transfer_reverse(self, *, transfer_ref: str, amount_minor: int, idempotency_key: str) -> ProviderTransfer:
        reversal = self._call(
            self.client.v1.transfers.reversals.create,
            transfer_ref,
            params={"amount": amount_minor},
            options={"idempotency_key": idempotency_key},
        )
        amount = int(_get(reversal, "amount", 0))
        return ProviderTransfer(ref=reversal["id"], amount_minor=amount, amount_reversed_minor=amount)

    # --- webhooks --------------------------------------------------------------------------------------
    def webhook_parse(self, *, payload: bytes, signature_header: str) -> ProviderEvent:
        """Verified with the library's own check against each configured secret (the platform's endpoint
        and, when set, the Connect endpoint's), then read as a plain event."""
        for secret in self.webhook_secrets:
            try:
                stripe.WebhookSignature.verify_header(
                    payload.decode("utf-8", "replace"), signature_header, secret, self.tolerance_seconds
                )
            except stripe.SignatureVerificationError:
                continue
            break
        else:
            raise WebhookSignatureError("No signature matches the payload with a configured secret.")
        try:
            data = json.loads(payload)
        except ValueError as exc:
            raise WebhookSignatureError("The body is not JSON.") from exc
        return event_from_payload(data)
