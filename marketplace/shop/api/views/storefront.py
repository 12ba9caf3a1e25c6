"""Consumer-facing API of the shop floor: the same selectors and services as the pages."""

from __future__ import annotations

import logging
from typing import Any

from django.db import DatabaseError
from django.http import Http404
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.kernel.pagination import LookaheadPagination
from marketplace.kernel.throttling import ScopedRateThrottle
from portfolios.selectors import partner_vendor_ids
from portfolios.selectors.memberships import vendor_ids_excluded_for_visit

from ... import selectors
from ...models import Order
from ...payments.base import ProviderError
from ...payments.services import payment_start
from ...services import (
    cart_accept_prices,
    cart_add,
    cart_item_remove,
    cart_item_update,
    checkout_place,
    order_rate,
)
from ..serializers import (
    CartAddInputSerializer,
    CartOutputSerializer,
    CartPreviewInputSerializer,
    CartQuantityInputSerializer,
    CheckoutInputSerializer,
    CheckoutOutputSerializer,
    OrderOutputSerializer,
    ProductOutputSerializer,
    ProductSearchInputSerializer,
    RatingInputSerializer,
    RatingOutputSerializer,
    VendorDetailOutputSerializer,
    VendorFilterInputSerializer,
    VendorOutputSerializer,
)

logger = logging.getLogger(__name__)


class VendorListApi(generics.ListAPIView):
    """Approved vendors: full-text search (`q`), filters by category and region served, sorting."""

    serializer_class = VendorOutputSerializer
    permission_classes = [AllowAny]
    pagination_class = LookaheadPagination  # no COUNT over the directory

    @extend_schema(parameters=[VendorFilterInputSerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self):  # type: ignore[no-untyped-def]
        params = VendorFilterInputSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        return selectors.vendor_list_directory_kept(
            search=data.get("q", ""),
            category=data.get("category"),
            region=data.get("region"),
            sort=data.get("sort", ""),
            exclusion=vendor_ids_excluded_for_visit(consumer=self.request.user),
        )


class VendorDetailApi(APIView):
    """One approved vendor with its public facts and its newest reviews."""

    permission_classes = [AllowAny]

    @extend_schema(responses=VendorDetailOutputSerializer)
    def get(self, request: Request, slug: str) -> Response:
        page = selectors.vendor_get_page_kept(slug=slug)
        if page is None:
            raise Http404
        return Response(
            VendorDetailOutputSerializer(page.vendor, context={"facts": page.facts, "reviews": page.reviews}).data
        )


class VendorCompareApi(APIView):
    """Two to four vendors side by side on their public facts (`?v=slug&v=slug`)."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("v", str, many=True, description="Vendor slugs, 2 to 4.")],
        responses=VendorDetailOutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        vendors = selectors.vendor_list_compare(slugs=request.query_params.getlist("v"))
        if len(vendors) < 2:
            return Response({"v": [gettext("Name two to four approved vendors to compare.")]}, status=400)
        return Response(
            [
                VendorDetailOutputSerializer(v, context={"facts": selectors.vendor_facts(vendor=v)}).data
                | {"product_count": None}
                for v in vendors
            ]
        )


class ProductSearchApi(generics.ListAPIView):
    """Products, the consumer's partners' first (`from_partner`), then the rest; `only_partners` filters."""

    serializer_class = ProductOutputSerializer
    permission_classes = [AllowAny]
    pagination_class = LookaheadPagination  # no COUNT over the search

    @extend_schema(parameters=[ProductSearchInputSerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self):  # type: ignore[no-untyped-def]
        params = ProductSearchInputSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return selectors.product_search_partners_first_kept(
            consumer=self.request.user,
            query=params.validated_data.get("q", ""),
            only_partners=params.validated_data.get("only_partners", False),
            exclusion=vendor_ids_excluded_for_visit(consumer=self.request.user),
            sort=params.validated_data.get("sort", ""),
            filters=params.filters(),
        )

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "partner_ids": partner_vendor_ids(consumer=self.request.user)}


class ProductDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=ProductOutputSerializer)
    def get(self, request: Request, pk: int) -> Response:
        product = selectors.product_get_page_kept(pk=pk)
        if product is None:
            raise Http404
        context = {"partner_ids": partner_vendor_ids(consumer=request.user)}
        return Response(ProductOutputSerializer(product, context=context).data)


# --- Cart and checkout --------------------------------------------------------------------------------


def _cart_response(request: Request, code: int = 200, promotion_code: str = "", region: str = "") -> Response:
    preview = selectors.checkout_preview(consumer=request.user, code=promotion_code, region=region)
    cart = preview.cart
    data = {
        "lines": cart.lines,
        "total": cart.total,
        "has_problems": cart.has_problems,
        "vendors": preview.vendors,
        "promotion_code": preview.code,
        "promotion_code_applied": preview.code_applied,
        "discount": preview.discount,
        "ship_to_region": preview.region,
        "shipping": preview.shipping,
        "total_to_pay": preview.total,
    }
    return Response(CartOutputSerializer(data).data, status=code)


class CartApi(APIView):
    """The signed-in consumer's cart, at today's prices, with each line's problems marked, and per vendor the
    promotion checkout would apply now, its delivery charge and the total to pay (`promotion_code` previews a
    code's effect, `ship_to_region` the delivery charges to that region)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[CartPreviewInputSerializer], responses=CartOutputSerializer)
    def get(self, request: Request) -> Response:
        params = CartPreviewInputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        region = params.validated_data["ship_to_region"]
        return _cart_response(
            request, promotion_code=params.validated_data["promotion_code"], region=region.code if region else ""
        )


class CartItemAddApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=CartAddInputSerializer, responses={201: CartOutputSerializer})
    def post(self, request: Request) -> Response:
        data = CartAddInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cart_add(consumer=request.user, **data.validated_data)
        return _cart_response(request, status.HTTP_201_CREATED)


class CartItemApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=CartQuantityInputSerializer, responses=CartOutputSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        data = CartQuantityInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cart_item_update(consumer=request.user, item_id=pk, quantity=data.validated_data["quantity"])
        return _cart_response(request)

    @extend_schema(request=None, responses=CartOutputSerializer)
    def delete(self, request: Request, pk: int) -> Response:
        cart_item_remove(consumer=request.user, item_id=pk)
        return _cart_response(request)


class CartAcceptPricesApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=CartOutputSerializer)
    def post(self, request: Request) -> Response:
        cart_accept_prices(consumer=request.user)
        return _cart_response(request)


