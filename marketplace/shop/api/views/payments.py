"""The consumer's payments through the API: a checkout's payment, paying it, giving it up; cancelling a paid
order. The same services as the pages; another consumer's checkout or order is not found (404)."""

from __future__ import annotations

import logging

from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from ... import selectors
from ...payments.base import ProviderError
from ...payments.selectors import payment_get_for_consumer
from ...payments.services import payment_abandon, payment_confirm, payment_start
from ...payments.services.payments import UNREACHABLE
from ...services import order_cancel_by_consumer
from ..serializers import OrderOutputSerializer, PaymentConfirmInputSerializer, PaymentOutputSerializer

logger = logging.getLogger(__name__)

PROVIDER_UNAVAILABLE = OpenApiResponse(
    inline_serializer(
        "PaymentProviderUnavailable", {"detail": serializers.CharField(), "code": serializers.CharField()}
    ),
    description="The payment provider could not be reached; nothing changed here. Try again.",
)


def _unavailable() -> Response:
    return Response(
        {"detail": UNREACHABLE, "code": "payment_provider_unavailable"}, status=status.HTTP_503_SERVICE_UNAVAILABLE
    )


def _payment_response(request: Request, pk: int) -> Response:
    payment = payment_get_for_consumer(consumer=request.user, checkout_id=pk)
    if payment is None:
        raise Http404
    return Response(PaymentOutputSerializer(payment).data)


class CheckoutPaymentApi(APIView):
    """The payment of one of your checkouts (one for all its orders), with its state and refunds."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: PaymentOutputSerializer, 503: PROVIDER_UNAVAILABLE})
    def get(self, request: Request, pk: int) -> Response:
        payment = payment_get_for_consumer(consumer=request.user, checkout_id=pk)
        if payment is None:
            raise Http404
        if payment.is_open and not payment.provider_ref and payment.amount_minor:
            try:
                payment_start(payment_id=payment.pk)  # idempotent: keyed by the checkout
            except ProviderError:
                return _unavailable()
        return _payment_response(request, pk)


class CheckoutPaymentConfirmApi(APIView):
    """Pay one of your checkouts. The answer is the payment as the provider left it: `succeeded` (its orders
    are paid), `failed` (`failure_message` says why; send another card), or `requires_action` (the buyer
    confirms at `next_action_url`, then the payment moves on by itself). A paid, lapsed or busy checkout: 409."""

    permission_classes = [IsAuthenticated]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "checkout"

    @extend_schema(
        request=PaymentConfirmInputSerializer, responses={200: PaymentOutputSerializer, 503: PROVIDER_UNAVAILABLE}
    )
    def post(self, request: Request, pk: int) -> Response:
        data = PaymentConfirmInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            payment_confirm(
                consumer=request.user,
                checkout_id=pk,
                payment_method=data.validated_data["payment_method"],
                return_url=request.build_absolute_uri(reverse("shop:checkout-pay-return", args=[pk])),
            )
        except ProviderError:
            return _unavailable()
        return _payment_response(request, pk)


class CheckoutPaymentCancelApi(APIView):
    """Give up paying one of your checkouts: its orders are cancelled, nothing is charged, the items go back
    on sale. A paid checkout: 409 (cancel its orders one by one, each refunded)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: PaymentOutputSerializer, 503: PROVIDER_UNAVAILABLE})
    def post(self, request: Request, pk: int) -> Response:
        try:
            payment_abandon(consumer=request.user, checkout_id=pk)
        except ProviderError:
            return _unavailable()
        return _payment_response(request, pk)


class OrderCancelApi(APIView):
    """Cancel one of your paid orders before it ships: its stock returns and what you paid for it is refunded
    (`refunds`). Shipped, delivered, cancelled or unpaid: 409."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=OrderOutputSerializer)
    def post(self, request: Request, pk: int) -> Response:
        order_cancel_by_consumer(consumer=request.user, order_id=pk)
        order = selectors.order_get_for_consumer(consumer=request.user, pk=pk)
        return Response(OrderOutputSerializer(order).data)
