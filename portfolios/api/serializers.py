from __future__ import annotations

from rest_framework import serializers

from marketplace.kernel.limits import COMMENT_MAX_LENGTH, ID_MAX

from ..models import EndReason, PartnerMembership


class MembershipOutputSerializer(serializers.ModelSerializer):
    vendor = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    vendor_id = serializers.IntegerField(read_only=True)
    vendor_name = serializers.CharField(source="vendor.name", read_only=True)
    vendor_status = serializers.CharField(source="vendor.status", read_only=True)

    class Meta:
        model = PartnerMembership
        fields = [
            "id",
            "vendor_id",
            "vendor",
            "vendor_name",
            "vendor_status",
            "started_at",
            "ended_at",
            "end_reason",
            "end_comment",
            "muted",
        ]


class MembershipAddInputSerializer(serializers.Serializer):
    vendor_id = serializers.IntegerField(min_value=1, max_value=ID_MAX)


class MembershipEndInputSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=EndReason.choices)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=COMMENT_MAX_LENGTH, default="")


class MuteInputSerializer(serializers.Serializer):
    muted = serializers.BooleanField()


class FeedPromotionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    vendor = serializers.CharField(source="vendor.slug")
    vendor_name = serializers.CharField(source="vendor.name")
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
    name = serializers.CharField()
    price = serializers.DecimalField(max_digits=10, decimal_places=2)
    partner_price = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    created_at = serializers.DateTimeField()


class FeedOutputSerializer(serializers.Serializer):
    promotions = FeedPromotionSerializer(many=True)
    new_products = FeedProductSerializer(many=True)
