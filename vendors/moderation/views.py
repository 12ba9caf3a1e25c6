"""The moderators' pages: queue, vendors, reports, audit log; and the consumers' report form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView, TemplateView

from marketplace.kernel.errors import DomainError, DomainErrorMixin

from . import selectors
from . import services as moderation
from .forms import AuditFilterForm, NoteForm, ReasonForm, ReportForm, VendorFilterForm


class ModeratorRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Anonymous users go to the login page; signed-in users who are not moderators get 403."""

    raise_exception = False

    def test_func(self) -> bool:
        return self.request.user.is_moderator

    def handle_no_permission(self) -> HttpResponse:
        if self.request.user.is_authenticated:
            self.raise_exception = True
        return super().handle_no_permission()


def _form_errors(form: forms.Form) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def _back(request: HttpRequest, default: str = "moderation:queue") -> HttpResponse:
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/moderation/") else default)


class QueueView(ModeratorRequiredMixin, TemplateView):
    """Two lists, each a page at a time: early warnings (`?flags_page=`) and applications (`?page=`).

    A page number past the end shows the last page rather than a 404: approving the last application of the
    last page sends the moderator back to a page that no longer exists."""

    template_name = "moderation/queue.html"
    per_page = 25

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # Both lists are one vendor status or the vendors with an open flag, so their COUNT stays small.
        flagged = Paginator(selectors.vendor_list_flagged(), self.per_page).get_page(self.request.GET.get("flags_page"))
        pending = selectors.vendor_page_pending(number=self.request.GET.get("page"), per_page=self.per_page)
        context.update(flagged_page=flagged, page_obj=pending, reason_form=ReasonForm())
        return context


class VendorListView(ModeratorRequiredMixin, ListView):
    template_name = "moderation/vendor_list.html"
    context_object_name = "vendors"
    paginate_by = 50

    def get_queryset(self):  # type: ignore[no-untyped-def]
        self.form = VendorFilterForm(self.request.GET or None)
        data = self.form.cleaned_data if self.form.is_valid() else {}
        return selectors.vendor_list_for_moderation(status=data.get("status") or None, search=data.get("q") or "")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "form": self.form}


class VendorDetailView(ModeratorRequiredMixin, TemplateView):
    template_name = "moderation/vendor_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        vendor = selectors.vendor_get_for_moderation(vendor_id=self.kwargs["pk"])
        if vendor is None:
            raise Http404("No such vendor.")
        context.update(vendor=vendor, reason_form=ReasonForm(), note_form=NoteForm())
        return context


ACTIONS: dict[str, tuple[Callable[..., Any], Promise]] = {
    "approve": (moderation.vendor_approve, gettext_lazy("%(name)s approved: it is now in the marketplace.")),
    "reject": (moderation.vendor_reject, gettext_lazy("%(name)s rejected; the applicant sees your reason.")),
    "suspend": (
        moderation.vendor_suspend,
        gettext_lazy("%(name)s suspended: hidden everywhere from the next request."),
    ),
    "reinstate": (moderation.vendor_reinstate, gettext_lazy("%(name)s reinstated.")),
}


class VendorActionView(DomainErrorMixin, ModeratorRequiredMixin, View):
    error_redirect = "moderation:queue"

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        if action not in ACTIONS:
            raise Http404("No such action.")
        service, done = ACTIONS[action]
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, _form_errors(form))
            return _back(request)
        reason = form.cleaned_data["reason"]
        vendor = service(moderator=request.user, vendor_id=pk, reason=reason)
        messages.success(request, done % {"name": vendor.name})
        return _back(request)


class ReportListView(ModeratorRequiredMixin, TemplateView):
    """The vendors with open reports, the most reported first, 25 a page (`?page=`); closing a report returns
    to the same page, or to the last one there is when it was the last report of its page."""

    template_name = "moderation/reports.html"
    per_page = 25

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        vendors = selectors.vendor_list_with_open_reports()
        page = Paginator(vendors, self.per_page).get_page(self.request.GET.get("page"))
        context.update(page_obj=page, vendors=page, note_form=NoteForm())
        return context


class ReportCloseView(DomainErrorMixin, ModeratorRequiredMixin, View):
    error_redirect = "moderation:reports"

    def post(self, request: HttpRequest, pk: int, outcome: str) -> HttpResponse:
        service = {"resolve": moderation.report_resolve, "dismiss": moderation.report_dismiss}.get(outcome)
        if service is None:
            raise Http404("No such action.")
        form = NoteForm(request.POST)
        if not form.is_valid():
            messages.error(request, _form_errors(form))
            return _back(request, "moderation:reports")
        note = form.cleaned_data["note"]
        service(moderator=request.user, report_id=pk, note=note)
        messages.success(request, _("Report resolved.") if outcome == "resolve" else _("Report dismissed."))
        return _back(request, "moderation:reports")


class FlagClearView(DomainErrorMixin, ModeratorRequiredMixin, View):
    error_redirect = "moderation:queue"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        moderation.vendor_flag_clear(flag_id=pk, moderator=request.user)
        messages.success(request, _("Flag cleared."))
        return _back(request)


class AuditLogView(ModeratorRequiredMixin, ListView):
    template_name = "moderation/audit.html"
    context_object_name = "actions"
    paginate_by = 50

    def get_queryset(self):  # type: ignore[no-untyped-def]
        self.form = AuditFilterForm(self.request.GET or None)
        if self.form.is_bound and not self.form.is_valid():
            # Filters that make no sense show their errors and no rows, rather than the whole log.
            return selectors.moderation_action_list().none()
        data = self.form.cleaned_data if self.form.is_bound else {}
        return selectors.moderation_action_list(
            kind=data.get("kind") or None,
            moderator_id=data.get("moderator"),
            vendor=data.get("vendor") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "form": self.form, "moderators": selectors.moderator_list()}


class ReportCreateView(LoginRequiredMixin, View):
    """Any signed-in consumer reports a vendor; at most one open report per consumer and vendor."""

    template_name = "moderation/report_form.html"

    def _vendor(self, slug: str):  # type: ignore[no-untyped-def]
        vendor = selectors.vendor_get_reportable(slug=slug)
        if vendor is None:
            raise Http404("No such vendor.")
        return vendor

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        # "Report this review" on a vendor's page names the review, so the moderators can find it.
        review = request.GET.get("review", "")
        initial = {}
        if review.isdigit() and len(review) <= 12:
            initial = {"text": _("About review #%(number)s: ") % {"number": review}}
        return render(request, self.template_name, {"vendor": self._vendor(slug), "form": ReportForm(initial=initial)})

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        vendor = self._vendor(slug)
        form = ReportForm(request.POST)
        if form.is_valid():
            try:
                moderation.report_create(reporter=request.user, vendor_id=vendor.pk, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("Thank you: the moderators will look at your report on %(vendor)s.") % {"vendor": vendor.name},
                )
                return redirect(vendor.get_absolute_url() if vendor.is_approved else "portfolios:portfolio")
        return render(request, self.template_name, {"vendor": vendor, "form": form}, status=400)