class CheckoutApi(APIView):
    """Place the cart: one order per vendor, awaiting one payment for them all (`payment`; pay it at
    /api/v1/checkouts/{checkout}/payment/confirm/). Send an `Idempotency-Key` header; repeating it returns the
    first result (200, `replayed: true`) and the same payment instead of placing again. Out of stock or
    changed prices: 409. A database failure while placing it: 503 `checkout_unavailable`, nothing bought or
    charged; send it again."""

    permission_classes = [IsAuthenticated]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "checkout"

    @extend_schema(
        request=CheckoutInputSerializer,
        responses={
            201: CheckoutOutputSerializer,
            200: CheckoutOutputSerializer,
            503: OpenApiResponse(
                inline_serializer(
                    "CheckoutUnavailable", {"detail": serializers.CharField(), "code": serializers.CharField()}
                ),
                description="The database failed while placing the order: nothing bought or charged; send it again.",
            ),
        },
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                required=True,
                description="A unique string per checkout, 1 to 64 characters.",
            )
        ],
    )
    def post(self, request: Request) -> Response:
        data = CheckoutInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        key = request.headers.get("Idempotency-Key", "")
        fields = dict(data.validated_data)
        fields["ship_to_region"] = fields["ship_to_region"].code if fields["ship_to_region"] else ""
        try:
            result = checkout_place(consumer=request.user, idempotency_key=key, **fields)
        except DatabaseError:
            logger.exception("Checkout failed in the database and was rolled back (consumer %s)", request.user.pk)
            return Response(
                {
                    "detail": gettext("We could not place your order; nothing was charged, try again."),
                    "code": "checkout_unavailable",
                },
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
            )
        payment = result.payment
        if payment is not None:
            try:
                payment = payment_start(payment_id=payment.pk)  # keyed by the checkout: a replay is the same one
            except ProviderError:
                logger.exception("Payment of checkout %s not started", result.checkout.pk)
        payload = CheckoutOutputSerializer(
            {"checkout": result.checkout, "replayed": result.replayed, "orders": result.orders, "payment": payment}
        ).data
        return Response(payload, status=status.HTTP_200_OK if result.replayed else status.HTTP_201_CREATED)


class OrderListApi(generics.ListAPIView):
    """The signed-in consumer's own orders, newest first."""

    serializer_class = OrderOutputSerializer
    permission_classes = [IsAuthenticated]
    queryset = Order.objects.none()  # for the schema; get_queryset scopes to the user

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.order_list_for_consumer(consumer=self.request.user)


class OrderDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=OrderOutputSerializer)
    def get(self, request: Request, pk: int) -> Response:
        order = selectors.order_get_for_consumer(consumer=request.user, pk=pk)
        if order is None:
            raise Http404
        return Response(OrderOutputSerializer(order).data)


class OrderRatingApi(APIView):
    """Rate the vendor's service on one of your delivered orders, once."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=RatingInputSerializer, responses={201: RatingOutputSerializer})
    def post(self, request: Request, pk: int) -> Response:
        data = RatingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rating = order_rate(consumer=request.user, order_id=pk, **data.validated_data)
        return Response(RatingOutputSerializer(rating).data, status=status.HTTP_201_CREATED)
