from __future__ import annotations

from rest_framework import serializers

from marketplace.kernel.limits import COMMENT_MAX_LENGTH, ID_MAX

from ...models import ModerationAction, Vendor, VendorFlag, VendorReport


class ModerationVendorSerializer(serializers.ModelSerializer):
    owner = serializers.EmailField(source="owner.email", read_only=True)
    category = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    open_report_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Vendor
        fields = [
            "id",
            "slug",
            "name",
            "status",
            "status_reason",
            "owner",
            "contact_email",
            "category",
            "description",
            "created_at",
            "approved_at",
            "open_report_count",
        ]


class FlagSerializer(serializers.ModelSerializer):
    vendor = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = VendorFlag
        fields = ["id", "vendor", "kind", "details", "raised_at", "cleared_at"]


class ReportSerializer(serializers.ModelSerializer):
    vendor = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = VendorReport
        fields = ["id", "vendor", "reason", "text", "status", "created_at", "resolved_at"]


class ReportCreateInputSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=VendorReport.Reason.choices)
    text = serializers.CharField(required=False, allow_blank=True, max_length=COMMENT_MAX_LENGTH, default="")


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=COMMENT_MAX_LENGTH, default="")


class NoteInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=COMMENT_MAX_LENGTH)


class AuditSerializer(serializers.ModelSerializer):
    vendor = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    moderator = serializers.EmailField(source="moderator.email", read_only=True)

    class Meta:
        model = ModerationAction
        fields = ["id", "created_at", "kind", "vendor", "moderator", "reason"]


class AuditFilterSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ModerationAction.Kind.choices, required=False)
    moderator = serializers.IntegerField(required=False, min_value=1, max_value=ID_MAX)
    vendor = serializers.CharField(required=False, max_length=100)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)


class VendorFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Vendor.Status.choices, required=False)
    q = serializers.CharField(required=False, max_length=100, allow_blank=True)
