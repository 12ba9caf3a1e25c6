from __future__ import annotations

from rest_framework import serializers

from marketplace.accounts.models import Region
from vendors.models import Category, Product, Vendor


class ApplicationInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    description = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")
    category = serializers.SlugRelatedField(slug_field="slug", queryset=Category.objects.all())
    regions = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.all(), many=True, required=False, default=list
    )
    contact_email = serializers.EmailField()


class OwnVendorSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    regions = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Vendor
        fields = [
            "id",
            "slug",
            "name",
            "description",
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

    class Meta:
        model = Product
        fields = [
            "id",
            "sku",
            "name",
            "description",
            "price",
            "partner_price",
            "stock",
            "category",
            "active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]


class StockInputSerializer(serializers.Serializer):
    delta = serializers.IntegerField(min_value=-1_000_000, max_value=1_000_000)


class CsvImportInputSerializer(serializers.Serializer):
    file = serializers.FileField()


class CsvImportOutputSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
