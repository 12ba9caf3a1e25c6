"""The consumer's profile and sharing choices through the API."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.kernel.limits import BoundedManyRelatedField

from ..models import AgeBand, ConsumerProfile, Interest, Region
from ..services import profile_update


class ProfileSerializer(serializers.Serializer):
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all(), allow_null=True)
    age_band = serializers.ChoiceField(choices=AgeBand.choices, allow_blank=True)
    interests = BoundedManyRelatedField(
        child_relation=serializers.SlugRelatedField(slug_field="slug", queryset=Interest.objects.all())
    )
    share_region = serializers.BooleanField()
    share_age_band = serializers.BooleanField()
    share_interests = serializers.BooleanField()
    weekly_promotion_cap = serializers.IntegerField(min_value=0, max_value=50)


class ProfileApi(APIView):
    """What you told us and which of it you share with your partners (vendors see only counts of ≥ K)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ProfileSerializer)
    def get(self, request: Request) -> Response:
        profile, _ = ConsumerProfile.objects.get_or_create(user=request.user)
        return Response(ProfileSerializer(profile).data)

    @extend_schema(request=ProfileSerializer, responses=ProfileSerializer)
    def put(self, request: Request) -> Response:
        data = ProfileSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        profile = profile_update(user=request.user, **data.validated_data)
        return Response(ProfileSerializer(profile).data)
