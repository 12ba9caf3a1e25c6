from __future__ import annotations

from rest_framework import serializers

from marketplace.accounts.models import Region
from marketplace.kernel.limits import (
    DESCRIPTION_MAX_LENGTH,
    EMAIL_MAX_LENGTH,
    FILE_NAME_MAX_LENGTH,
    PRICE_MAX,
    PRICE_MIN,
    STOCK_DELTA_MAX,
    STOCK_MAX,
    BoundedManyRelatedField,
)
from vendors.models import Category, Product, Vendor

# The optional Traditional Chinese copies (docs/i18n.md): readers of Chinese see them instead of the main text.
CHINESE_HELP = "Optional: what readers of Traditional Chinese see instead. Empty: they see the main one."


class ApplicationInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    name_zh_hant = serializers.CharField(
        required=False, allow_blank=True, max_length=120, default="", help_text=CHINESE_HELP
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")
    description_zh_hant = serializers.CharField(
        required=False, allow_blank=True, max_length=4000, default="", help_text=CHINESE_HELP
    )
    category = serializers.SlugRelatedField(slug_field="slug", queryset=Category.objects.all())
    regions = BoundedManyRelatedField(
        child_relation=serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all()),
        required=False,
        default=list,
    )
    contact_email = serializers.EmailField(max_length=EMAIL_MAX_LENGTH)


class OwnVendorSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    regions = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Vendor
        fields = [
            "id",
            "slug",
            "name",
            "name_zh_hant",
            "description",
            "description_zh_hant",
            "category",
            "regions",
            "contact_email",
            "status",
            "status_reason",
            "created_at",
            "approved_at",
        ]


class OwnProductSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(
        slug_field="slug", queryset=Category.objects.all(), required=False, allow_null=True
    )
    # A plain file field: the catalogue service reads, checks and re-encodes the image, and its refusals come
    # back as 400s on "image". Reading gives the stored image's URL, or null.
    image = serializers.FileField(
        required=False,
        allow_null=True,
        max_length=FILE_NAME_MAX_LENGTH,
        help_text="JPEG, PNG, GIF or WebP (multipart upload); stored re-encoded, scaled down, without metadata. "
        "Leave it out, or null, to keep the current image.",
    )

    class Meta:
        model = Product
        fields = [
            "id",
            "sku",
            "name",
            "name_zh_hant",
            "description",
            "description_zh_hant",
            "price",
            "partner_price",
            "stock",
            "category",
            "active",
            "image",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        extra_kwargs = {
            "description": {"max_length": DESCRIPTION_MAX_LENGTH},
            "name_zh_hant": {"help_text": CHINESE_HELP},
            "description_zh_hant": {"max_length": DESCRIPTION_MAX_LENGTH, "help_text": CHINESE_HELP},
            "price": {"min_value": PRICE_MIN, "max_value": PRICE_MAX},
            "partner_price": {"min_value": PRICE_MIN, "max_value": PRICE_MAX},
            "stock": {"min_value": 0, "max_value": STOCK_MAX},
        }


class StockInputSerializer(serializers.Serializer):
    delta = serializers.IntegerField(min_value=-STOCK_DELTA_MAX, max_value=STOCK_DELTA_MAX)


class CsvImportInputSerializer(serializers.Serializer):
    file = serializers.FileField(max_length=FILE_NAME_MAX_LENGTH)


class CsvImportOutputSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
