from __future__ import annotations

from rest_framework import serializers

from marketplace.accounts.models import AgeBand, Interest, Region
from promotions.models import Promotion


class PromotionSerializer(serializers.ModelSerializer):
    segment_region = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.all(), required=False, allow_null=True
    )
    segment_interest = serializers.SlugRelatedField(
        slug_field="slug", queryset=Interest.objects.all(), required=False, allow_null=True
    )
    segment_age_band = serializers.ChoiceField(choices=AgeBand.choices, required=False, allow_blank=True)

    class Meta:
        model = Promotion
        fields = [
            "id",
            "title",
            "description",
            "kind",
            "audience",
            "segment_region",
            "segment_age_band",
            "segment_interest",
            "lapsed_days",
            "discount_type",
            "discount_value",
            "min_order",
            "code",
            "starts_at",
            "ends_at",
            "state",
            "created_at",
        ]
        read_only_fields = ["id", "state", "created_at"]
        # The rules (end after start, percent ≤ 100, ...) live in the service, not here.
        validators: list = []


class AudiencePreviewSerializer(serializers.Serializer):
    size = serializers.IntegerField(allow_null=True, help_text="Null when fewer than min_group (suppressed).")
    min_group = serializers.IntegerField()
    source = serializers.CharField()
    computed_at = serializers.DateTimeField(allow_null=True)
    public = serializers.BooleanField()
    text = serializers.CharField()
