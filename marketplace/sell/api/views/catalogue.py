"""The vendor's own application and catalogue through the API: the same services as the workspace."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.kernel.parsers import BoundedFormParser, BoundedMultiPartParser
from vendors import services
from vendors.models import Product, Vendor
from vendors.selectors import product_get_for_owner, product_list_for_owner
from vendors.services.application import vendor_profile_update

from ...access import own_vendor
from ..serializers.catalogue import (
    ApplicationInputSerializer,
    CsvImportInputSerializer,
    CsvImportOutputSerializer,
    OwnProductSerializer,
    OwnVendorSerializer,
    StockInputSerializer,
)
from ..serializers.profile import VendorProfileInputSerializer


class ApplicationApi(APIView):
    """Your application: read it (GET), apply (POST), or correct and resubmit a pending or rejected one (PUT)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=OwnVendorSerializer)
    def get(self, request: Request) -> Response:
        return Response(OwnVendorSerializer(own_vendor(request)).data)

    @extend_schema(request=ApplicationInputSerializer, responses={201: OwnVendorSerializer})
    def post(self, request: Request) -> Response:
        data = ApplicationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        vendor = services.vendor_apply(owner=request.user, **data.validated_data)
        return Response(OwnVendorSerializer(vendor).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ApplicationInputSerializer, responses=OwnVendorSerializer)
    def put(self, request: Request) -> Response:
        data = ApplicationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        vendor = services.vendor_application_resubmit(owner=request.user, **data.validated_data)
        return Response(OwnVendorSerializer(vendor).data)


class VendorProfileApi(APIView):
    """Your approved vendor's public profile: read it (GET) or change its description and regions (PATCH).
    Every change is audited; a pending, rejected or suspended vendor gets 409."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=OwnVendorSerializer)
    def get(self, request: Request) -> Response:
        return Response(OwnVendorSerializer(own_vendor(request)).data)

    @extend_schema(request=VendorProfileInputSerializer, responses=OwnVendorSerializer)
    def patch(self, request: Request) -> Response:
        data = VendorProfileInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        vendor = vendor_profile_update(owner=request.user, **data.validated_data)
        return Response(OwnVendorSerializer(vendor).data)


class ProductListCreateApi(generics.ListAPIView):
    """Your catalogue (GET, active or not), or add a product (POST)."""

    serializer_class = OwnProductSerializer
    permission_classes = [IsAuthenticated]
    queryset = Product.objects.none()

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return product_list_for_owner(vendor=own_vendor(self.request))

    @extend_schema(request=OwnProductSerializer, responses={201: OwnProductSerializer})
    def post(self, request: Request) -> Response:
        data = OwnProductSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        product = services.product_create(vendor=own_vendor(request), **data.validated_data)
        shown = OwnProductSerializer(product, context={"request": request}).data
        return Response(shown, status=status.HTTP_201_CREATED)


class ProductDetailApi(APIView):
    """One of your products: read (GET), change (PATCH), deactivate (DELETE keeps it, hidden from the shop)."""

    permission_classes = [IsAuthenticated]

    def _product(self, request: Request, pk: int) -> tuple[Vendor, Product]:
        vendor = own_vendor(request)
        product = product_get_for_owner(vendor=vendor, pk=pk)
        if product is None:
            raise Http404
        return vendor, product

    @extend_schema(responses=OwnProductSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(OwnProductSerializer(self._product(request, pk)[1], context={"request": request}).data)

    @extend_schema(request=OwnProductSerializer, responses=OwnProductSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        vendor, product = self._product(request, pk)
        data = OwnProductSerializer(product, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        product = services.product_update(vendor=vendor, product_id=pk, **data.validated_data)
        return Response(OwnProductSerializer(product, context={"request": request}).data)

    @extend_schema(request=None, responses={200: OwnProductSerializer})
    def delete(self, request: Request, pk: int) -> Response:
        vendor, _ = self._product(request, pk)
        product = services.product_set_active(vendor=vendor, product_id=pk, active=False)
        return Response(OwnProductSerializer(product, context={"request": request}).data)


class ProductStockApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=StockInputSerializer, responses=OwnProductSerializer)
    def post(self, request: Request, pk: int) -> Response:
        data = StockInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        product = services.product_stock_adjust(
            vendor=own_vendor(request), product_id=pk, delta=data.validated_data["delta"]
        )
        return Response(OwnProductSerializer(product, context={"request": request}).data)


class CatalogueImportApi(APIView):
    """Import a catalogue CSV: every row is checked first; any bad row imports nothing (400 lists each)."""

    permission_classes = [IsAuthenticated]
    parser_classes = [BoundedMultiPartParser, BoundedFormParser]

    @extend_schema(request={"multipart/form-data": CsvImportInputSerializer}, responses=CsvImportOutputSerializer)
    def post(self, request: Request, *args: Any) -> Response:
        data = CsvImportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.catalogue_import_csv(vendor=own_vendor(request), file=data.validated_data["file"])
        return Response(CsvImportOutputSerializer(result).data)
