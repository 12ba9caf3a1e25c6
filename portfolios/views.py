"""The consumer's partner portfolio: partners, feed, history. Only the consumer's own actions change it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from django_htmx.http import trigger_client_event

from marketplace.kernel.errors import DomainError, DomainErrorMixin
from marketplace.kernel.redirects import redirect_back
from vendors.models import Vendor

from . import services
from .exceptions import AlreadyPartner
from .forms import MembershipEndForm, MuteForm
from .selectors import membership_list_for_portfolio, portfolio_get_kept
from .signals import portfolio_page_context


class PortfolioView(LoginRequiredMixin, TemplateView):
    template_name = "portfolios/portfolio.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        mine = portfolio_get_kept(consumer=self.request.user)
        context.update(memberships=mine.memberships, new_products=mine.new_products, history=mine.history)
        # What the apps above keep for this consumer on this page: the partner feed (promotions.receivers).
        for _receiver, extra in portfolio_page_context.send(sender=type(self), consumer=self.request.user):
            context.update(extra)
        return context


class MembershipAddView(LoginRequiredMixin, View):
    """One click: with htmx the button is swapped in place; without JavaScript the page reloads."""

    def post(self, request: HttpRequest, vendor_id: int) -> HttpResponse:
        vendor = Vendor.objects.filter(pk=vendor_id).first()
        if vendor is None:
            raise Http404("No such vendor.")
        error, is_partner = "", True
        try:
            services.membership_start(consumer=request.user, vendor_id=vendor_id)
        except AlreadyPartner as exc:
            error = str(exc)
        except DomainError as exc:
            error, is_partner = str(exc), False
        if request.htmx:
            response = render(
                request,
                "portfolios/_partner_button.html",
                {"vendor": vendor, "is_partner": is_partner, "error": error},
            )
            if is_partner and not error:
                # The page around the button renews what partnership changes (the vendor page: partner prices).
                trigger_client_event(response, "partners-changed", {"vendor": vendor.pk})
            return response
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Added to your partners."))
        return redirect_back(request, reverse("portfolios:portfolio"))


class MembershipEndView(DomainErrorMixin, LoginRequiredMixin, View):
    error_redirect = "portfolios:portfolio"
    template_name = "portfolios/end.html"

    def _vendor(self, request: HttpRequest, vendor_id: int) -> Vendor:
        membership = membership_list_for_portfolio(consumer=request.user).filter(vendor_id=vendor_id).first()
        if membership is None:
            raise Http404("This vendor is not one of your partners.")
        return membership.vendor

    def get(self, request: HttpRequest, vendor_id: int) -> HttpResponse:
        return render(
            request, self.template_name, {"vendor": self._vendor(request, vendor_id), "form": MembershipEndForm()}
        )

    def post(self, request: HttpRequest, vendor_id: int) -> HttpResponse:
        vendor = self._vendor(request, vendor_id)
        form = MembershipEndForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"vendor": vendor, "form": form}, status=400)
        services.membership_end(consumer=request.user, vendor_id=vendor_id, **form.cleaned_data)
        messages.success(
            request,
            _("Partnership with %(vendor)s ended. You can reinstate it from your history.")
            % {"vendor": vendor.shown_name},
        )
        return redirect("portfolios:portfolio")


class MembershipReinstateView(DomainErrorMixin, LoginRequiredMixin, View):
    error_redirect = "portfolios:portfolio"

    def post(self, request: HttpRequest, vendor_id: int) -> HttpResponse:
        membership = services.membership_reinstate(consumer=request.user, vendor_id=vendor_id)
        messages.success(request, _("%(vendor)s is one of your partners again.") % {"vendor": membership.vendor.name})
        return redirect("portfolios:portfolio")


class MembershipMuteView(DomainErrorMixin, LoginRequiredMixin, View):
    error_redirect = "portfolios:portfolio"

    def post(self, request: HttpRequest, vendor_id: int) -> HttpResponse:
        form = MuteForm(request.POST)
        muted = form.is_valid() and form.cleaned_data["muted"]
        membership = services.membership_set_muted(consumer=request.user, vendor_id=vendor_id, muted=muted)
        done = _("Promotions from %(vendor)s muted.") if membership.muted else _("Promotions from %(vendor)s unmuted.")
        messages.success(request, done % {"vendor": membership.vendor.name})
        return redirect("portfolios:portfolio")
