"""The asks through the API: the consumer's under /api/v1/asks/, the vendor's under /api/v1/sell/asks/. Bad
input answers 400 with field errors; an ask a vendor may not see answers 404, exactly like one that does not
exist; a refused move answers 409 (marketplace/kernel/errors.py)."""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.kernel.errors import NotFoundError
from marketplace.kernel.pagination import LookaheadPagination
from marketplace.shop.api.serializers import CheckoutOutputSerializer
from marketplace.shop.payments.base import ProviderError
from marketplace.shop.payments.services import payment_start
from vendors.models import Vendor
from vendors.selectors import vendor_get_for_owner

from .. import selectors, services
from ..models import Ask, AskRecipient
from .serializers import (
    AcceptInputSerializer,
    AskAudienceFilterSerializer,
    AskAudienceSerializer,
    AskInputSerializer,
    AskInsightsSerializer,
    AskMuteInputSerializer,
    AskOutputSerializer,
    OfferComparedSerializer,
    OfferInputSerializer,
    OfferReportInputSerializer,
    OwnOfferSerializer,
    VendorAskSerializer,
)

logger = logging.getLogger(__name__)


def _own_vendor(request: Request) -> Vendor:
    vendor = vendor_get_for_owner(owner=request.user)
    if vendor is None:
        raise NotFoundError(_("You have not applied to sell yet."))
    return vendor


# --- The consumer's ------------------------------------------------------------------------------------------


class AskListCreateApi(generics.ListAPIView):
    """Your asks, newest first; POST writes one (a draft, or published at once with `publish`)."""

    serializer_class = AskOutputSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = LookaheadPagination
    queryset = Ask.objects.none()

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.ask_list_for_consumer(consumer=self.request.user)

    @extend_schema(request=AskInputSerializer, responses={201: AskOutputSerializer})
    def post(self, request: Request) -> Response:
        data = AskInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        publish = fields.pop("publish")
        category = fields.pop("category")
        ask = services.ask_draft_create(consumer=request.user, category_id=category.pk, **fields)
        if publish:
            ask = services.ask_publish(consumer=request.user, ask_id=ask.pk)
        return Response(AskOutputSerializer(ask).data, status=status.HTTP_201_CREATED)


class AskAudienceApi(APIView):
    """How many of your partners an ask in `?category=<slug>` would reach now."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[AskAudienceFilterSerializer], responses=AskAudienceSerializer)
    def get(self, request: Request) -> Response:
        data = AskAudienceFilterSerializer(data=request.query_params)
        data.is_valid(raise_exception=True)
        audience = services.ask_audience(consumer=request.user, category_id=data.validated_data["category"].pk)
        return Response(AskAudienceSerializer(audience).data)


class AskDetailApi(APIView):
    """Your ask and its offers compared: price, valid-until, the vendor's public facts, whether you may accept."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=AskOutputSerializer)
    def get(self, request: Request, pk: int) -> Response:
        ask = selectors.ask_get_for_consumer(consumer=request.user, pk=pk)
        payload = AskOutputSerializer(ask).data
        payload["offers"] = OfferComparedSerializer(selectors.offer_list_for_consumer(ask=ask), many=True).data
        return Response(payload)


class AskPublishApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=AskOutputSerializer)
    def post(self, request: Request, pk: int) -> Response:
        return Response(AskOutputSerializer(services.ask_publish(consumer=request.user, ask_id=pk)).data)


class AskCancelApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=AskOutputSerializer)
    def post(self, request: Request, pk: int) -> Response:
        return Response(AskOutputSerializer(services.ask_cancel(consumer=request.user, ask_id=pk)).data)


