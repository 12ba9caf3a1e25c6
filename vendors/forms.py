from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.models import Region
from marketplace.kernel.limits import (
    DESCRIPTION_MAX_LENGTH,
    EMAIL_MAX_LENGTH,
    FILE_NAME_MAX_LENGTH,
    PRICE_MAX,
    PRICE_MIN,
    STOCK_DELTA_MAX,
    STOCK_MAX,
    IdModelMultipleChoiceField,
)
from marketplace.kernel.money import money_label

from .models import Category

# A vendor writes in English, in Traditional Chinese or in both: the main fields hold their one language (or
# English), the optional Chinese ones what readers of Chinese see instead (docs/i18n.md).
CHINESE_HELP = _("Readers of Traditional Chinese see this instead; leave it empty to show them the text above.")


def chinese_name(max_length: int, label: str) -> forms.CharField:
    return forms.CharField(max_length=max_length, required=False, label=label, help_text=CHINESE_HELP)


def chinese_description(max_length: int, rows: int) -> forms.CharField:
    return forms.CharField(
        widget=forms.Textarea(attrs={"rows": rows, "lang": "zh-Hant"}),
        required=False,
        max_length=max_length,
        label=_("Description in Traditional Chinese (optional)"),
        help_text=CHINESE_HELP,
    )


class ApplicationForm(forms.Form):
    name = forms.CharField(max_length=120, label=_("Business name"))
    name_zh_hant = chinese_name(120, _("Business name in Traditional Chinese (optional)"))
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=4000, label=_("Description")
    )
    description_zh_hant = chinese_description(4000, rows=4)
    category = forms.ModelChoiceField(Category.objects.all(), label=_("Category"))
    regions = IdModelMultipleChoiceField(
        Region.objects.all(), required=False, widget=forms.CheckboxSelectMultiple, label=_("Regions served")
    )
    contact_email = forms.EmailField(max_length=EMAIL_MAX_LENGTH, label=_("Contact email"))


class ProductForm(forms.Form):
    name = forms.CharField(max_length=160, label=_("Name"))
    name_zh_hant = chinese_name(160, _("Name in Traditional Chinese (optional)"))
    sku = forms.CharField(max_length=64, required=False, label=_("SKU (optional)"))
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        label=_("Description"),
    )
    description_zh_hant = chinese_description(DESCRIPTION_MAX_LENGTH, rows=3)
    price = forms.DecimalField(
        max_digits=10, decimal_places=2, min_value=PRICE_MIN, max_value=PRICE_MAX, label=money_label(_("Price"))
    )
    partner_price = forms.DecimalField(
        max_digits=10,
        decimal_places=2,
        min_value=PRICE_MIN,
        max_value=PRICE_MAX,
        required=False,
        label=money_label(_("Partner price"), optional=True),
        help_text=_("Only your current partners see and pay it."),
    )
    stock = forms.IntegerField(min_value=0, max_value=STOCK_MAX, label=_("Stock"))
    category = forms.ModelChoiceField(Category.objects.all(), required=False, label=_("Category"))
    # A plain file field: the catalogue service reads, checks and re-encodes the image (one place for the rules).
    image = forms.FileField(
        required=False,
        max_length=FILE_NAME_MAX_LENGTH,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
        label=_("Image"),
        help_text=format_lazy(
            _("JPEG, PNG, GIF or WebP, up to {megabytes} MB and {megapixels} megapixels."),
            megabytes=f"{settings.MARKETPLACE['MAX_IMAGE_BYTES'] / (1024 * 1024):g}",
            megapixels=f"{settings.MARKETPLACE['MAX_IMAGE_PIXELS'] / 1_000_000:g}",
        ),
    )
    active = forms.BooleanField(required=False, initial=True, label=_("On sale"))


class StockForm(forms.Form):
    delta = forms.IntegerField(
        min_value=-STOCK_DELTA_MAX,
        max_value=STOCK_DELTA_MAX,
        label=_("Change stock by"),
        help_text=_("Positive adds units, negative removes them."),
    )


class CsvImportForm(forms.Form):
    file = forms.FileField(max_length=FILE_NAME_MAX_LENGTH, label=_("Catalogue CSV"), help_text=_("Up to 2 MB."))
