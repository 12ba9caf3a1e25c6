"""The vendor's delivery charges through the API (the shop's shipping policy)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.accounts.models import Region
from marketplace.shop.selectors import ShippingTerms, shipping_terms_for_vendors
from marketplace.shop.services import shipping_policy_set
from vendors.models import Vendor

from ...access import own_vendor
from ..serializers.shipping import ShippingSerializer


def _shown(vendor: Vendor) -> dict[str, Any]:
    terms: ShippingTerms = shipping_terms_for_vendors(vendor_ids=[vendor.pk])[vendor.pk]
    return {
        "flat_rate": terms.flat_rate,
        "free_over": terms.free_over,
        "region_rates": [{"region": Region(code=r.code, name=r.name), "rate": r.rate} for r in terms.region_rates],
    }


class ShippingApi(APIView):
    """Your delivery charges: a flat amount per order, free over an order amount, and rates per region (GET);
    replace them whole (PUT). New orders and your product pages use them at once."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ShippingSerializer)
    def get(self, request: Request) -> Response:
        return Response(ShippingSerializer(_shown(own_vendor(request))).data)

    @extend_schema(request=ShippingSerializer, responses=ShippingSerializer)
    def put(self, request: Request) -> Response:
        vendor = own_vendor(request)
        data = ShippingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        shipping_policy_set(
            vendor=vendor,
            flat_rate=data.validated_data["flat_rate"],
            free_over=data.validated_data["free_over"],
            region_rates={row["region"].code: row["rate"] for row in data.validated_data["region_rates"]},
        )
        return Response(ShippingSerializer(_shown(vendor)).data)
