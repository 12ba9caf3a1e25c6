"""The promotion designer under /sell/promotions/: design a draft, preview its audience, publish, end."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from marketplace.kernel.errors import DomainError, DomainErrorMixin
from promotions import services
from promotions.forms import PromotionForm
from promotions.models import Promotion
from promotions.selectors import AudienceSpec, audience_preview, promotion_get_for_vendor, promotion_list_for_vendor

from ..access import VendorOwnerMixin, form_add_errors

FIELDS = list(PromotionForm.base_fields)
AUDIENCE_FIELDS = ("kind", "audience", "segment_region", "segment_age_band", "segment_interest", "lapsed_days")


def _own(vendor: Any, pk: int) -> Promotion:
    promotion = promotion_get_for_vendor(vendor=vendor, pk=pk)
    if promotion is None:
        raise Http404(_("No such promotion."))
    return promotion


class PromotionListView(VendorOwnerMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        promotions = promotion_list_for_vendor(vendor=self.vendor)
        return render(request, "sell/promotion_list.html", {"vendor": self.vendor, "promotions": promotions})


class PromotionFormView(VendorOwnerMixin, View):
    template_name = "sell/promotion_form.html"

    def _render(
        self,
        request: HttpRequest,
        form: PromotionForm,
        promotion: Promotion | None,
        status: int = 200,
        spec: AudienceSpec | None = None,
    ) -> HttpResponse:
        unsaved = spec is not None  # the form's own audience, not the saved draft's
        if spec is None and promotion is not None:
            spec = AudienceSpec.of(promotion)
        preview = audience_preview(spec=spec) if spec is not None else None
        # A scheduled promotion past its start has been held by the clock: its audience was under K then.
        held = (
            promotion is not None
            and promotion.state == Promotion.State.SCHEDULED
            and promotion.starts_at <= timezone.now()
        )
        return render(
            request,
            self.template_name,
            {
                "vendor": self.vendor,
                "form": form,
                "promotion": promotion,
                "preview": preview,
                "held": held,
                "unsaved_preview": unsaved,
            },
            status=status,
        )

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        promotion = _own(self.vendor, pk) if pk else None
        if promotion is None:
            start = timezone.localtime().replace(second=0, microsecond=0) + timedelta(minutes=5)
            initial: dict[str, Any] = {"starts_at": start, "ends_at": start + timedelta(days=14)}
        else:
            initial = {f: getattr(promotion, f) for f in FIELDS}
            initial["starts_at"] = timezone.localtime(promotion.starts_at)
            initial["ends_at"] = timezone.localtime(promotion.ends_at)
        return self._render(request, PromotionForm(initial=initial), promotion)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        promotion = _own(self.vendor, pk) if pk else None
        form = PromotionForm(request.POST)
        if "preview" in request.POST:
            return self._preview_unsaved(request, form, promotion)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items()}
            try:
                if promotion is None:
                    promotion = services.promotion_create(vendor=self.vendor, **data)
                else:
                    promotion = services.promotion_update(vendor=self.vendor, promotion_id=promotion.pk, **data)
            except ValidationError as exc:
                form_add_errors(form, exc)
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Draft saved. Check the audience, then publish."))
                return redirect("sell:promotion-edit", pk=promotion.pk)
        return self._render(request, form, promotion, status=400)

    def _preview_unsaved(self, request: HttpRequest, form: PromotionForm, promotion: Promotion | None) -> HttpResponse:
        """The audience of the form as it stands, nothing saved: the designer sees the reach before the draft
        exists. Audience fields in error are shown as such and nothing is counted."""
        form.is_valid()
        if any(name in form.errors for name in AUDIENCE_FIELDS):
            return self._render(request, form, promotion, status=400)
        data = form.cleaned_data
        spec = AudienceSpec(
            vendor_id=self.vendor.pk,
            kind=data["kind"],
            audience=data["audience"],
            segment_region=data.get("segment_region"),
            segment_age_band=data.get("segment_age_band") or "",
            segment_interest=data.get("segment_interest"),
            lapsed_days=data.get("lapsed_days"),
        )
        return self._render(request, form, promotion, spec=spec)


class PromotionActionView(DomainErrorMixin, VendorOwnerMixin, View):
    """publish / end / delete one of the vendor's promotions."""

    def get_error_redirect(self) -> str:
        return reverse("sell:promotion-edit", args=[self.kwargs["pk"]])

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        _own(self.vendor, pk)
        if action == "publish":
            promotion = services.promotion_publish(vendor=self.vendor, promotion_id=pk)
            messages.success(
                request,
                _("“%(title)s” is %(state)s.")
                % {"title": promotion.title, "state": promotion.get_state_display().lower()},
            )
        elif action == "end":
            promotion = services.promotion_end(vendor=self.vendor, promotion_id=pk)
            messages.success(request, _("“%(title)s” ended.") % {"title": promotion.title})
        elif action == "delete":
            services.promotion_delete(vendor=self.vendor, promotion_id=pk)
            messages.success(request, _("Draft deleted."))
            return redirect("sell:promotion-list")
        else:
            raise Http404(_("No such action."))
        return redirect("sell:promotion-edit", pk=pk)
