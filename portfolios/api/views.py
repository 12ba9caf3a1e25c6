"""The consumer's portfolio through the API: the same services as the page, only ever on one's own rows."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import services
from ..models import PartnerMembership
from ..selectors import membership_list_for_portfolio, membership_list_history
from .serializers import (
    MembershipAddInputSerializer,
    MembershipEndInputSerializer,
    MembershipOutputSerializer,
    MuteInputSerializer,
)


class PortfolioListApi(generics.ListAPIView):
    """Your current partners (GET), or add one (POST `vendor_id`)."""

    serializer_class = MembershipOutputSerializer
    permission_classes = [IsAuthenticated]
    queryset = PartnerMembership.objects.none()  # for the schema; get_queryset scopes to the user

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return membership_list_for_portfolio(consumer=self.request.user)

    @extend_schema(request=MembershipAddInputSerializer, responses={201: MembershipOutputSerializer})
    def post(self, request: Request) -> Response:
        data = MembershipAddInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.membership_start(consumer=request.user, vendor_id=data.validated_data["vendor_id"])
        return Response(MembershipOutputSerializer(membership).data, status=status.HTTP_201_CREATED)


class PortfolioHistoryApi(generics.ListAPIView):
    """Your ended partnerships, newest first."""

    serializer_class = MembershipOutputSerializer
    permission_classes = [IsAuthenticated]
    queryset = PartnerMembership.objects.none()  # for the schema; get_queryset scopes to the user

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return membership_list_history(consumer=self.request.user)


class MembershipEndApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=MembershipEndInputSerializer, responses=MembershipOutputSerializer)
    def post(self, request: Request, vendor_id: int) -> Response:
        data = MembershipEndInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.membership_end(consumer=request.user, vendor_id=vendor_id, **data.validated_data)
        return Response(MembershipOutputSerializer(membership).data)


class MembershipReinstateApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={201: MembershipOutputSerializer})
    def post(self, request: Request, vendor_id: int) -> Response:
        membership = services.membership_reinstate(consumer=request.user, vendor_id=vendor_id)
        return Response(MembershipOutputSerializer(membership).data, status=status.HTTP_201_CREATED)


class MembershipMuteApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=MuteInputSerializer, responses=MembershipOutputSerializer)
    def post(self, request: Request, vendor_id: int) -> Response:
        data = MuteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.membership_set_muted(
            consumer=request.user, vendor_id=vendor_id, muted=data.validated_data["muted"]
        )
        return Response(MembershipOutputSerializer(membership).data)
