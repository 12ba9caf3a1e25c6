"""The vendor's payouts through the API: onboarding, balance, each order's gross, fee, refunds and net."""

from __future__ import annotations

from rest_framework import serializers

from marketplace.shop.models import Order, OrderPayout


class OnboardingSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=["not_started", "incomplete", "complete"])
    label = serializers.CharField()
    provider = serializers.CharField()
    details_submitted = serializers.BooleanField()
    charges_enabled = serializers.BooleanField()
    payouts_enabled = serializers.BooleanField()
    missing = serializers.ListField(child=serializers.CharField(), help_text="What the payment provider still needs.")
    can_sell = serializers.BooleanField(
        help_text="Whether buyers can check out your products now (the operator may require onboarding first)."
    )


class PayoutSummarySerializer(serializers.Serializer):
    currency = serializers.CharField()
    fee_percent = serializers.DecimalField(max_digits=5, decimal_places=2, help_text="The marketplace's fee, in %.")
    onboarding = OnboardingSerializer()
    pending = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="Paid orders' net, paid out once each is delivered."
    )
    available = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="Net transferred to your payout account."
    )
    refunded = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="Your share of refunds.")
    orders_paid = serializers.IntegerField()
    notes = serializers.ListField(child=serializers.CharField())


class PayoutOrderSerializer(serializers.ModelSerializer):
    order = serializers.IntegerField(source="order_id", read_only=True)
    order_status = serializers.ChoiceField(source="order.status", choices=Order.Status.choices, read_only=True)
    gross = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    fee = serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True, help_text="The fee kept: less what refunds gave back."
    )
    refunded = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    net = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = OrderPayout
        fields = ["order", "order_status", "created_at", "gross", "fee", "refunded", "net", "status", "transferred_at"]


class OnboardingLinkSerializer(serializers.Serializer):
    url = serializers.CharField(help_text="Where to give the payment provider your details (single use, expires).")
