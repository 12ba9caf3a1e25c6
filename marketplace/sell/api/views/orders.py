"""The vendor's orders and promotion results through the API (shop layer: orders live here)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.shop.models import Order
from marketplace.shop.selectors import order_list_for_vendor
from marketplace.shop.services.fulfilment import CANCEL_REASON_MAX_LENGTH, TRACKING_MAX_LENGTH, order_fulfil
from promotions.selectors import promotion_get_for_vendor

from ...access import own_vendor
from ...selectors import promotion_results


class SellOrderLineSerializer(serializers.Serializer):
    product_name = serializers.CharField()
    unit_price = serializers.DecimalField(max_digits=10, decimal_places=2)
    quantity = serializers.IntegerField()


class SellOrderSerializer(serializers.ModelSerializer):
    """What fulfilment needs: the buyer only as the delivery name and address."""

    lines = SellOrderLineSerializer(many=True, read_only=True)

    class Meta:
        model = Order
        fields = [
            "id",
            "status",
            "created_at",
            "buyer_was_partner",
            "ship_to_name",
            "ship_to_address",
            "subtotal",
            "discount",
            "shipping",
            "total",
            "carrier",
            "tracking_number",
            "lines",
        ]


class SellOrderListApi(generics.ListAPIView):
    """Your orders, newest first; `?status=paid` etc."""

    serializer_class = SellOrderSerializer
    permission_classes = [IsAuthenticated]
    queryset = Order.objects.none()

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return order_list_for_vendor(
            vendor=own_vendor(self.request), status=self.request.query_params.get("status", "")
        )


class SellOrderDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=SellOrderSerializer)
    def get(self, request: Request, pk: int) -> Response:
        order = order_list_for_vendor(vendor=own_vendor(request)).filter(pk=pk).first()
        if order is None:
            raise Http404
        return Response(SellOrderSerializer(order).data)


class OrderCancelInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=CANCEL_REASON_MAX_LENGTH,
        help_text="Why the order is cancelled; e-mailed to the buyer.",
    )


class OrderShipInputSerializer(serializers.Serializer):
    carrier = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=TRACKING_MAX_LENGTH, help_text="Who carries it."
    )
    tracking_number = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=TRACKING_MAX_LENGTH,
        help_text="Letters, digits, spaces and dashes; shown to the buyer and in the shipped e-mail.",
    )


INPUTS: dict[str, type[serializers.Serializer]] = {
    "cancel": OrderCancelInputSerializer,
    "ship": OrderShipInputSerializer,
}


def _fulfil_view(action: str) -> type[APIView]:
    class OrderFulfilApi(APIView):
        permission_classes = [IsAuthenticated]

        @extend_schema(request=INPUTS.get(action), responses=SellOrderSerializer)
        def post(self, request: Request, pk: int) -> Response:
            fields = {}
            if action in INPUTS:
                data = INPUTS[action](data=request.data)
                data.is_valid(raise_exception=True)
                fields = data.validated_data
            order = order_fulfil(vendor=own_vendor(request), order_id=pk, action=action, **fields)
            order = order_list_for_vendor(vendor=order.vendor).get(pk=order.pk)
            return Response(SellOrderSerializer(order).data)

    OrderFulfilApi.__doc__ = {
        "ship": "Mark a paid order shipped, with an optional carrier and tracking number for the buyer.",
        "deliver": "Mark a shipped order delivered.",
        "cancel": "Cancel a paid order, with an optional reason e-mailed to the buyer; its stock returns.",
    }[action]
    return OrderFulfilApi


OrderShipApi = _fulfil_view("ship")
OrderDeliverApi = _fulfil_view("deliver")
OrderCancelApi = _fulfil_view("cancel")


class PromotionResultsSerializer(serializers.Serializer):
    promotion = serializers.IntegerField(source="promotion.id")
    min_group = serializers.IntegerField()
    reached = serializers.IntegerField(allow_null=True)
    redemptions = serializers.IntegerField(allow_null=True, help_text="Null when fewer than min_group buyers.")
    discount_total = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    revenue = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    redemption_rate = serializers.FloatField(
        allow_null=True,
        help_text="Redeeming partners ÷ reach, both as released (estimates), in whole percent (0.12 is 12%).",
    )


class PromotionResultsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=PromotionResultsSerializer)
    def get(self, request: Request, pk: int) -> Response:
        promotion = promotion_get_for_vendor(vendor=own_vendor(request), pk=pk)
        if promotion is None:
            raise Http404
        return Response(PromotionResultsSerializer(promotion_results(promotion=promotion)).data)
