"""The partner feed and feedback on it, and the consumer's digest with its setting, through the API (under
/api/v1/portfolio/feed/ and /api/v1/portfolio/digest/)."""

from __future__ import annotations

from rest_framework import serializers

from marketplace.accounts.models import DigestFrequency

from ..models import PromotionFeedback


class FeedPromotionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    vendor = serializers.CharField(source="vendor.slug")
    vendor_name = serializers.CharField(source="vendor.shown_name")
    title = serializers.CharField()
    description = serializers.CharField()
    discount_type = serializers.CharField()
    discount_value = serializers.DecimalField(max_digits=10, decimal_places=2)
    min_order = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    code = serializers.CharField()
    ends_at = serializers.DateTimeField()


class FeedProductSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    vendor = serializers.CharField(source="vendor.slug")
    name = serializers.CharField(source="shown_name", help_text="In the request's language where the vendor gave it.")
    price = serializers.DecimalField(max_digits=10, decimal_places=2)
    partner_price = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    created_at = serializers.DateTimeField()


class FeedOutputSerializer(serializers.Serializer):
    promotions = FeedPromotionSerializer(many=True)
    new_products = FeedProductSerializer(many=True)


class PromotionFeedbackInputSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=PromotionFeedback.Verdict.choices)
    reason = serializers.ChoiceField(
        choices=PromotionFeedback.Reason.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Only with verdict not_for_me.",
    )


class PromotionFeedbackOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = PromotionFeedback
        fields = ["promotion", "verdict", "reason", "updated_at"]


class DigestProductSerializer(FeedProductSerializer):
    vendor_name = serializers.CharField(source="vendor.shown_name")
    your_price = serializers.DecimalField(
        max_digits=10, decimal_places=2, help_text="What you pay: the partner price where the vendor gives one."
    )


class DigestOutputSerializer(serializers.Serializer):
    digest_frequency = serializers.ChoiceField(choices=DigestFrequency.choices, source="profile.digest_frequency")
    confirmed = serializers.BooleanField(help_text="False until you choose: no digest e-mail is sent before.")
    last_sent_at = serializers.DateTimeField(source="profile.digest_sent_at", allow_null=True)
    window_start = serializers.DateTimeField(source="digest.window_start")
    window_end = serializers.DateTimeField(source="digest.window_end")
    promotions = FeedPromotionSerializer(many=True, source="digest.promotions")
    products = DigestProductSerializer(many=True, source="digest.products")
    more_products = serializers.BooleanField(source="digest.more_products")


class DigestSettingsInputSerializer(serializers.Serializer):
    digest_frequency = serializers.ChoiceField(choices=DigestFrequency.choices)
