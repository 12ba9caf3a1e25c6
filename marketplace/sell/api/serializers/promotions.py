from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from marketplace.accounts.models import AgeBand, Interest, Region
from promotions.models import PROMOTION_DESIGN_FIELDS, LapsedWindow, Promotion


class PromotionSerializer(serializers.ModelSerializer):
    segment_region = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.all(), required=False, allow_null=True
    )
    segment_interest = serializers.SlugRelatedField(
        slug_field="slug", queryset=Interest.objects.all(), required=False, allow_null=True
    )
    segment_age_band = serializers.ChoiceField(choices=AgeBand.choices, required=False, allow_blank=True)
    lapsed_days = serializers.ChoiceField(
        choices=LapsedWindow.choices,
        required=False,
        allow_null=True,
        help_text="For the lapsed audience: one of the fixed windows (days without an order). Any other "
        "number is refused, so two audiences a few days apart cannot be differenced into one partner.",
    )

    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    discount_value = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=Decimal("0.01"), max_value=Decimal("100000.00")
    )
    min_order = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("100000.00"),
        required=False,
        allow_null=True,
    )

    class Meta:
        model = Promotion
        fields = ["id", *PROMOTION_DESIGN_FIELDS, "state", "created_at"]
        read_only_fields = ["id", "state", "created_at"]
        # The rules (end after start, percent ≤ 100, ...) live in the service, not here.
        validators: list = []


class AudiencePreviewSerializer(serializers.Serializer):
    size = serializers.IntegerField(
        allow_null=True,
        help_text="An estimate of the partners who count (docs/privacy.md): a little deterministic noise, rounded "
        "down to a multiple of min_group; null when under min_group (suppressed), for public ads, and when the "
        "day's fresh previews are used up and this audience was never previewed (`limited`).",
    )
    suppressed = serializers.BooleanField(help_text="True when the audience is fewer than min_group partners.")
    min_group = serializers.IntegerField()
    source = serializers.CharField()
    computed_at = serializers.DateTimeField(allow_null=True)
    public = serializers.BooleanField()
    text = serializers.CharField()
    publishable = serializers.BooleanField(
        help_text="False when publishing would be refused because the audience is under min_group."
    )
    publish_refusal = serializers.CharField(allow_null=True, help_text="Why it cannot be published, when not.")
    limited = serializers.BooleanField(
        help_text="True when the vendor's fresh previews of the day (PREVIEW_DAILY_LIMIT) are used up: the figures "
        "are the last ones given for this audience, or null when it was never previewed."
    )
    limit_text = serializers.CharField(help_text="Why, when `limited`; empty otherwise.")
