"""Forms of the vendor workspace that are not the vendors layer's own (vendors/forms.py)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from marketplace.accounts.models import Region
from marketplace.kernel.limits import FILE_NAME_MAX_LENGTH, IdModelMultipleChoiceField
from marketplace.kernel.money import currency_symbol
from marketplace.shop.selectors import ShippingTerms
from marketplace.shop.services.shipping import MAX_FREE_OVER, MAX_RATE
from vendors.forms import chinese_description
from vendors.services.application import PROFILE_DESCRIPTION_MAX_LENGTH


class VendorProfileForm(forms.Form):
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=PROFILE_DESCRIPTION_MAX_LENGTH,
        help_text=gettext_lazy("Shown on your public page."),
        label=gettext_lazy("Description"),
    )
    description_zh_hant = chinese_description(PROFILE_DESCRIPTION_MAX_LENGTH, rows=6)
    regions = IdModelMultipleChoiceField(
        Region.objects.all(), required=False, widget=forms.CheckboxSelectMultiple, label=gettext_lazy("Regions served")
    )
    # A plain file field: the service reads, checks and re-encodes the image (one place for the rules).
    logo = forms.FileField(
        required=False,
        max_length=FILE_NAME_MAX_LENGTH,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
        label=gettext_lazy("New logo (optional)"),
        help_text=format_lazy(
            gettext_lazy("JPEG, PNG, GIF or WebP, up to {megabytes} MB and {megapixels} megapixels."),
            megabytes=f"{settings.MARKETPLACE['MAX_IMAGE_BYTES'] / (1024 * 1024):g}",
            megapixels=f"{settings.MARKETPLACE['MAX_IMAGE_PIXELS'] / 1_000_000:g}",
        ),
    )
    remove_logo = forms.BooleanField(required=False, label=gettext_lazy("Remove the current logo"))


def _amount(
    label: str | Promise, *, upper: Decimal, required: bool = False, help_text: str | Promise = ""
) -> forms.DecimalField:
    return forms.DecimalField(
        label=format_lazy("{label} ({symbol})", label=label, symbol=currency_symbol()),
        required=required,
        min_value=Decimal("0"),
        max_value=upper,
        max_digits=8,
        decimal_places=2,
        help_text=help_text,
    )


class ShippingForm(forms.Form):
    """How the vendor charges delivery: a flat amount, free over an amount, and a rate per region (optional,
    one field for each region: `rate_<code>`; empty charges the flat amount there)."""

    flat_rate = _amount(
        gettext_lazy("Delivery per order"),
        upper=MAX_RATE,
        required=True,
        help_text=gettext_lazy("0 for free delivery."),
    )
    free_over = _amount(
        gettext_lazy("Free delivery over"),
        upper=MAX_FREE_OVER,
        help_text=gettext_lazy("An order's goods (after promotions) from this amount."),
    )

    def __init__(self, *args: Any, regions: list[Region] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.regions = list(Region.objects.all()) if regions is None else regions
        for region in self.regions:
            self.fields[f"rate_{region.code}"] = _amount(region.shown_name, upper=MAX_RATE)

    @classmethod
    def initial_from(cls, terms: ShippingTerms) -> dict[str, Any]:
        initial: dict[str, Any] = {"flat_rate": terms.flat_rate, "free_over": terms.free_over}
        initial.update({f"rate_{r.code}": r.rate for r in terms.region_rates})
        return initial

    def region_fields(self) -> list[forms.BoundField]:
        return [self[f"rate_{region.code}"] for region in self.regions]

    def region_rates(self) -> dict[str, Decimal]:
        """{region code: rate} for the regions given a rate."""
        rates = {region.code: self.cleaned_data.get(f"rate_{region.code}") for region in self.regions}
        return {code: rate for code, rate in rates.items() if rate is not None}
