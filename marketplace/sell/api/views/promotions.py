"""The promotion designer through the API: drafts, audience preview, publish, end."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from promotions import services
from promotions.models import Promotion
from promotions.selectors import AudienceSpec, audience_preview

from ...access import own_vendor
from ..serializers.promotions import AudiencePreviewSerializer, PromotionSerializer


def _own(request: Request, pk: int) -> Promotion:
    promotion = Promotion.objects.filter(vendor=own_vendor(request), pk=pk).first()
    if promotion is None:
        raise Http404
    return promotion


def _design(validated: dict) -> dict:  # type: ignore[type-arg]
    data = dict(validated)
    data.setdefault("segment_age_band", "")
    if data.get("segment_age_band") is None:
        data["segment_age_band"] = ""
    return data


class PromotionListCreateApi(generics.ListAPIView):
    """Your promotions (GET), or save a new draft (POST)."""

    serializer_class = PromotionSerializer
    permission_classes = [IsAuthenticated]
    queryset = Promotion.objects.none()

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return (
            Promotion.objects.filter(vendor=own_vendor(self.request))
            .select_related("segment_region", "segment_interest")
            .order_by("-created_at", "-id")
        )

    @extend_schema(request=PromotionSerializer, responses={201: PromotionSerializer})
    def post(self, request: Request) -> Response:
        data = PromotionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        promotion = services.promotion_create(vendor=own_vendor(request), **_design(data.validated_data))
        return Response(PromotionSerializer(promotion).data, status=status.HTTP_201_CREATED)


class PromotionDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=PromotionSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(PromotionSerializer(_own(request, pk)).data)

    @extend_schema(request=PromotionSerializer, responses=PromotionSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        promotion = _own(request, pk)
        data = PromotionSerializer(promotion, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        promotion = services.promotion_update(vendor=promotion.vendor, promotion_id=pk, **data.validated_data)
        return Response(PromotionSerializer(promotion).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        promotion = _own(request, pk)
        services.promotion_delete(vendor=promotion.vendor, promotion_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PromotionPreviewApi(APIView):
    """How many partners the promotion would reach (suppressed under K), from the statistics."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=AudiencePreviewSerializer)
    def get(self, request: Request, pk: int) -> Response:
        preview = audience_preview(spec=AudienceSpec.of(_own(request, pk)))
        return Response(AudiencePreviewSerializer({**preview.__dict__, "text": preview.text}).data)


class PromotionPublishApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=PromotionSerializer)
    def post(self, request: Request, pk: int) -> Response:
        promotion = _own(request, pk)
        return Response(PromotionSerializer(services.promotion_publish(vendor=promotion.vendor, promotion_id=pk)).data)


class PromotionEndApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=PromotionSerializer)
    def post(self, request: Request, pk: int) -> Response:
        promotion = _own(request, pk)
        return Response(PromotionSerializer(services.promotion_end(vendor=promotion.vendor, promotion_id=pk)).data)
