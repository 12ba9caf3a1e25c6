"""Input and output shapes of the shop API. No business rule here: the services decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace.accounts.models import Region
from marketplace.kernel.limits import COMMENT_MAX_LENGTH, ID_MAX, PRICE_MAX
from marketplace.kernel.privacy import min_group, public_facts_from
from vendors.models import Product, Vendor
from vendors.shown import VendorShown, figures_of

from ...models import Order, OrderLine
from ...selectors import ProductFilters, ProductSort, VendorSort
from .payments import OrderPaymentOutputSerializer, PaymentOutputSerializer, RefundOutputSerializer

# Names and descriptions in the request's language (Accept-Language) where their vendor gave one, else in the
# other language (marketplace.kernel.languages).
SHOWN_NAME = "The name in the request's language (Accept-Language), else in the one its vendor wrote."
SHOWN_DESCRIPTION = "The description in the request's language, else in the one its vendor wrote."
ROUNDED_HELP = (
    "An estimate (docs/privacy.md): of consumers who count, with a little deterministic noise, rounded down to a "
    "multiple of `min_group`; null, with its `*_suppressed` flag true, when it is about fewer than `min_group` "
    "consumers (rule 4)."
)
RATING_HELP = (
    "Null, with `rating_suppressed` true, until at least `min_group` ratings make it; an estimate otherwise "
    "(a little noise, in steps of half a star), so no single rating can be read from it."
)


class VendorOutputSerializer(serializers.ModelSerializer):
    """A vendor in a list. Its public figures pass through marketplace.kernel.privacy, as on the pages."""

    name = serializers.CharField(source="shown_name", read_only=True, help_text=SHOWN_NAME)
    description = serializers.CharField(source="shown_description", read_only=True, help_text=SHOWN_DESCRIPTION)
    category = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    regions = serializers.SerializerMethodField(help_text="The codes of the regions it serves.")
    partner_count = serializers.SerializerMethodField(help_text=ROUNDED_HELP)
    partner_count_suppressed = serializers.SerializerMethodField()
    rating_average = serializers.SerializerMethodField(help_text=RATING_HELP)
    rating_count = serializers.SerializerMethodField(help_text=ROUNDED_HELP)
    rating_suppressed = serializers.SerializerMethodField()
    min_group = serializers.SerializerMethodField(help_text="K: the smallest group any figure here is about.")
    product_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Vendor
        fields = [
            "id",
            "slug",
            "name",
            "description",
            "category",
            "regions",
            "partner_count",
            "partner_count_suppressed",
            "rating_average",
            "rating_count",
            "rating_suppressed",
            "min_group",
            "product_count",
            "approved_at",
        ]

    def _public(self, vendor: Vendor | VendorShown) -> dict[str, Any]:
        figures = figures_of(vendor)
        return public_facts_from(
            {
                "vendor_id": vendor.pk,
                "partner_count": figures.current_partners,
                "rating_average": figures.rating_average,
                "rating_count": figures.rating_count,
            }
        )

    @extend_schema_field(serializers.ListField(child=serializers.SlugField()))
    def get_regions(self, vendor: Vendor) -> list[str]:
        return [region.code for region in vendor.regions_served()]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_partner_count(self, vendor: Vendor) -> int | None:
        return self._public(vendor)["partner_count"]

    def get_partner_count_suppressed(self, vendor: Vendor) -> bool:
        return self._public(vendor)["partner_count_suppressed"]

    @extend_schema_field(serializers.DecimalField(max_digits=3, decimal_places=2, allow_null=True))
    def get_rating_average(self, vendor: Vendor) -> str | None:
        average = self._public(vendor)["rating_average"]
        return f"{average:.2f}" if average is not None else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_rating_count(self, vendor: Vendor) -> int | None:
        return self._public(vendor)["rating_count"]

    def get_rating_suppressed(self, vendor: Vendor) -> bool:
        return self._public(vendor)["rating_suppressed"]

    def get_min_group(self, vendor: Vendor) -> int:
        return min_group()


class EndReasonCountSerializer(serializers.Serializer):
    reason = serializers.CharField()
    count = serializers.IntegerField(
        help_text="An estimate like the other counts (see partner_count); a reason is listed only when its count "
        "is shown (about at least `min_group` partnerships)."
    )


class VendorFactsSerializer(serializers.Serializer):
    min_group = serializers.IntegerField(help_text="K: the smallest group any figure here is about.")
    partner_count = serializers.IntegerField(allow_null=True, help_text=ROUNDED_HELP)
    partner_count_suppressed = serializers.BooleanField()
    rating_average = serializers.DecimalField(
        max_digits=3,
        decimal_places=2,
        allow_null=True,
        help_text=RATING_HELP,
    )
    rating_count = serializers.IntegerField(allow_null=True, help_text=ROUNDED_HELP)
    rating_suppressed = serializers.BooleanField()
    ended_recent = serializers.IntegerField(
        allow_null=True, help_text=f"Partnerships ended in the last `recent_days` days. {ROUNDED_HELP}"
    )
    ended_recent_suppressed = serializers.BooleanField()
    recent_days = serializers.IntegerField()
    top_end_reasons = EndReasonCountSerializer(many=True)
    joined = serializers.DateTimeField()


class ReviewOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    score = serializers.IntegerField(help_text="The buyer's rating, 1 to 5, given with this review.")
    text = serializers.CharField()
    month = serializers.DateTimeField(
        source="created_at", format="%Y-%m", help_text="The month it was written (no day: the buyer is not named)."
    )


class VendorDetailOutputSerializer(VendorOutputSerializer):
    facts = serializers.SerializerMethodField()
    reviews = serializers.SerializerMethodField(
        help_text="The newest reviews by buyers of delivered orders, newest first, at most ten; a review the "
        "moderators hid is not among them."
    )

    class Meta(VendorOutputSerializer.Meta):
        fields = [*VendorOutputSerializer.Meta.fields, "facts", "reviews"]

    @extend_schema_field(ReviewOutputSerializer(many=True))
    def get_reviews(self, vendor: Vendor) -> list[dict]:  # type: ignore[type-arg]
        return ReviewOutputSerializer(self.context.get("reviews", ()), many=True).data

    @extend_schema_field(VendorFactsSerializer)
    def get_facts(self, vendor: Vendor) -> dict:  # type: ignore[type-arg]
        facts = public_facts_from(self.context["facts"])
        facts["top_end_reasons"] = [{"reason": label, "count": n} for label, n in facts["top_end_reasons"]]
        return VendorFactsSerializer(facts).data


class VendorFilterInputSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    category = serializers.SlugField(required=False, max_length=80)
    region = serializers.SlugField(required=False, max_length=20)
    sort = serializers.ChoiceField(choices=["", *[c for c, _ in VendorSort.CHOICES]], required=False)


class ProductOutputSerializer(serializers.ModelSerializer):
    vendor = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    vendor_name = serializers.CharField(source="vendor.shown_name", read_only=True)
    name = serializers.CharField(source="shown_name", read_only=True, help_text=SHOWN_NAME)
    description = serializers.CharField(source="shown_description", read_only=True, help_text=SHOWN_DESCRIPTION)
    from_partner = serializers.BooleanField(read_only=True, default=False)
    your_price = serializers.SerializerMethodField()
    has_partner_price = serializers.SerializerMethodField()

    class Meta:
        model = Product
        fields = [
            "id",
            "vendor",
            "vendor_name",
            "name",
            "description",
            "price",
            "your_price",
            "has_partner_price",
            "from_partner",
            "stock",
            "created_at",
        ]

    @extend_schema_field(serializers.DecimalField(max_digits=10, decimal_places=2))
    def get_your_price(self, product: Product) -> str:
        """What this consumer pays: the partner price for current partners, else the list price."""
        price = getattr(product, "your_price", None)  # annotated by the selector (with_unit_price)
        if price is None:
            price = product.unit_price_for(is_partner=product.vendor_id in self.context.get("partner_ids", set()))
        return f"{Decimal(price):.2f}"

    def get_has_partner_price(self, product: Product) -> bool:
        return product.partner_price is not None


class ProductSearchInputSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    only_partners = serializers.BooleanField(required=False, default=False)
    sort = serializers.ChoiceField(choices=[c for c, _ in ProductSort.CHOICES], required=False, default="")
    category = serializers.SlugField(required=False, max_length=80, help_text="A category's slug.")
    min_price = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=PRICE_MAX,
        required=False,
        help_text="The lowest price you pay (your partner price where you have one).",
    )
    max_price = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=Decimal("0"), max_value=PRICE_MAX, required=False
    )
    in_stock = serializers.BooleanField(required=False, default=False)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        low, high = data.get("min_price"), data.get("max_price")
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError(
                {"max_price": [gettext("The highest price must not be below the lowest.")]}
            )
        return data

    def filters(self) -> ProductFilters:
        data = self.validated_data
        return ProductFilters(
            min_price=data.get("min_price"),
            max_price=data.get("max_price"),
            in_stock=bool(data.get("in_stock")),
            category=data.get("category", ""),
        )


class CartLineOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="item.id")
    product = serializers.IntegerField(source="item.product_id")
    product_name = serializers.CharField(source="item.product.shown_name")
    vendor = serializers.CharField(source="item.product.vendor.slug")
    quantity = serializers.IntegerField()
    unit_price = serializers.DecimalField(max_digits=10, decimal_places=2)
    unit_price_seen = serializers.DecimalField(source="item.unit_price_seen", max_digits=10, decimal_places=2)
    line_total = serializers.DecimalField(max_digits=12, decimal_places=2)
    price_changed = serializers.BooleanField()
    available = serializers.BooleanField()
    enough_stock = serializers.BooleanField()


class CartPromotionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    code = serializers.CharField()


class CartVendorOutputSerializer(serializers.Serializer):
    vendor = serializers.CharField(source="vendor.slug")
    vendor_name = serializers.CharField(source="vendor.shown_name")
    subtotal = serializers.DecimalField(max_digits=12, decimal_places=2)
    promotion = CartPromotionOutputSerializer(
        allow_null=True, help_text="The promotion checkout would apply to this vendor's order now, if any."
    )
    discount = serializers.DecimalField(max_digits=12, decimal_places=2)
    shipping = serializers.DecimalField(
        max_digits=12, decimal_places=2, help_text="The vendor's delivery charge to the region asked (or none)."
    )
    total = serializers.DecimalField(max_digits=12, decimal_places=2, help_text="After promotions, with delivery.")


class CartOutputSerializer(serializers.Serializer):
    lines = CartLineOutputSerializer(many=True)
    total = serializers.DecimalField(max_digits=12, decimal_places=2, help_text="Before promotions.")
    has_problems = serializers.BooleanField()
    vendors = CartVendorOutputSerializer(many=True, help_text="One order per vendor, as checkout would place it now.")
    promotion_code = serializers.CharField(help_text="The promotion code the totals were computed with.")
    promotion_code_applied = serializers.BooleanField()
    discount = serializers.DecimalField(max_digits=12, decimal_places=2)
    ship_to_region = serializers.CharField(help_text="The delivery region the charges were computed for ('': none).")
    shipping = serializers.DecimalField(max_digits=12, decimal_places=2)
    total_to_pay = serializers.DecimalField(max_digits=12, decimal_places=2)


def _region_field(help_text: str) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(
        slug_field="code",
        queryset=Region.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text=help_text,
    )


class CartPreviewInputSerializer(serializers.Serializer):
    promotion_code = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    ship_to_region = _region_field("A region's code: the delivery charges to it.")


class CartAddInputSerializer(serializers.Serializer):
    product_id = serializers.IntegerField(min_value=1, max_value=ID_MAX)
    quantity = serializers.IntegerField(min_value=1, max_value=99, default=1)


class CartQuantityInputSerializer(serializers.Serializer):
    quantity = serializers.IntegerField(min_value=1, max_value=99)


class CheckoutInputSerializer(serializers.Serializer):
    ship_to_name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    ship_to_address = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    ship_to_region = _region_field("A region's code; vendors may charge delivery by region.")
    promotion_code = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    saved_address = serializers.IntegerField(
        min_value=1,
        max_value=ID_MAX,
        required=False,
        allow_null=True,
        default=None,
        help_text="One of your saved addresses' id: delivers there instead of the ship_to fields.",
    )
    save_address = serializers.BooleanField(default=False, help_text="Keep the ship_to address among yours.")
    address_label = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")


class OrderLineOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderLine
        fields = ["product", "product_name", "unit_price", "quantity"]


class OrderOutputSerializer(serializers.ModelSerializer):
    vendor = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    vendor_name = serializers.CharField(source="vendor.shown_name", read_only=True)
    lines = OrderLineOutputSerializer(many=True, read_only=True)
    rating = serializers.SerializerMethodField()
    promotion = serializers.SerializerMethodField()
    checkout = serializers.IntegerField(source="checkout_id", read_only=True)
    payment = serializers.SerializerMethodField()
    refunds = RefundOutputSerializer(many=True, read_only=True)
    ship_to_region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Order
        fields = [
            "id",
            "vendor",
            "vendor_name",
            "status",
            "subtotal",
            "discount",
            "shipping",
            "total",
            "promotion",
            "ship_to_name",
            "ship_to_address",
            "ship_to_region",
            "carrier",
            "tracking_number",
            "created_at",
            "lines",
            "rating",
            "checkout",
            "payment",
            "refunds",
        ]

    def get_rating(self, order: Order) -> int | None:
        rating = getattr(order, "rating", None) if hasattr(order, "rating") else None
        return rating.score if rating else None

    def get_promotion(self, order: Order) -> str | None:
        redemption = getattr(order, "redemption", None) if hasattr(order, "redemption") else None
        return redemption.promotion.title if redemption else None

    @extend_schema_field(OrderPaymentOutputSerializer(allow_null=True))
    def get_payment(self, order: Order) -> dict[str, Any] | None:
        """Null for an order placed before payments were recorded."""
        try:
            payment = order.checkout.payment
        except ObjectDoesNotExist:
            return None
        return OrderPaymentOutputSerializer(payment).data


class CheckoutOutputSerializer(serializers.Serializer):
    checkout = serializers.IntegerField(source="checkout.id")
    replayed = serializers.BooleanField(help_text="True when this key was seen before: the first result is returned.")
    orders = OrderOutputSerializer(many=True)
    payment = PaymentOutputSerializer(
        allow_null=True,
        help_text="The one payment for these orders: confirm it at /api/v1/checkouts/{checkout}/payment/confirm/.",
    )


class RatingInputSerializer(serializers.Serializer):
    score = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=COMMENT_MAX_LENGTH, default="")


class RatingOutputSerializer(serializers.Serializer):
    order = serializers.IntegerField(source="order_id")
    score = serializers.IntegerField()
    comment = serializers.CharField(help_text="The review: shown on the vendor's page without your name.")
    public = serializers.BooleanField(help_text="Whether the review is shown on the vendor's page.")


class ReviewHideOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    vendor = serializers.IntegerField(source="vendor_id")
    hidden_at = serializers.DateTimeField()
    audit_action = serializers.IntegerField(source="hidden_by_id", help_text="The audit log's row of this hiding.")
