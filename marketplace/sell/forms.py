"""Forms of the vendor workspace that are not the vendors layer's own (vendors/forms.py)."""

from __future__ import annotations

from django import forms
from django.conf import settings

from marketplace.accounts.models import Region
from marketplace.kernel.limits import FILE_NAME_MAX_LENGTH, IdModelMultipleChoiceField
from vendors.services.application import PROFILE_DESCRIPTION_MAX_LENGTH


class VendorProfileForm(forms.Form):
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=PROFILE_DESCRIPTION_MAX_LENGTH,
        help_text="Shown on your public page.",
    )
    regions = IdModelMultipleChoiceField(
        Region.objects.all(), required=False, widget=forms.CheckboxSelectMultiple, label="Regions served"
    )
    # A plain file field: the service reads, checks and re-encodes the image (one place for the rules).
    logo = forms.FileField(
        required=False,
        max_length=FILE_NAME_MAX_LENGTH,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
        label="New logo (optional)",
        help_text=(
            f"JPEG, PNG, GIF or WebP, up to {settings.MARKETPLACE['MAX_IMAGE_BYTES'] / (1024 * 1024):g} MB "
            f"and {settings.MARKETPLACE['MAX_IMAGE_PIXELS'] / 1_000_000:g} megapixels."
        ),
    )
    remove_logo = forms.BooleanField(required=False, label="Remove the current logo")