class OfferAcceptApi(APIView):
    """Accept one offer: the order at the offered price, its payment started (keyed by the checkout)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=AcceptInputSerializer, responses={201: CheckoutOutputSerializer})
    def post(self, request: Request, pk: int, offer_id: int) -> Response:
        data = AcceptInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.offer_accept(consumer=request.user, ask_id=pk, offer_id=offer_id, **data.validated_data)
        payment = result.payment
        if payment is not None:
            try:
                payment = payment_start(payment_id=payment.pk)
            except ProviderError:
                logger.exception("Payment of checkout %s not started", result.checkout.pk)
        payload = CheckoutOutputSerializer(
            {"checkout": result.checkout, "replayed": result.replayed, "orders": result.orders, "payment": payment}
        ).data
        return Response(payload, status=status.HTTP_201_CREATED)


class OfferReportApi(APIView):
    """Report an offer of your ask as bait; moderators see it."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=OfferReportInputSerializer, responses={201: None})
    def post(self, request: Request, pk: int, offer_id: int) -> Response:
        data = OfferReportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.offer_report(consumer=request.user, ask_id=pk, offer_id=offer_id, **data.validated_data)
        return Response(status=status.HTTP_201_CREATED)


class AskMuteApi(APIView):
    """Keep one of your partners out of your asks (or let it back), without ending the partnership."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=AskMuteInputSerializer, responses=AskMuteInputSerializer)
    def post(self, request: Request, vendor_id: int) -> Response:
        data = AskMuteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if not Vendor.objects.filter(pk=vendor_id).exists():
            raise NotFoundError(_("No such vendor."))
        muted = services.ask_mute_set(consumer=request.user, vendor_id=vendor_id, muted=data.validated_data["muted"])
        return Response({"muted": muted})


# --- The vendor's --------------------------------------------------------------------------------------------


class VendorAskListApi(generics.ListAPIView):
    """The asks your partners addressed to you, newest first; `?state=open` for the open ones."""

    serializer_class = VendorAskSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = LookaheadPagination
    queryset = AskRecipient.objects.none()

    def get_queryset(self):  # type: ignore[no-untyped-def]
        state = "open" if self.request.query_params.get("state") == "open" else ""
        return selectors.ask_list_for_vendor(vendor=_own_vendor(self.request), state=state)


class VendorAskDetailApi(APIView):
    """One ask addressed to you, with your own answer; 404 when you may not see it."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=VendorAskSerializer)
    def get(self, request: Request, pk: int) -> Response:
        vendor = _own_vendor(request)
        row = selectors.ask_get_for_vendor(vendor=vendor, pk=pk)
        payload = VendorAskSerializer(row).data
        offer = selectors.offer_get_own(vendor=vendor, ask_id=pk)
        payload["offer"] = OwnOfferSerializer(offer).data if offer is not None else None
        return Response(payload)


class VendorOfferApi(APIView):
    """Make your offer on the ask, or revise it (once)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=OfferInputSerializer, responses={201: OwnOfferSerializer})
    def post(self, request: Request, pk: int) -> Response:
        vendor = _own_vendor(request)
        data = OfferInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        offer = services.offer_make(vendor=vendor, ask_id=pk, **data.validated_data)
        return Response(OwnOfferSerializer(offer).data, status=status.HTTP_201_CREATED)


class VendorOfferWithdrawApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=OwnOfferSerializer)
    def post(self, request: Request, pk: int) -> Response:
        offer = services.offer_withdraw(vendor=_own_vendor(request), ask_id=pk)
        return Response(OwnOfferSerializer(offer).data)


class VendorNotInterestedApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={201: OwnOfferSerializer})
    def post(self, request: Request, pk: int) -> Response:
        offer = services.offer_not_interested(vendor=_own_vendor(request), ask_id=pk)
        return Response(OwnOfferSerializer(offer).data, status=status.HTTP_201_CREATED)


class VendorAskInsightsApi(APIView):
    """What your partners' asks tell you, in aggregate only (suppressed under K)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=AskInsightsSerializer)
    def get(self, request: Request) -> Response:
        insights = selectors.ask_insights_for_vendor(vendor=_own_vendor(request))
        return Response(AskInsightsSerializer(insights).data)
