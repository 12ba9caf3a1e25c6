"""Money for the shop floor: one payment per checkout, refunds per order, each order's payout to its vendor,
the vendors' payout accounts (payees), the provider's webhook events as received, and the fake provider's own
records.

Amounts here are integers in the currency's minor unit (pence for GBP), as the providers count them; the
orders keep their Decimal prices. marketplace/shop/payments/money.py converts between the two.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.kernel.labels import ChoiceLabels
from vendors.models import Vendor

from ..payments.money import from_minor
from .orders import Checkout, Order


class Payment(ChoiceLabels, models.Model):
    """The one payment for a checkout (the whole cart, every vendor's order). Its status moves only through
    conditional UPDATEs in marketplace/shop/payments/services/payments.py, from the provider's state."""

    class Status(models.TextChoices):
        CREATED = "created", _("Awaiting payment")
        REQUIRES_ACTION = "requires_action", _("Waiting for your confirmation")
        PROCESSING = "processing", _("Processing")
        FAILED = "failed", _("Failed")  # the last attempt failed; another card may still pay it
        SUCCEEDED = "succeeded", _("Paid")
        EXPIRED = "expired", _("Lapsed")  # abandoned or failed past the timeout: orders cancelled, stock back

    checkout = models.OneToOneField(Checkout, on_delete=models.PROTECT, related_name="payment")
    consumer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="payments"
    )
    provider = models.CharField(max_length=20)
    provider_ref = models.CharField(max_length=255, blank=True, help_text="The provider's id (a PaymentIntent).")
    charge_ref = models.CharField(max_length=255, blank=True, help_text="The charge that took the money.")
    client_secret = models.CharField(max_length=255, blank=True)
    amount_minor = models.PositiveBigIntegerField()
    amount_refunded_minor = models.PositiveBigIntegerField(default=0)
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CREATED, db_index=True)
    card_last4 = models.CharField(max_length=4, blank=True)
    failure_message = models.CharField(max_length=300, blank=True)
    next_action_url = models.CharField(max_length=1000, blank=True)
    attempts = models.PositiveIntegerField(default=0, help_text="Confirmations sent; each has its own key.")
    expires_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_ref"], condition=~Q(provider_ref=""), name="payment_provider_ref_unique"
            ),
            models.CheckConstraint(
                condition=Q(amount_refunded_minor__lte=models.F("amount_minor")), name="payment_refund_within_amount"
            ),
        ]
        indexes = [
            # The expiry job reads the open payments past their time.
            models.Index(
                fields=["expires_at"],
                name="payment_open_expiry_idx",
                condition=Q(status__in=["created", "requires_action", "processing", "failed"]),
            ),
        ]

    def __str__(self) -> str:
        return f"Payment of checkout {self.checkout_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        """Not paid and not lapsed: the consumer may still pay it."""
        return self.status in OPEN_PAYMENT_STATUSES

    @property
    def amount(self) -> Decimal:
        return from_minor(self.amount_minor, self.currency)

    @property
    def amount_refunded(self) -> Decimal:
        return from_minor(self.amount_refunded_minor, self.currency)


OPEN_PAYMENT_STATUSES = (
    Payment.Status.CREATED,
    Payment.Status.REQUIRES_ACTION,
    Payment.Status.PROCESSING,
    Payment.Status.FAILED,
)


class Refund(models.Model):
    """Money given back for one order: the buyer gets `amount_minor`; the platform gives back `fee_minor` of
    its fee and the vendor the rest, in proportion (a vendor's share already transferred is reversed)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being refunded")
        SUCCEEDED = "succeeded", _("Refunded")
        FAILED = "failed", _("Refund failed")

    class Reason(models.TextChoices):
        VENDOR_CANCELLED = "vendor_cancelled", _("Cancelled by the vendor")
        BUYER_CANCELLED = "buyer_cancelled", _("Cancelled by you")
        PAID_TOO_LATE = "paid_too_late", _("Paid after the order had lapsed")

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="refunds")
    amount_minor = models.PositiveBigIntegerField()
    fee_minor = models.PositiveBigIntegerField(default=0, help_text="The platform fee's part of the amount.")
    reversal_minor = models.PositiveBigIntegerField(default=0, help_text="Taken back from a made transfer.")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    idempotency_key = models.CharField(max_length=100, unique=True)
    provider_ref = models.CharField(max_length=255, blank=True)
    reversal_ref = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    refunded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount_minor__gt=0), name="refund_amount_positive")]

    def __str__(self) -> str:
        return f"Refund of order {self.order_id} ({self.status})"

    @property
    def amount(self) -> Decimal:
        return from_minor(self.amount_minor)

    @property
    def fee(self) -> Decimal:
        return from_minor(self.fee_minor)


