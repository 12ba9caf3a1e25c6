"""The fake provider's payouts: transfers to vendors, reversals, payees and their onboarding."""

from __future__ import annotations

from django.core import signing
from django.db import transaction
from django.urls import reverse

from ..models import FakeProviderObject
from .base import PayeeState, ProviderError, ProviderTransfer

ONBOARDING_REQUIREMENTS = ["business_profile.url", "external_account", "tos_acceptance.date"]
TOKEN_SALT = "marketplace.fake-payments"


def token_make(data: dict[str, str]) -> str:
    return signing.dumps(data, salt=TOKEN_SALT, compress=True)


def token_read(token: str) -> dict[str, str] | None:
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=24 * 3600)
    except signing.BadSignature:
        return None
    return data if isinstance(data, dict) else None


class FakePayouts:
    """The fake provider's side of paying vendors: transfers to them and their reversals, and the payees
    (vendors' accounts) with their onboarding. Mixed into FakeProvider, whose records and events it uses."""

    @transaction.atomic
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
        existing = FakeProviderObject.objects.filter(kind="transfer", idempotency_key=idempotency_key).first()
        if existing is None:
            account = self._get(payee_ref, "account")
            if not account.data.get("payouts_enabled"):
                raise ProviderError(f"{payee_ref} cannot receive transfers yet.")
            if amount_minor <= 0:
                raise ProviderError("A transfer needs a positive amount.")
            existing, created = self._create(
                kind="transfer",
                prefix="tr",
                key=idempotency_key,
                data={
                    "object": "transfer",
                    "amount": amount_minor,
                    "amount_reversed": 0,
                    "currency": currency.lower(),
                    "destination": payee_ref,
                    "source_transaction": source_charge_ref,
                    "transfer_group": transfer_group,
                    "metadata": metadata,
                },
            )
            if created:
                self._emit(existing, "transfer.created", self._snapshot(existing))
        return ProviderTransfer(
            ref=existing.ref,
            amount_minor=existing.data["amount"],
            amount_reversed_minor=existing.data["amount_reversed"],
        )

    @transaction.atomic
    def transfer_reverse(self, *, transfer_ref: str, amount_minor: int, idempotency_key: str) -> ProviderTransfer:
        transfer = self._locked(transfer_ref, "transfer")
        if not FakeProviderObject.objects.filter(kind="transfer_reversal", idempotency_key=idempotency_key).exists():
            left = transfer.data["amount"] - transfer.data["amount_reversed"]
            if not 0 < amount_minor <= left:
                raise ProviderError(f"Cannot reverse {amount_minor} of {transfer_ref}: {left} is left.")
            self._create(
                kind="transfer_reversal",
                prefix="trr",
                key=idempotency_key,
                data={"object": "transfer_reversal", "amount": amount_minor, "transfer": transfer_ref},
            )
            transfer.data["amount_reversed"] += amount_minor
            self._emit(transfer, "transfer.reversed", self._snapshot(transfer))
        reversal = FakeProviderObject.objects.get(kind="transfer_reversal", idempotency_key=idempotency_key)
        return ProviderTransfer(
            ref=reversal.ref,
            amount_minor=reversal.data["amount"],
            amount_reversed_minor=transfer.data["amount_reversed"],
        )

    # --- payees ----------------------------------------------------------------------------------------
    @staticmethod
    def _payee(obj: FakeProviderObject) -> PayeeState:
        d = obj.data
        return PayeeState(
            ref=obj.ref,
            details_submitted=d["details_submitted"],
            charges_enabled=d["charges_enabled"],
            payouts_enabled=d["payouts_enabled"],
            requirements=list(d["requirements"]),
        )

    def payee_create(self, *, vendor_id: int, email: str, idempotency_key: str) -> PayeeState:
        obj, _ = self._create(
            kind="account",
            prefix="acct",
            key=idempotency_key,
            data={
                "object": "account",
                "email": email,
                "details_submitted": False,
                "charges_enabled": False,
                "payouts_enabled": False,
                "requirements": list(ONBOARDING_REQUIREMENTS),
                "metadata": {"vendor_id": str(vendor_id)},
            },
        )
        return self._payee(obj)

    def payee_onboarding_link(self, *, payee_ref: str, return_url: str, refresh_url: str, idempotency_key: str) -> str:
        self._get(payee_ref, "account")
        token = token_make({"acct": payee_ref, "return": return_url, "refresh": refresh_url})
        return reverse("payments:fake-onboarding", kwargs={"token": token})

    def payee_status(self, *, payee_ref: str) -> PayeeState:
        return self._payee(self._get(payee_ref, "account"))

    @transaction.atomic
    def onboard(self, *, payee_ref: str, website: str) -> PayeeState:
        """The vendor's answers on the fake onboarding page: every requirement met at once."""
        obj = self._locked(payee_ref, "account")
        if not obj.data["details_submitted"]:
            obj.data.update(
                details_submitted=True,
                charges_enabled=True,
                payouts_enabled=True,
                requirements=[],
                business_profile={"url": website},
            )
            self._emit(obj, "account.updated", self._snapshot(obj))
        return self._payee(obj)

    # --- webhooks --------------------------------------------------------------------------------------
