"""The vendor's payouts through the API (the same selectors and services as /sell/payouts/)."""

from __future__ import annotations

import logging

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.shop.models import OrderPayout
from marketplace.shop.payments.base import ProviderError
from marketplace.shop.payments.selectors import payout_list_for_vendor, payout_summary_for_vendor
from marketplace.shop.payments.services import payee_onboarding_link_create
from marketplace.shop.payments.services.payments import UNREACHABLE

from ...access import own_vendor
from ..serializers.payouts import OnboardingLinkSerializer, PayoutOrderSerializer, PayoutSummarySerializer

logger = logging.getLogger(__name__)


class PayoutSummaryApi(APIView):
    """Your payout account's onboarding (and what is missing), your balance pending and available, refunds."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=PayoutSummarySerializer)
    def get(self, request: Request) -> Response:
        summary = payout_summary_for_vendor(vendor=own_vendor(request))
        return Response(PayoutSummarySerializer(summary).data)


class PayoutListApi(generics.ListAPIView):
    """Your paid orders' payouts, newest first: gross, the marketplace's fee, refunds, net, payout state."""

    serializer_class = PayoutOrderSerializer
    permission_classes = [IsAuthenticated]
    queryset = OrderPayout.objects.none()

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return payout_list_for_vendor(vendor=own_vendor(self.request))


class PayoutOnboardingApi(APIView):
    """A link to the payment provider's onboarding for your payout account (opened on first use)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses={
            200: OnboardingLinkSerializer,
            503: OpenApiResponse(
                inline_serializer(
                    "PayoutProviderUnavailable", {"detail": serializers.CharField(), "code": serializers.CharField()}
                ),
                description="The payment provider could not be reached; try again.",
            ),
        },
    )
    def post(self, request: Request) -> Response:
        vendor = own_vendor(request)
        try:
            url = payee_onboarding_link_create(
                vendor=vendor,
                return_url=request.build_absolute_uri(reverse("sell:payouts-return")),
                refresh_url=request.build_absolute_uri(reverse("sell:payouts-onboarding")),
            )
        except ProviderError:
            logger.exception("Onboarding link for vendor %s not made", vendor.pk)
            return Response(
                {"detail": _(UNREACHABLE), "code": "payment_provider_unavailable"},
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
            )
        return Response(OnboardingLinkSerializer({"url": request.build_absolute_uri(url)}).data)
