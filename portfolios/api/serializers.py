from __future__ import annotations

from rest_framework import serializers

from marketplace.kernel.limits import COMMENT_MAX_LENGTH, ID_MAX

from ..models import EndReason, PartnerMembership


class MembershipOutputSerializer(serializers.ModelSerializer):
    vendor = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    vendor_id = serializers.IntegerField(read_only=True)
    vendor_name = serializers.CharField(source="vendor.shown_name", read_only=True)
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
