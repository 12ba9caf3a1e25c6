"""The vendor's delivery charges through the API: read them, or replace them whole."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from rest_framework import serializers

from marketplace.accounts.models import Region
from marketplace.shop.services.shipping import MAX_FREE_OVER, MAX_RATE


class RegionRateSerializer(serializers.Serializer):
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())
    rate = serializers.DecimalField(max_digits=8, decimal_places=2, min_value=Decimal("0"), max_value=MAX_RATE)


class ShippingSerializer(serializers.Serializer):
    flat_rate = serializers.DecimalField(
        max_digits=8, decimal_places=2, min_value=Decimal("0"), max_value=MAX_RATE, help_text="Per order; 0 is free."
    )
    free_over = serializers.DecimalField(
        max_digits=9,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=MAX_FREE_OVER,
        allow_null=True,
        required=False,
        default=None,
        help_text="An order whose goods (after promotions) come to this much or more is delivered free; null: never.",
    )
    region_rates = RegionRateSerializer(
        many=True,
        required=False,
        default=list,
        max_length=100,
        help_text="Instead of the flat rate in these regions; the regions left out charge the flat rate.",
    )

    def validate_region_rates(self, value: list[dict]) -> list[dict]:
        codes = [row["region"].code for row in value]
        if len(codes) != len(set(codes)):
            raise serializers.ValidationError(_("Name each region once."))
        return value
