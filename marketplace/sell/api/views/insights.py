"""The vendor's insights through the API: the same figures as the page, from the statistics tables only."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.shop.models import VendorSalesStats
from portfolios.selectors.insights import insights_get_kept

from ...access import own_vendor


class SegmentRowSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    partners = serializers.IntegerField()
    share = serializers.FloatField(allow_null=True)
    lift = serializers.FloatField(allow_null=True)


class InsightsSerializer(serializers.Serializer):
    min_group = serializers.IntegerField(help_text="Figures about fewer consumers than this are null.")
    computed_at = serializers.DateTimeField(allow_null=True)
    current_partners = serializers.IntegerField(
        allow_null=True,
        help_text="An estimate of the partners who count (docs/privacy.md): a little deterministic noise, rounded "
        "down to a multiple of min_group; null under it. Every count here is released the same way.",
    )
    partners_ever = serializers.IntegerField(allow_null=True, help_text="Released like current_partners.")
    ended_90d = serializers.IntegerField(allow_null=True)
    reachable_partners = serializers.IntegerField(allow_null=True)
    grain = serializers.ChoiceField(
        choices=["day", "week", "month"], help_text="The trend's period: days, or weeks or months for small vendors."
    )
    days = serializers.ListField(child=serializers.CharField(), help_text="The first day of each period.")
    partners_series = serializers.ListField(child=serializers.IntegerField(allow_null=True))
    adds_series = serializers.ListField(child=serializers.IntegerField(allow_null=True))
    ends_series = serializers.ListField(child=serializers.IntegerField(allow_null=True))
    end_reasons = serializers.ListField(child=serializers.DictField())
    segments = serializers.DictField(child=SegmentRowSerializer(many=True))
    overlap = serializers.FloatField(allow_null=True)
    partner_sales_share = serializers.FloatField(allow_null=True)


class InsightsApi(APIView):
    """Your insights, from the statistics tables only, suppressed under K consumers."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=InsightsSerializer)
    def get(self, request: Request) -> Response:
        vendor = own_vendor(request)
        insights = insights_get_kept(vendor=vendor)
        sales = VendorSalesStats.objects.filter(vendor=vendor).first()
        share = sales.partner_share if sales else None
        data = {**insights.__dict__, "partner_sales_share": float(share) if share is not None else None}
        return Response(InsightsSerializer(data).data)
