"""The consumer's partner portfolio: partners, feed, history. Only the consumer's own actions change it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from marketplace.kernel.errors import DomainError, DomainErrorMixin, NotFoundError
from marketplace.kernel.redirects import redirect_back
from marketplace.shop.selectors.portfolio import my_partners_get
from portfolios import services
from portfolios.exceptions import AlreadyPartner
from portfolios.forms import MembershipEndForm, MuteForm
from portfolios.selectors import membership_list_for_portfolio
from promotions.forms import PromotionFeedbackForm
from promotions.models import PromotionFeedback
from promotions.selectors.feedback import feedback_by_promotion_for_consumer, promotion_get_delivered
from promotions.services.feedback import promotion_feedback_give
from vendors.models import Vendor


class PortfolioView(LoginRequiredMixin, TemplateView):
    template_name = "portfolios/portfolio.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        mine = my_partners_get(consumer=self.request.user)
        context.update(
            memberships=mine.memberships,
            feed=mine.feed,
            feedback_reasons=PromotionFeedback.Reason.choices,
            new_products=mine.new_products,
            history=mine.history,
        )
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
            return render(
                request,
                "portfolios/_partner_button.html",
                {"vendor": vendor, "is_partner": is_partner, "error": error},
            )
        if error:
            messages.error(request, error)
        else:
            messages.success(request, "Added to your partners.")
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
        messages.success(request, f"Partnership with {vendor.name} ended. You can reinstate it from your history.")
        return redirect("portfolios:portfolio")


class MembershipReinstateView(DomainErrorMixin, LoginRequiredMixin, View):
    error_redirect = "portfolios:portfolio"

    def post(self, request: HttpRequest, vendor_id: int) -> HttpResponse:
        membership = services.membership_reinstate(consumer=request.user, vendor_id=vendor_id)
        messages.success(request, f"{membership.vendor.name} is one of your partners again.")
        return redirect("portfolios:portfolio")


class MembershipMuteView(DomainErrorMixin, LoginRequiredMixin, View):
    error_redirect = "portfolios:portfolio"

    def post(self, request: HttpRequest, vendor_id: int) -> HttpResponse:
        form = MuteForm(request.POST)
        muted = form.is_valid() and form.cleaned_data["muted"]
        membership = services.membership_set_muted(consumer=request.user, vendor_id=vendor_id, muted=muted)
        state = "muted" if membership.muted else "unmuted"
        messages.success(request, f"Promotions from {membership.vendor.name} {state}.")
        return redirect("portfolios:portfolio")


class PromotionFeedbackView(DomainErrorMixin, LoginRequiredMixin, View):
    """A partner says whether a promotion in their feed was useful. With htmx the form is swapped in place
    (refusals shown in it); without JavaScript a success returns to the feed, bad input shows the form again
    (400), a promotion never delivered to them is 404 and other refusals are a message on the feed."""

    error_redirect = "portfolios:portfolio"
    partial = "portfolios/_feedback.html"

    def _render(
        self, request: HttpRequest, promo: object, feedback: object, error: str = "", status: int = 200
    ) -> HttpResponse:
        context = {"promo": promo, "feedback": feedback, "error": error, "reasons": PromotionFeedback.Reason.choices}
        if request.htmx:
            return render(request, self.partial, context)
        return render(request, "portfolios/feedback.html", context, status=status)

    def post(self, request: HttpRequest, promotion_id: int) -> HttpResponse:
        promo = promotion_get_delivered(consumer=request.user, promotion_id=promotion_id)
        if promo is None:
            raise Http404("You did not receive this promotion.")
        previous = feedback_by_promotion_for_consumer(consumer=request.user, promotion_ids=[promo.pk]).get(promo.pk)
        form = PromotionFeedbackForm(request.POST)
        if not form.is_valid():
            errors = " ".join(str(m) for messages_ in form.errors.values() for m in messages_)
            return self._render(request, promo, previous, errors, status=400)
        try:
            feedback = promotion_feedback_give(consumer=request.user, promotion_id=promo.pk, **form.cleaned_data)
        except ValidationError as exc:
            return self._render(request, promo, previous, " ".join(exc.messages), status=400)
        except NotFoundError:
            raise
        except DomainError as exc:
            if not request.htmx:
                raise
            return self._render(request, promo, previous, str(exc))
        if request.htmx:
            return self._render(request, promo, feedback)
        messages.success(request, f"Thank you: your feedback on “{promo.title}” is saved.")
        return redirect(f"{reverse('portfolios:portfolio')}#promotion-{promo.pk}")
