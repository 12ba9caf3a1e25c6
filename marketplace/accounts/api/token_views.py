"""API for personal tokens: list, create (the key is in the creation response only), revoke."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..models import APIToken
from ..services import api_token_create, api_token_revoke


class TokenOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = APIToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at", "revoked_at"]


class TokenCreateInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=60)


class TokenCreatedSerializer(TokenOutputSerializer):
    key = serializers.CharField(read_only=True, help_text="Shown once; store it safely.")

    class Meta(TokenOutputSerializer.Meta):
        fields = [*TokenOutputSerializer.Meta.fields, "key"]


class TokenListCreateApi(generics.ListAPIView):
    """The signed-in user's tokens (POST creates one and returns its key, once)."""

    serializer_class = TokenOutputSerializer
    permission_classes = [IsAuthenticated]
    queryset = APIToken.objects.none()

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return APIToken.objects.filter(user=self.request.user).order_by("-created_at", "-id")

    @extend_schema(request=TokenCreateInputSerializer, responses={201: TokenCreatedSerializer})
    def post(self, request: Request) -> Response:
        data = TokenCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token, key = api_token_create(user=request.user, name=data.validated_data["name"])
        token.key = key  # type: ignore[attr-defined]
        return Response(TokenCreatedSerializer(token).data, status=status.HTTP_201_CREATED)


class TokenRevokeApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: TokenOutputSerializer})
    def post(self, request: Request, pk: int) -> Response:
        token = api_token_revoke(user=request.user, token_id=pk)
        return Response(TokenOutputSerializer(token).data)
