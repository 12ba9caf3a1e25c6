"""The vendor's delivery charges: a flat amount, free over an amount, rates per region (shop's shipping)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from marketplace.accounts.models import Region
from marketplace.shop.selectors import shipping_terms_for_vendors
from marketplace.shop.services import shipping_policy_set

from ..access import VendorOwnerMixin, form_add_errors
from ..forms import ShippingForm


class ShippingView(VendorOwnerMixin, View):
    template_name = "sell/shipping.html"

    def _render(self, request: HttpRequest, form: ShippingForm, status: int = 200) -> HttpResponse:
        return render(request, self.template_name, {"form": form, "vendor": self.vendor}, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        terms = shipping_terms_for_vendors(vendor_ids=[self.vendor.pk])[self.vendor.pk]
        regions = list(Region.objects.all())
        return self._render(request, ShippingForm(initial=ShippingForm.initial_from(terms), regions=regions))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ShippingForm(request.POST, regions=list(Region.objects.all()))
        if not form.is_valid():
            return self._render(request, form, status=400)
        try:
            shipping_policy_set(
                vendor=self.vendor,
                flat_rate=form.cleaned_data["flat_rate"],
                free_over=form.cleaned_data["free_over"],
                region_rates=form.region_rates(),
            )
        except ValidationError as exc:
            form_add_errors(form, exc)
            return self._render(request, form, status=400)
        messages.success(request, _("Delivery charges saved. Your product pages and new orders use them now."))
        return redirect("sell:shipping")
