"""`/api/v1/`: the API's front door, listing its sections with their addresses, the schema and the docs."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

# (name, URL name of the section's entry point, what it holds, who may use it)
SECTIONS = [
    ("vendors", "api:vendor-list", "The vendor directory, vendor pages with public facts, comparison.", "anyone"),
    ("products", "api:product-list", "Product search (your partners first) and product pages.", "anyone"),
    ("cart", "api:cart-detail", "Your cart across vendors.", "consumers"),
    ("checkout", "api:checkout", "Buy the cart: one order per vendor, once per idempotency key.", "consumers"),
    ("orders", "api:order-list", "Your orders and their service ratings.", "consumers"),
    ("portfolio", "api:portfolio-list", "Your partners, their feed, your history; end, reinstate, mute.", "consumers"),
    ("account", "api:account-profile", "Your profile and what you share; data export and deletion.", "signed in"),
    ("tokens", "api:account-token-list", "Your API tokens (shown once, stored hashed).", "signed in"),
    (
        "sell",
        "api:sell-application",
        "The vendor workspace: application, profile, catalogue, orders, insights, promotions.",
        "vendors",
    ),
    ("moderation", "api:moderation-queue", "The moderators' queue, vendors, reports, flags, audit log.", "moderators"),
]


class ApiSectionSerializer(serializers.Serializer):
    name = serializers.CharField()
    url = serializers.URLField()
    description = serializers.CharField()
    audience = serializers.CharField(help_text="Who may use it.")


class ApiRootSerializer(serializers.Serializer):
    sections = ApiSectionSerializer(many=True)
    schema = serializers.URLField(help_text="The OpenAPI schema.")
    docs = serializers.URLField(help_text="Browsable documentation of every operation.")


class ApiRootApi(APIView):
    """The API's sections, each with the address of its entry point; the schema and the docs."""

    permission_classes = [AllowAny]

    @extend_schema(responses=ApiRootSerializer)
    def get(self, request: Request) -> Response:
        absolute = request.build_absolute_uri
        return Response(
            {
                "sections": [
                    {"name": name, "url": absolute(reverse(url_name)), "description": text, "audience": audience}
                    for name, url_name, text, audience in SECTIONS
                ],
                "schema": absolute(reverse("api-schema")),
                "docs": absolute(reverse("api-docs")),
            }
        )
