from django import forms

from marketplace.accounts.models import Region

from .models import Category


class ApplicationForm(forms.Form):
    name = forms.CharField(max_length=120, label="Business name")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=4000)
    category = forms.ModelChoiceField(Category.objects.all())
    regions = forms.ModelMultipleChoiceField(
        Region.objects.all(), required=False, widget=forms.CheckboxSelectMultiple, label="Regions served"
    )
    contact_email = forms.EmailField(label="Contact email")


class ProductForm(forms.Form):
    name = forms.CharField(max_length=160)
    sku = forms.CharField(max_length=64, required=False, label="SKU (optional)")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    price = forms.DecimalField(max_digits=10, decimal_places=2, min_value=0.01, label="Price (£)")
    partner_price = forms.DecimalField(
        max_digits=10,
        decimal_places=2,
        min_value=0.01,
        required=False,
        label="Partner price (£, optional)",
        help_text="Only your current partners see and pay it.",
    )
    stock = forms.IntegerField(min_value=0)
    category = forms.ModelChoiceField(Category.objects.all(), required=False)
    image = forms.FileField(required=False, help_text="JPEG, PNG, GIF or WebP, up to 2 MB.")
    active = forms.BooleanField(required=False, initial=True, label="On sale")


class StockForm(forms.Form):
    delta = forms.IntegerField(label="Change stock by", help_text="Positive adds units, negative removes them.")


class CsvImportForm(forms.Form):
    file = forms.FileField(label="Catalogue CSV")
