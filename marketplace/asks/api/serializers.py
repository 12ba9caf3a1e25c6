"""The asks' API: inputs (bounded, like every input) and what each side may read. A vendor's output carries no
consumer but the ask's pseudonym and shared region, and only its own offer."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from vendors.models import Category

from ..models import INCLUDED_MAX, TEXT_MAX, TITLE_MAX, Ask, AskRecipient, Offer
from ..selectors import award_payment

MONEY = {"max_digits": 10, "decimal_places": 2, "min_value": Decimal("0.01"), "max_value": Decimal("99999999.99")}


class AskInputSerializer(serializers.Serializer):
    category = serializers.SlugRelatedField(slug_field="slug", queryset=Category.objects.all())
    title = serializers.CharField(max_length=TITLE_MAX)
    description = serializers.CharField(max_length=TEXT_MAX)
    budget = serializers.DecimalField(required=False, allow_null=True, default=None, **MONEY)
    budget_visible = serializers.BooleanField(required=False, default=False)
    needed_by = serializers.DateField(required=False, allow_null=True, default=None)
    respond_by = serializers.DateTimeField(help_text="Until when partners may answer; at most 14 days ahead.")
    publish = serializers.BooleanField(required=False, default=False, help_text="Publish at once (else a draft).")


class AwardPaymentSerializer(serializers.Serializer):
    state = serializers.ChoiceField(
        choices=["awaiting", "failed", "paid", "cancelled", "lapsed"],
        help_text="Of the order of the last accepted offer: 'awaiting' and 'failed' may still be paid before "
        "pay_before; 'lapsed': not paid in time, cancelled, nothing charged (the ask reopened, or closed when its "
        "respond-by had passed).",
    )
    order = serializers.IntegerField(source="order.pk")
    checkout = serializers.IntegerField(source="checkout_id")
    pay_before = serializers.DateTimeField(allow_null=True)
    failure = serializers.CharField(help_text="Why the last attempt failed ('failed' only).")


class AskOutputSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    payment = serializers.SerializerMethodField()
    # Counted on lists and the detail; null on the answer to a write.
    live_offers = serializers.IntegerField(read_only=True, default=None, allow_null=True)
    not_interested = serializers.IntegerField(read_only=True, default=None, allow_null=True)

    class Meta:
        model = Ask
        fields = [
            "id",
            "state",
            "category",
            "title",
            "description",
            "budget",
            "budget_visible",
            "needed_by",
            "respond_by",
            "published_at",
            "closed_at",
            "audience_size",
            "live_offers",
            "not_interested",
            "order",
            "payment",
            "payment_lapsed_at",
        ]

    @extend_schema_field(AwardPaymentSerializer(allow_null=True))
    def get_payment(self, ask: Ask) -> dict[str, object] | None:
        payment = award_payment(ask)
        return AwardPaymentSerializer(payment).data if payment is not None else None


class OfferComparedSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="offer.pk")
    vendor = serializers.CharField(source="vendor.slug")
    vendor_name = serializers.CharField(source="vendor.shown_name")
    price = serializers.DecimalField(source="offer.price", max_digits=10, decimal_places=2)
    included = serializers.CharField(source="offer.included")
    stock_reserved = serializers.BooleanField(source="offer.stock_reserved")
    promotions_stack = serializers.BooleanField(source="offer.promotions_stack")
    valid_until = serializers.DateTimeField(source="offer.valid_until")
    state = serializers.CharField(source="offer.state")
    revised = serializers.SerializerMethodField()
    partners = serializers.CharField(source="facts.partner_text", help_text="Released: 'fewer than K' under K.")
    rating = serializers.CharField(source="facts.rating_text")
    acceptable = serializers.BooleanField()

    def get_revised(self, row: object) -> bool:
        return bool(row.offer.revisions)  # type: ignore[attr-defined]


class AskAudienceSerializer(serializers.Serializer):
    partners = serializers.IntegerField()
    allowed = serializers.BooleanField()
    small = serializers.BooleanField(help_text="One or two partners: each knows the ask came from one of few.")


class AskAudienceFilterSerializer(serializers.Serializer):
    category = serializers.SlugRelatedField(slug_field="slug", queryset=Category.objects.all())


class AcceptInputSerializer(serializers.Serializer):
    ship_to_name = serializers.CharField(max_length=120)
    ship_to_address = serializers.CharField(max_length=1000)


class OfferReportInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="")


class AskMuteInputSerializer(serializers.Serializer):
    muted = serializers.BooleanField()


# --- The vendor's --------------------------------------------------------------------------------------------


class OwnOfferSerializer(serializers.ModelSerializer):
    lapse_reason = serializers.SerializerMethodField()

    class Meta:
        model = Offer
        fields = [
            "state",
            "price",
            "included",
            "stock_reserved",
            "promotions_stack",
            "valid_until",
            "revisions",
            "lapse_reason",
        ]

    @extend_schema_field(serializers.CharField(help_text="Why the offer lapsed, in the request's language."))
    def get_lapse_reason(self, offer: Offer) -> str:
        return gettext(offer.lapse_reason) if offer.lapse_reason else ""


class VendorAskSerializer(serializers.Serializer):
    """An ask as a recipient vendor sees it: never the consumer, only the pseudonym and the shared region."""

    id = serializers.IntegerField(source="ask.pk")
    title = serializers.CharField(source="ask.title")
    description = serializers.CharField(source="ask.description")
    category = serializers.CharField(source="ask.category.slug")
    asker = serializers.CharField(source="ask.pseudonym")
    region = serializers.SerializerMethodField()
    budget = serializers.SerializerMethodField()
    needed_by = serializers.DateField(source="ask.needed_by", allow_null=True)
    respond_by = serializers.DateTimeField(source="ask.respond_by")
    state = serializers.CharField(source="ask.state")
    published_at = serializers.DateTimeField()
    my_answer = serializers.CharField(source="my_state", allow_null=True)
    my_price = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)

    @extend_schema_field(serializers.CharField(allow_null=True, help_text="Only when the consumer shares it."))
    def get_region(self, row: AskRecipient) -> str | None:
        return row.ask.region.name if row.ask.region else None

    @extend_schema_field(serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True))
    def get_budget(self, row: AskRecipient) -> str | None:
        return str(row.ask.budget) if row.ask.budget_visible and row.ask.budget is not None else None


class OfferInputSerializer(serializers.Serializer):
    price = serializers.DecimalField(**MONEY)
    included = serializers.CharField(max_length=INCLUDED_MAX, required=False, allow_blank=True, default="")
    stock_reserved = serializers.BooleanField(required=False, default=False)
    promotions_stack = serializers.BooleanField(
        required=False, default=False, help_text="Whether running promotions apply on top of the price."
    )
    valid_until = serializers.DateTimeField()


class AskWeekSerializer(serializers.Serializer):
    week = serializers.DateField()
    received = serializers.IntegerField(allow_null=True)


class AskInsightsSerializer(serializers.Serializer):
    received = serializers.IntegerField(allow_null=True)
    answered_share = serializers.FloatField(allow_null=True)
    won_share = serializers.FloatField(allow_null=True)
    median_answer_hours = serializers.FloatField(allow_null=True)
    weeks = serializers.SerializerMethodField()
    k = serializers.IntegerField(help_text="Figures about fewer than this many asks are not shown (null).")

    @extend_schema_field(AskWeekSerializer(many=True))
    def get_weeks(self, insights: object) -> list[dict[str, object]]:
        return [{"week": week.isoformat(), "received": n} for week, n in insights.weeks]  # type: ignore[attr-defined]
