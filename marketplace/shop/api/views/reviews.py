"""The moderators' API over the buyers' reviews: the same service as the page, so every hiding is audited."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from vendors.moderation.api.serializers import ReasonInputSerializer
from vendors.moderation.api.views import MODERATOR

from ...services import review_hide
from ..serializers import ReviewHideOutputSerializer


class ReviewHideApi(APIView):
    """Hide a buyer's review from its vendor's page after a report, for a reason kept in the audit log."""

    permission_classes = MODERATOR

    @extend_schema(request=ReasonInputSerializer, responses=ReviewHideOutputSerializer)
    def post(self, request: Request, pk: int) -> Response:
        data = ReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rating = review_hide(moderator=request.user, rating_id=pk, reason=data.validated_data["reason"])
        return Response(ReviewHideOutputSerializer(rating).data)
