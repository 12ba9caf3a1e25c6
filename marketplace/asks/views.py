"""The asks in the browser: the consumer's pages under /asks/, the vendor's under /sell/asks/, the moderators'
at /moderation/asks/. Views check who asks, validate the shape with a form, call one service and render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from marketplace.kernel.errors import DomainError, DomainErrorMixin
from marketplace.kernel.pagination import LookaheadPage, LookaheadPaginator
from marketplace.shop.views.payments import checkout_pay_redirect
from vendors.models import Category, Vendor
from vendors.selectors import vendor_get_for_owner

from . import selectors, services
from .forms import AcceptForm, AskForm, OfferForm, ReportForm
from .models import TEXT_MAX

PAGE_SIZE = 20


def form_add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        form.add_error(None, exc)


def page_of(request: HttpRequest, qs: QuerySet[Any]) -> LookaheadPage:
    """One page of a list, without counting it (the vendor's list may be long at marketplace scale)."""
    try:
        return LookaheadPaginator(qs, PAGE_SIZE).page(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger) as exc:
        raise Http404(str(exc)) from exc


# --- The consumer's pages --------------------------------------------------------------------------------------


class AskListView(LoginRequiredMixin, TemplateView):
    template_name = "asks/ask_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        page = page_of(self.request, selectors.ask_list_for_consumer(consumer=self.request.user))
        context.update(asks=page.object_list, page_obj=page)
        return context


class AskPartnersView(LoginRequiredMixin, TemplateView):
    """Which partners see my asks: a setting per partner, on its own page (linked from My asks and the new-ask
    form), so the list of asks renders its asks alone."""

    template_name = "asks/ask_partners.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        page = page_of(self.request, selectors.partner_list_for_asks(consumer=self.request.user))
        context.update(partners=page.object_list, page_obj=page)
        return context


class AskMuteView(LoginRequiredMixin, DomainErrorMixin, View):
    """Keep a partner out of my asks, or let it back (htmx swaps the one row)."""

    error_redirect = "asks:partners"

    def post(self, request: HttpRequest, vendor_id: int) -> HttpResponse:
        row = selectors.partner_list_for_asks(consumer=request.user).filter(vendor_id=vendor_id).first()
        if row is None:
            raise Http404(_("No such partner."))
        row.kept_out = services.ask_mute_set(
            consumer=request.user, vendor_id=vendor_id, muted=request.POST.get("muted") == "on"
        )
        if request.htmx:
            return render(request, "asks/_partner_row.html", {"row": row})
        return redirect("asks:partners")


class AskAudienceView(LoginRequiredMixin, View):
    """How many partners an ask in the chosen category would reach (the new-ask page asks it through htmx)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        audience = None
        try:
            category = Category.objects.filter(pk=int(request.GET.get("category", ""))).first()
        except ValueError:
            category = None
        if category is not None:
            audience = services.ask_audience(consumer=request.user, category_id=category.pk)
        return render(request, "asks/_audience.html", {"audience": audience, "category": category})


class AskCreateView(LoginRequiredMixin, View):
    template_name = "asks/ask_form.html"

    def _render(self, request: HttpRequest, form: AskForm, status: int = 200) -> HttpResponse:
        audience = None
        category = form["category"].value()
        if category:
            try:
                audience = services.ask_audience(consumer=request.user, category_id=int(category))
            except (TypeError, ValueError):
                audience = None
        return render(request, self.template_name, {"form": form, "audience": audience}, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, AskForm(initial={"category": request.GET.get("category")}))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = AskForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        data = form.cleaned_data
        try:
            ask = services.ask_draft_create(
                consumer=request.user,
                category_id=data["category"].pk,
                title=data["title"],
                description=data["description"],
                budget=data["budget"],
                budget_visible=data["budget_visible"],
                needed_by=data["needed_by"],
                respond_by=data["respond_by"],
            )
        except ValidationError as exc:
            form_add_errors(form, exc)
            return self._render(request, form, status=400)
        if "publish" in request.POST:
            try:
                services.ask_publish(consumer=request.user, ask_id=ask.pk)
            except (DomainError, ValidationError) as exc:
                messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
                return redirect("asks:detail", pk=ask.pk)
            messages.success(request, _("Your ask is published to your partners."))
        else:
            messages.success(request, _("Your ask is saved as a draft; publish it when you are ready."))
        return redirect("asks:detail", pk=ask.pk)


class AskDetailView(LoginRequiredMixin, DomainErrorMixin, TemplateView):
    """The ask, its offers compared (price, valid-until, the vendor's public facts and rating) and accepted."""

    template_name = "asks/ask_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        ask = selectors.ask_get_for_consumer(consumer=self.request.user, pk=self.kwargs["pk"])
        audience = services.ask_audience(consumer=self.request.user, category_id=ask.category_id)
        context.update(
            ask=ask,
            payment=selectors.award_payment(ask),
            offers=selectors.offer_list_for_consumer(ask=ask),
            audience=audience,
            accept_form=kwargs.get("accept_form")
            or AcceptForm(initial={"ship_to_name": self.request.user.display_name}),
            report_form=ReportForm(),
            accept_offer_id=kwargs.get("accept_offer_id"),
        )
        return context


class AskPublishView(LoginRequiredMixin, DomainErrorMixin, View):
    def get_error_redirect(self) -> str:
        return reverse("asks:detail", args=[self.kwargs["pk"]])

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        services.ask_publish(consumer=request.user, ask_id=pk)
        messages.success(request, _("Your ask is published to your partners."))
        return redirect("asks:detail", pk=pk)


class AskCancelView(LoginRequiredMixin, DomainErrorMixin, View):
    def get_error_redirect(self) -> str:
        return reverse("asks:detail", args=[self.kwargs["pk"]])

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        services.ask_cancel(consumer=request.user, ask_id=pk)
        messages.success(request, _("The ask is cancelled; its offers lapsed."))
        return redirect("asks:detail", pk=pk)


class OfferAcceptView(LoginRequiredMixin, DomainErrorMixin, View):
    def get_error_redirect(self) -> str:
        return reverse("asks:detail", args=[self.kwargs["pk"]])

    def post(self, request: HttpRequest, pk: int, offer_id: int) -> HttpResponse:
        form = AcceptForm(request.POST)
        if form.is_valid():
            try:
                result = services.offer_accept(consumer=request.user, ask_id=pk, offer_id=offer_id, **form.cleaned_data)
            except ValidationError as exc:
                form_add_errors(form, exc)
            else:
                return checkout_pay_redirect(request, result)
        view = AskDetailView()
        view.setup(request, pk=pk)
        context = view.get_context_data(pk=pk, accept_form=form, accept_offer_id=offer_id)
        return render(request, AskDetailView.template_name, context, status=400)


class OfferReportView(LoginRequiredMixin, DomainErrorMixin, View):
    def get_error_redirect(self) -> str:
        return reverse("asks:detail", args=[self.kwargs["pk"]])

    def post(self, request: HttpRequest, pk: int, offer_id: int) -> HttpResponse:
        form = ReportForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Keep the report under %(max)s characters.") % {"max": TEXT_MAX})
            return redirect("asks:detail", pk=pk)
        services.offer_report(consumer=request.user, ask_id=pk, offer_id=offer_id, text=form.cleaned_data["text"])
        messages.success(request, _("Thank you: the moderators will look at this offer."))
        return redirect("asks:detail", pk=pk)


# --- The vendor's pages ----------------------------------------------------------------------------------------


class VendorMixin(LoginRequiredMixin):
    """The signed-in user's own vendor, never one named in the request; one who never applied goes to apply."""

    vendor: Vendor

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        vendor = vendor_get_for_owner(owner=request.user)
        if vendor is None:
            return redirect("sell:apply")
        self.vendor = vendor
        return super().dispatch(request, *args, **kwargs)


class VendorAskListView(VendorMixin, TemplateView):
    template_name = "asks/vendor_ask_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        state = "open" if self.request.GET.get("state") == "open" else ""
        asks = selectors.ask_list_for_vendor(vendor=self.vendor, state=state, related=("region",))
        page = page_of(self.request, asks)
        context.update(vendor=self.vendor, rows=page.object_list, page_obj=page, state=state)
        return context


class VendorAskDetailView(VendorMixin, DomainErrorMixin, TemplateView):
    template_name = "asks/vendor_ask_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        row = selectors.ask_get_for_vendor(vendor=self.vendor, pk=self.kwargs["pk"])
        offer = selectors.offer_get_own(vendor=self.vendor, ask_id=row.ask_id)
        initial = {}
        if offer is not None and offer.price is not None:
            initial = {
                "price": offer.price,
                "included": offer.included,
                "stock_reserved": offer.stock_reserved,
                "promotions_stack": offer.promotions_stack,
                "valid_until": offer.valid_until,
            }
        context.update(
            vendor=self.vendor,
            row=row,
            ask=row.ask,
            offer=offer,
            renewable=services.offer_renewable(ask=row.ask, offer=offer),
            form=kwargs.get("form") or OfferForm(initial=initial),
        )
        return context


class _VendorAskAction(VendorMixin, DomainErrorMixin, View):
    def get_error_redirect(self) -> str:
        return reverse("asks:vendor-ask-detail", args=[self.kwargs["pk"]])


class OfferMakeView(_VendorAskAction):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = OfferForm(request.POST)
        if form.is_valid():
            try:
                services.offer_make(vendor=self.vendor, ask_id=pk, **form.cleaned_data)
            except ValidationError as exc:
                form_add_errors(form, exc)
            else:
                messages.success(request, _("Your offer is sent, sealed: no other vendor sees it."))
                return redirect("asks:vendor-ask-detail", pk=pk)
        view = VendorAskDetailView()
        view.setup(request, pk=pk)
        view.vendor = self.vendor
        return render(request, VendorAskDetailView.template_name, view.get_context_data(pk=pk, form=form), status=400)


class OfferWithdrawView(_VendorAskAction):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        services.offer_withdraw(vendor=self.vendor, ask_id=pk)
        messages.success(request, _("Your offer is withdrawn."))
        return redirect("asks:vendor-ask-detail", pk=pk)


class OfferNotInterestedView(_VendorAskAction):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        services.offer_not_interested(vendor=self.vendor, ask_id=pk)
        messages.success(request, _("Noted: the consumer sees only that a partner is not interested, not which."))
        return redirect("asks:vendor-ask-list")


class VendorAskSettingsView(VendorMixin, TemplateView):
    """The vendor's e-mails about asks, on their own page beside the list and the insights (no row: both on)."""

    template_name = "asks/vendor_ask_settings.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        saved = selectors.vendor_ask_settings_get(vendor=self.vendor)
        context.update(
            vendor=self.vendor, email_new_asks=saved.email_new_asks, email_offer_lapses=saved.email_offer_lapses
        )
        return context

    def post(self, request: HttpRequest) -> HttpResponse:
        services.vendor_ask_settings_set(
            vendor=self.vendor,
            email_new_asks=request.POST.get("email_new_asks") == "on",
            email_offer_lapses=request.POST.get("email_offer_lapses") == "on",
        )
        messages.success(request, _("Your e-mail settings for asks are saved."))
        return redirect("asks:vendor-ask-settings")


class VendorAskInsightsView(VendorMixin, TemplateView):
    template_name = "asks/vendor_insights.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(vendor=self.vendor, insights=selectors.ask_insights_for_vendor(vendor=self.vendor))
        return context


# --- The moderators' page --------------------------------------------------------------------------------------


class ModerationAsksView(LoginRequiredMixin, UserPassesTestMixin, TemplateView):
    """Asks cancelled after offers came in, and offers reported as bait."""

    template_name = "asks/moderation.html"

    def test_func(self) -> bool:
        return bool(self.request.user.is_moderator)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            cancelled=selectors.ask_list_cancelled_after_offers()[:50],
            reports=selectors.offer_reports_list()[:50],
        )
        return context
