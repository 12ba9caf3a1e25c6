"""The partner feed and the consumer's feedback on it, and their digest, through the API: the same selectors and
services as My partners and the digest page, only ever on one's own rows."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.accounts.services import profile_digest_set
from portfolios.selectors import portfolio_get_kept

from ..selectors.partner_feed import partner_feed_get
from ..services.digest import partner_digest_show
from ..services.feedback import promotion_feedback_give
from .serializers import (
    DigestOutputSerializer,
    DigestSettingsInputSerializer,
    FeedOutputSerializer,
    PromotionFeedbackInputSerializer,
    PromotionFeedbackOutputSerializer,
)


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


class PartnerDigestApi(APIView):
    """What your partners sent you: your digest as the e-mail would tell it now (nothing is sent or delivered by
    reading it), with how often the e-mail comes. PATCH `digest_frequency` (daily, weekly, never) to choose."""

    permission_classes = [IsAuthenticated]

    def _answer(self, request: Request) -> Response:
        digest, profile = partner_digest_show(consumer=request.user)
        data = {"digest": digest, "profile": profile, "confirmed": profile.digest_confirmed_at is not None}
        return Response(DigestOutputSerializer(data).data)

    @extend_schema(responses=DigestOutputSerializer)
    def get(self, request: Request) -> Response:
        return self._answer(request)

    @extend_schema(request=DigestSettingsInputSerializer, responses=DigestOutputSerializer)
    def patch(self, request: Request) -> Response:
        data = DigestSettingsInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        profile_digest_set(user=request.user, **data.validated_data)
        return self._answer(request)
