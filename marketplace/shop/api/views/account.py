"""API for the consumer's data export and account deletion (top layer: they span every layer)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ...selectors import account_export_data
from ...services import account_close


class AccountDeleteInputSerializer(serializers.Serializer):
    confirm = serializers.ChoiceField(choices=["delete"], help_text='Send "delete" to confirm.')


class AccountExportApi(APIView):
    """Everything the marketplace holds about you, as JSON."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        return Response(account_export_data(user=request.user))


class AccountDeleteApi(APIView):
    """Delete your account: partnerships anonymised, orders kept for the vendors' books."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=AccountDeleteInputSerializer, responses={204: None})
    def post(self, request: Request) -> Response:
        AccountDeleteInputSerializer(data=request.data).is_valid(raise_exception=True)
        account_close(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
