"""The vendor's payouts: onboarding with the payment provider, balance pending and available, each order's
gross, fee, refunds and net. Thin views over the shop's payment selectors and services."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from marketplace.shop.models import Payee
from marketplace.shop.payments.base import ProviderError
from marketplace.shop.payments.selectors import payout_list_for_vendor, payout_summary_for_vendor
from marketplace.shop.payments.services import payee_onboarding_link_create, payee_sync

from ..access import VendorOwnerMixin
from .catalogue import WorkspaceListMixin

logger = logging.getLogger(__name__)


class PayoutsView(VendorOwnerMixin, WorkspaceListMixin, ListView):
    """Balance and onboarding at the top; below, the vendor's paid orders, 25 a page, newest first."""

    template_name = "sell/payouts.html"
    context_object_name = "payouts"
    paginate_by = 25

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return payout_list_for_vendor(vendor=self.vendor)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(vendor=self.vendor, summary=payout_summary_for_vendor(vendor=self.vendor))
        return context


class PayoutsOnboardingView(VendorOwnerMixin, View):
    """Off to the payment provider's onboarding (opening the payout account first). GET is the provider's
    refresh address: an expired link asks for a new one."""

    def _go(self, request: HttpRequest) -> HttpResponse:
        try:
            link = payee_onboarding_link_create(
                vendor=self.vendor,
                return_url=request.build_absolute_uri(reverse("sell:payouts-return")),
                refresh_url=request.build_absolute_uri(reverse("sell:payouts-onboarding")),
            )
        except ProviderError:
            logger.exception("Onboarding link for vendor %s not made", self.vendor.pk)
            messages.error(request, _("We could not reach the payment provider. Try again in a moment."))
            return redirect("sell:payouts")
        return redirect(link)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._go(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        return self._go(request)


class PayoutsReturnView(VendorOwnerMixin, View):
    """Back from the provider's onboarding: read the account's state from the provider."""

    def get(self, request: HttpRequest) -> HttpResponse:
        payee = Payee.objects.filter(vendor=self.vendor).first()
        if payee is not None:
            try:
                payee = payee_sync(payee_id=payee.pk)
            except ProviderError:
                messages.error(request, _("We could not reach the payment provider. Try again in a moment."))
                return redirect("sell:payouts")
            if payee.ready:
                messages.success(request, _("Your payout account is complete: delivered orders are paid out to it."))
            else:
                messages.info(request, _("Your payout account is not complete yet: see what is missing below."))
        return redirect("sell:payouts")
