"""The consumer's saved delivery addresses through the API."""

from __future__ import annotations

from rest_framework import serializers

from marketplace.accounts.models import Region

from ...models import SavedAddress
from ...services.addresses import ADDRESS_MAX_LENGTH, LABEL_MAX_LENGTH, NAME_MAX_LENGTH


class AddressSerializer(serializers.ModelSerializer):
    """An address as shown, and as sent to save or change one (the region by its code, or null)."""

    label = serializers.CharField(max_length=LABEL_MAX_LENGTH, required=False, allow_blank=True, default="")
    name = serializers.CharField(max_length=NAME_MAX_LENGTH)
    address = serializers.CharField(max_length=ADDRESS_MAX_LENGTH)
    region = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.all(), required=False, allow_null=True, default=None
    )

    class Meta:
        model = SavedAddress
        fields = ["id", "label", "name", "address", "region", "created_at"]
        read_only_fields = ["id", "created_at"]

    def service_fields(self) -> dict[str, str]:
        data = self.validated_data
        region = data["region"]
        return {
            "label": data["label"],
            "name": data["name"],
            "address": data["address"],
            "region": region.code if region else "",
        }
