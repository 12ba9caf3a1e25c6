"""The promotion designer through the API: drafts, audience preview, publish, end."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from promotions import services
from promotions.models import Promotion
from promotions.selectors import AudienceSpec, audience_preview, promotion_get_for_vendor, promotion_list_for_vendor

from ...access import own_vendor
from ..serializers.promotions import AudiencePreviewSerializer, PromotionSerializer


def _own(request: Request, pk: int) -> Promotion:
    promotion = promotion_get_for_vendor(vendor=own_vendor(request), pk=pk)
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
        return promotion_list_for_vendor(vendor=own_vendor(self.request))

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
    """How many partners the promotion would reach: suppressed under K, else rounded down to a multiple of K,
    and whether it can be published (not when the audience is under K)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=AudiencePreviewSerializer)
    def get(self, request: Request, pk: int) -> Response:
        preview = audience_preview(spec=AudienceSpec.of(_own(request, pk)))
        return Response(AudiencePreviewSerializer(preview).data)


class PromotionPublishApi(APIView):
    """Publish a draft. A partners-only promotion whose audience is under K answers 409 with
    `code: audience_too_small` and the reason; nothing is published or delivered."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses={
            200: PromotionSerializer,
            409: OpenApiResponse(
                inline_serializer(
                    "PromotionPublishRefused", {"detail": serializers.CharField(), "code": serializers.CharField()}
                ),
                description="Refused: already published, or the audience is under K partners (audience_too_small).",
            ),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        promotion = _own(request, pk)
        return Response(PromotionSerializer(services.promotion_publish(vendor=promotion.vendor, promotion_id=pk)).data)


class PromotionEndApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=PromotionSerializer)
    def post(self, request: Request, pk: int) -> Response:
        promotion = _own(request, pk)
        return Response(PromotionSerializer(services.promotion_end(vendor=promotion.vendor, promotion_id=pk)).data)
