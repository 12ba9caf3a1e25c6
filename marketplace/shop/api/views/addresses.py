"""The consumer's saved delivery addresses through the API: their own only (another's is not found)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ...models import SavedAddress
from ...selectors import address_get_for_consumer, address_list_for_consumer
from ...services import address_delete, address_save, address_update
from ..serializers.addresses import AddressSerializer


class AddressListApi(generics.ListAPIView):
    """Your saved delivery addresses (GET), or save one (POST). Give one's `id` as `saved_address` at
    checkout to deliver there."""

    serializer_class = AddressSerializer
    permission_classes = [IsAuthenticated]
    queryset = SavedAddress.objects.none()  # for the schema; get_queryset scopes to the user

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return address_list_for_consumer(consumer=self.request.user)

    @extend_schema(request=AddressSerializer, responses={201: AddressSerializer})
    def post(self, request: Request) -> Response:
        data = AddressSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        saved = address_save(consumer=request.user, **data.service_fields())
        return Response(AddressSerializer(saved).data, status=status.HTTP_201_CREATED)


class AddressDetailApi(APIView):
    """One of your saved addresses: read it, replace it (PUT) or delete it."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=AddressSerializer)
    def get(self, request: Request, pk: int) -> Response:
        saved = address_get_for_consumer(consumer=request.user, pk=pk)
        if saved is None:
            raise Http404
        return Response(AddressSerializer(saved).data)

    @extend_schema(request=AddressSerializer, responses=AddressSerializer)
    def put(self, request: Request, pk: int) -> Response:
        if address_get_for_consumer(consumer=request.user, pk=pk) is None:
            raise Http404
        data = AddressSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        saved = address_update(consumer=request.user, address_id=pk, **data.service_fields())
        return Response(AddressSerializer(address_get_for_consumer(consumer=request.user, pk=saved.pk)).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        address_delete(consumer=request.user, address_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)
