"""Forms of the shop floor: they validate input; the services apply the rules."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.models import Region
from marketplace.kernel.limits import COMMENT_MAX_LENGTH, ID_MAX, PRICE_MAX
from vendors.models import Category

from .selectors import ProductFilters, ProductSort, VendorSort


class VendorFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label=_("Search vendors"))
    category = forms.ModelChoiceField(
        Category.objects.all(), required=False, to_field_name="slug", empty_label=_("All categories")
    )
    region = forms.ModelChoiceField(
        Region.objects.all(), required=False, to_field_name="code", empty_label=_("Anywhere"), label=_("Serves region")
    )
    sort = forms.ChoiceField(choices=[("", _("Best match")), *VendorSort.CHOICES], required=False, label=_("Sort by"))


class ProductSearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label=_("Search products"))
    only_partners = forms.BooleanField(required=False, label=_("Only my partners"))
    sort = forms.ChoiceField(choices=ProductSort.CHOICES, required=False, label=_("Sort by"))
    category = forms.ModelChoiceField(
        Category.objects.all(), required=False, to_field_name="slug", empty_label=_("All categories")
    )
    min_price = forms.DecimalField(
        required=False, min_value=0, max_value=PRICE_MAX, decimal_places=2, label=_("Price from")
    )
    max_price = forms.DecimalField(
        required=False, min_value=0, max_value=PRICE_MAX, decimal_places=2, label=_("Price up to")
    )
    in_stock = forms.BooleanField(required=False, label=_("In stock only"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        low, high = data.get("min_price"), data.get("max_price")
        if low is not None and high is not None and low > high:
            self.add_error("max_price", _("The highest price must not be below the lowest."))
        return data

    def filters(self) -> ProductFilters:
        """The valid filters (none when the form is invalid: the page then lists without them, with the errors)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        category = data.get("category")
        return ProductFilters(
            min_price=data.get("min_price"),
            max_price=data.get("max_price"),
            in_stock=bool(data.get("in_stock")),
            category=category.slug if category else "",
        )


class CartAddForm(forms.Form):
    quantity = forms.IntegerField(min_value=1, max_value=99, initial=1)


class CartQuantityForm(forms.Form):
    quantity = forms.IntegerField(min_value=1, max_value=99)


class CheckoutForm(forms.Form):
    ship_to_name = forms.CharField(max_length=120, label=_("Deliver to (name)"))
    ship_to_address = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=500, label=_("Address"))
    ship_to_region = forms.ModelChoiceField(
        Region.objects.all(),
        required=False,
        to_field_name="code",
        empty_label=_("Elsewhere"),
        label=_("Delivery region"),
        help_text=_("Some vendors charge delivery by region."),
    )
    promotion_code = forms.CharField(max_length=30, required=False, label=_("Promotion code (optional)"))
    save_address = forms.BooleanField(required=False, label=_("Save these delivery details for next time"))
    address_label = forms.CharField(max_length=40, required=False, label=_("Label (optional: Home, Work…)"))
    # One key per checkout page: a double-click or a resubmission sends the same key and buys once.
    idempotency_key = forms.CharField(max_length=64, widget=forms.HiddenInput, initial=lambda: uuid.uuid4().hex)


class CardForm(forms.Form):
    """The card number the fake provider charges (its test cards; spaces allowed). With Stripe the card is
    entered in Stripe's own field instead, and never reaches this site."""

    card_number = forms.CharField(
        max_length=40,
        label=_("Card number"),
        widget=forms.TextInput(attrs={"autocomplete": "cc-number", "inputmode": "numeric"}),
    )


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        choices=[
            (n, format_lazy("{} – {}", n, label))
            for n, label in [(5, _("excellent")), (4, _("good")), (3, _("fair")), (2, _("poor")), (1, _("bad"))]
        ],
        coerce=int,
        label=_("Service rating"),
    )
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        label=_("Your review (optional)"),
        help_text=_("Other shoppers see it on the vendor's page with your rating, without your name."),
    )


class CompareForm(forms.Form):
    v = forms.CharField(required=False, max_length=600)  # four vendor slugs of up to 140 characters, comma-separated


class AddressForm(forms.Form):
    label = forms.CharField(max_length=40, required=False, label=_("Label (optional: Home, Work…)"))
    name = forms.CharField(max_length=120, label=_("Deliver to (name)"))
    address = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=500, label=_("Address"))
    region = forms.ModelChoiceField(
        Region.objects.all(), required=False, to_field_name="code", empty_label=_("Elsewhere"), label=_("Region")
    )

    def service_fields(self) -> dict[str, str]:
        """The cleaned fields as the address services take them (the region by its code)."""
        data = self.cleaned_data
        region = data["region"]
        return {
            "label": data["label"],
            "name": data["name"],
            "address": data["address"],
            "region": region.code if region else "",
        }


class ReviewFilterForm(forms.Form):
    """The moderators' reviews page: one vendor's reviews, or the one a report names."""

    vendor = forms.IntegerField(required=False, min_value=1, max_value=ID_MAX)
    review = forms.IntegerField(required=False, min_value=1, max_value=ID_MAX)