class OrderPayout(models.Model):
    """What one paid order brings its vendor: gross, the platform's fee, refunds; held until the order is
    delivered, then transferred to the vendor's payout account (separate charges and transfers)."""

    class Status(models.TextChoices):
        HELD = "held", _("Pending")
        TRANSFERRED = "transferred", _("Transferred")
        REFUNDED = "refunded", _("Refunded")  # refunded in full before any transfer: nothing to pay out

    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="payout")
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="payouts")
    gross_minor = models.PositiveBigIntegerField()
    fee_minor = models.PositiveBigIntegerField()
    refunded_minor = models.PositiveBigIntegerField(default=0)
    fee_refunded_minor = models.PositiveBigIntegerField(default=0)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.HELD)
    transfer_ref = models.CharField(max_length=255, blank=True)
    transferred_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(fee_minor__lte=models.F("gross_minor")), name="payout_fee_within_gross"),
            models.CheckConstraint(
                condition=Q(refunded_minor__lte=models.F("gross_minor")), name="payout_refund_within_gross"
            ),
        ]
        indexes = [
            models.Index(fields=["vendor", "status"], name="payout_vendor_status_idx"),
            models.Index(fields=["vendor", "-created_at", "-id"], name="payout_vendor_created_idx"),
        ]

    def __str__(self) -> str:
        return f"Payout of order {self.order_id} ({self.status})"

    @property
    def net_minor(self) -> int:
        """The vendor's part: gross less the fee, less the refunds' vendor share."""
        return self.gross_minor - self.fee_minor - (self.refunded_minor - self.fee_refunded_minor)

    @property
    def gross(self) -> Decimal:
        return from_minor(self.gross_minor)

    @property
    def fee(self) -> Decimal:
        """The platform's fee, less what refunds gave back of it."""
        return from_minor(self.fee_minor - self.fee_refunded_minor)

    @property
    def refunded(self) -> Decimal:
        return from_minor(self.refunded_minor)

    @property
    def net(self) -> Decimal:
        return from_minor(self.net_minor)


class Payee(models.Model):
    """A vendor's payout account at the provider (a Stripe Connect account), and what it still needs."""

    vendor = models.OneToOneField(Vendor, on_delete=models.CASCADE, related_name="payee")
    provider = models.CharField(max_length=20)
    provider_ref = models.CharField(max_length=255, blank=True)
    details_submitted = models.BooleanField(default=False)
    charges_enabled = models.BooleanField(default=False)
    payouts_enabled = models.BooleanField(default=False)
    requirements = models.JSONField(default=list, blank=True, help_text="What the provider still needs.")
    links_issued = models.PositiveIntegerField(default=0, help_text="Onboarding links asked for; keys each one.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_ref"], condition=~Q(provider_ref=""), name="payee_provider_ref_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Payee of vendor {self.vendor_id}"

    @property
    def ready(self) -> bool:
        """Onboarding finished: the account takes charges and receives payouts."""
        return self.details_submitted and self.charges_enabled and self.payouts_enabled


class WebhookEvent(models.Model):
    """A provider's event exactly as received, stored before anything else: (provider, event_id) is unique,
    so a replayed delivery stores nothing new, and processing (a Celery task) marks it once."""

    provider = models.CharField(max_length=20)
    event_id = models.CharField(max_length=255)
    type = models.CharField(max_length=100)
    body = models.TextField(help_text="The raw body the signature covered.")
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["provider", "event_id"], name="webhook_event_unique")]
        indexes = [
            models.Index(fields=["received_at"], name="webhook_unprocessed_idx", condition=Q(processed_at__isnull=True))
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.type} {self.event_id}"


class FakeProviderObject(models.Model):
    """The fake provider's own records (payment intents, refunds, transfers, accounts), as a real provider
    would keep them on its side. Its id is derived from the idempotency key, so the same key gives the same
    object: the fake is deterministic."""

    ref = models.CharField(max_length=80, unique=True)
    kind = models.CharField(max_length=20)
    idempotency_key = models.CharField(max_length=200)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "idempotency_key"], name="fake_object_idempotency_unique")
        ]

    def __str__(self) -> str:
        return self.ref


class FakeProviderEvent(models.Model):
    """An event the fake provider sends to the project's webhook endpoint, signed as Stripe signs; kept
    until delivered (a beat job retries the ones not delivered)."""

    ref = models.CharField(max_length=120, unique=True)
    type = models.CharField(max_length=100)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["created_at"], name="fake_event_pending_idx", condition=Q(delivered_at__isnull=True))
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.ref}"
