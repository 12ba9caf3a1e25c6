"""The payment of a checkout and its refunds, through the API."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ...models import Payment, Refund


class RefundOutputSerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)

    class Meta:
        model = Refund
        fields = ["id", "order", "amount", "amount_minor", "reason", "status", "created_at", "refunded_at"]


class OrderPaymentOutputSerializer(serializers.ModelSerializer):
    """The payment an order was paid by (one for its whole checkout)."""

    checkout = serializers.IntegerField(source="checkout_id", read_only=True)
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, read_only=True, help_text="The whole checkout's payment."
    )

    class Meta:
        model = Payment
        fields = ["checkout", "status", "amount", "currency", "card_last4", "paid_at", "expires_at"]


class PaymentOutputSerializer(serializers.ModelSerializer):
    """A checkout's one payment: what to pay, how it stands, its refunds. `client_secret` is for Stripe.js
    (PAYMENTS_PROVIDER=stripe); with the fake provider, confirm with a test card number instead."""

    checkout = serializers.IntegerField(source="checkout_id", read_only=True)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    amount_refunded = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    orders = serializers.SerializerMethodField(help_text="The ids of the orders this payment pays.")
    refunds = RefundOutputSerializer(many=True, read_only=True)
    publishable_key = serializers.SerializerMethodField(help_text="Stripe's publishable key, for Stripe.js.")

    class Meta:
        model = Payment
        fields = [
            "checkout",
            "provider",
            "status",
            "amount",
            "amount_minor",
            "amount_refunded",
            "currency",
            "client_secret",
            "publishable_key",
            "card_last4",
            "failure_message",
            "next_action_url",
            "attempts",
            "expires_at",
            "paid_at",
            "orders",
            "refunds",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_orders(self, payment: Payment) -> list[int]:
        return [order.pk for order in payment.checkout.orders.all()]

    def get_publishable_key(self, payment: Payment) -> str:
        from django.conf import settings

        return settings.STRIPE_PUBLISHABLE_KEY if payment.provider == "stripe" else ""


class PaymentConfirmInputSerializer(serializers.Serializer):
    payment_method = serializers.CharField(
        max_length=100,
        help_text="A test card number with the fake provider (4242 4242 4242 4242 pays; 4000 0000 0000 0002 is "
        "declined; 4000 0027 6000 3184 needs the buyer's confirmation at `next_action_url`), or a Stripe "
        "PaymentMethod id.",
    )
