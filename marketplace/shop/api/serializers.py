from rest_framework import serializers

from vendors.models import Product, Vendor


class ProductOutputSerializer(serializers.ModelSerializer):
    vendor = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Product
        fields = ["id", "vendor", "name", "description", "price", "stock", "created_at"]


class VendorOutputSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    regions = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    partner_count = serializers.SerializerMethodField()
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
            "product_count",
            "approved_at",
        ]

    def get_partner_count(self, vendor: Vendor) -> int:
        stats = getattr(vendor, "stats", None)
        return stats.current_partners if stats else 0
