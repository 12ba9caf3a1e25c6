"""The vendor's own public profile through the API: what may change once approved."""

from __future__ import annotations

from rest_framework import serializers

from marketplace.accounts.models import Region
from marketplace.kernel.limits import FILE_NAME_MAX_LENGTH, BoundedManyRelatedField
from vendors.services.application import PROFILE_DESCRIPTION_MAX_LENGTH


class VendorProfileInputSerializer(serializers.Serializer):
    """Only the fields sent change; regions are region codes (see GET /api/v1/sell/application/)."""

    description = serializers.CharField(required=False, allow_blank=True, max_length=PROFILE_DESCRIPTION_MAX_LENGTH)
    description_zh_hant = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=PROFILE_DESCRIPTION_MAX_LENGTH,
        help_text="Optional: what readers of Traditional Chinese see instead. Empty: they see the main one.",
    )
    regions = BoundedManyRelatedField(
        child_relation=serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all()),
        required=False,
    )
    # A plain file field: the service reads, checks and re-encodes the image; its refusals are 400s on "logo".
    logo = serializers.FileField(
        required=False,
        max_length=FILE_NAME_MAX_LENGTH,
        help_text="JPEG, PNG, GIF or WebP (multipart upload); stored re-encoded, scaled down, without metadata.",
    )
    remove_logo = serializers.BooleanField(required=False, default=False, help_text="Take the current logo down.")
