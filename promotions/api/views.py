"""The partner feed and the consumer's feedback on it, through the API: the same selectors and services as
My partners, only ever on one's own rows."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portfolios.selectors import portfolio_get_kept

from ..selectors.partner_feed import partner_feed_get
from ..services.feedback import promotion_feedback_give
from .serializers import FeedOutputSerializer, PromotionFeedbackInputSerializer, PromotionFeedbackOutputSerializer


class PartnerFeedApi(APIView):
    """Promotions your partners sent you and their new products."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=FeedOutputSerializer)
    def get(self, request: Request) -> Response:
        # What My partners shows, kept between visits.
        promotions = partner_feed_get(consumer=request.user)[:50]
        feed = {"promotions": promotions, "new_products": portfolio_get_kept(consumer=request.user).new_products}
        return Response(FeedOutputSerializer(feed).data)


class PromotionFeedbackApi(APIView):
    """Say whether a promotion delivered to you was useful (again to change your mind). 404 for a promotion
    never delivered to you; 409 (`partnership_ended`) when you ended that partner."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=PromotionFeedbackInputSerializer, responses=PromotionFeedbackOutputSerializer)
    def post(self, request: Request, promotion_id: int) -> Response:
        data = PromotionFeedbackInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        feedback = promotion_feedback_give(consumer=request.user, promotion_id=promotion_id, **data.validated_data)
        return Response(PromotionFeedbackOutputSerializer(feedback).data)
