"""The asks' forms: shape and bounds only; the rules are the services'."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from vendors.models import Category

from .models import INCLUDED_MAX, TEXT_MAX, TITLE_MAX

MONEY = {"min_value": Decimal("0.01"), "max_value": Decimal("99999999.99")}


class AskForm(forms.Form):
    category = forms.ModelChoiceField(
        queryset=Category.objects.all(), empty_label=_("Choose a category"), label=_("Category")
    )
    title = forms.CharField(
        max_length=TITLE_MAX, label=_("Title"), help_text=_("For example: a DVD player under 3,000 by Friday.")
    )
    description = forms.CharField(max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4}), label=_("Description"))
    budget = forms.DecimalField(required=False, max_digits=10, decimal_places=2, label=_("Budget"), **MONEY)
    budget_visible = forms.BooleanField(required=False, label=_("Show my budget to the partners"))
    needed_by = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label=_("Needed by"))
    respond_by = forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        label=_("Respond by"),
        help_text=_("Partners may answer until then; at most 14 days ahead."),
    )


class OfferForm(forms.Form):
    price = forms.DecimalField(max_digits=10, decimal_places=2, label=_("Price"), **MONEY)
    included = forms.CharField(
        required=False,
        max_length=INCLUDED_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("What is included"),
    )
    stock_reserved = forms.BooleanField(required=False, label=_("I reserve the stock for this offer"))
    promotions_stack = forms.BooleanField(
        required=False, label=_("My running promotions apply on top of this price (otherwise the price is final)")
    )
    valid_until = forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        label=_("Valid until"),
    )


class AcceptForm(forms.Form):
    ship_to_name = forms.CharField(max_length=120, label=_("Deliver to"))
    ship_to_address = forms.CharField(max_length=1000, widget=forms.Textarea(attrs={"rows": 3}), label=_("Address"))


class ReportForm(forms.Form):
    text = forms.CharField(
        required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2}), label=_("What is wrong with it?")
    )
