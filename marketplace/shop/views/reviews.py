"""The moderators' page of the buyers' reviews: a vendor's reviews (or the one a report names), and hiding one."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from marketplace.kernel.errors import DomainErrorMixin
from marketplace.kernel.limits import ID_MAX
from marketplace.kernel.pagination import LookaheadPaginator
from vendors.models import Vendor
from vendors.moderation.forms import ReasonForm
from vendors.moderation.views import ModeratorRequiredMixin

from .. import selectors
from ..services import review_hide


class ReviewFilterForm(forms.Form):
    vendor = forms.IntegerField(required=False, min_value=1, max_value=ID_MAX)
    review = forms.IntegerField(required=False, min_value=1, max_value=ID_MAX)


class ReviewModerationView(ModeratorRequiredMixin, TemplateView):
    """The reviews of one vendor (`?vendor=`), or the one a report names (`?review=`), newest first, 25 a page
    (no COUNT), hidden ones with who hid them and why."""

    template_name = "moderation/reviews.html"
    per_page = 25

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = ReviewFilterForm(self.request.GET)
        data = form.cleaned_data if form.is_valid() else {}
        reviews = selectors.review_list_for_moderation(vendor_id=data.get("vendor"), review_id=data.get("review"))
        page = LookaheadPaginator(reviews, self.per_page).get_page(self.request.GET.get("page"))
        vendor = Vendor.objects.filter(pk=data["vendor"]).first() if data.get("vendor") else None
        context.update(page_obj=page, reviews=page, vendor=vendor, form_errors=form.errors, reason_form=ReasonForm())
        return context


class ReviewHideView(DomainErrorMixin, ModeratorRequiredMixin, View):
    def get_error_redirect(self) -> str:
        return self._back()

    def _back(self) -> str:
        target = self.request.POST.get("next", "")
        return target if target.startswith("/moderation/") else reverse("review-moderation:list")

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
            return redirect(self._back())
        review_hide(moderator=request.user, rating_id=pk, reason=form.cleaned_data["reason"])
        messages.success(request, "The review is hidden: it has left the vendor's page. The audit log names it.")
        return redirect(self._back())
