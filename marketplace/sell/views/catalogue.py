"""Workspace pages: application, catalogue, CSV import and export, stock."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from marketplace.kernel.errors import DomainError, DomainErrorMixin
from marketplace.kernel.pagination import LookaheadPaginator
from marketplace.kernel.redirects import redirect_back
from vendors import services
from vendors.forms import ApplicationForm, CsvImportForm, ProductForm, StockForm
from vendors.models import Vendor
from vendors.selectors import (
    category_list,
    product_csv_export,
    product_get_for_owner,
    product_list_for_catalogue_page,
    vendor_get_for_owner,
)
from vendors.services.application import vendor_profile_update
from vendors.services.catalogue import PRODUCT_EDITABLE

from ..access import VendorOwnerMixin, form_add_errors
from ..forms import VendorProfileForm


class WorkspaceView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        vendor = vendor_get_for_owner(owner=request.user)
        if vendor is None:
            return redirect("sell:apply")
        return render(request, "sell/workspace.html", {"vendor": vendor})


class ApplyView(LoginRequiredMixin, View):
    """Apply to sell, or correct and resubmit a pending or rejected application."""

    template_name = "sell/apply.html"

    def _initial(self, vendor: Vendor | None) -> dict[str, Any]:
        if vendor is None:
            return {"contact_email": self.request.user.email}
        return {
            "name": vendor.name,
            "name_zh_hant": vendor.name_zh_hant,
            "description": vendor.description,
            "description_zh_hant": vendor.description_zh_hant,
            "category": vendor.category,
            "regions": list(vendor.regions.all()),
            "contact_email": vendor.contact_email,
        }

    def get(self, request: HttpRequest) -> HttpResponse:
        vendor = vendor_get_for_owner(owner=request.user)
        if vendor is not None and vendor.status not in (Vendor.Status.PENDING, Vendor.Status.REJECTED):
            return redirect("sell:workspace")
        return render(
            request, self.template_name, {"form": ApplicationForm(initial=self._initial(vendor)), "vendor": vendor}
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        vendor = vendor_get_for_owner(owner=request.user)
        form = ApplicationForm(request.POST)
        if form.is_valid():
            service = services.vendor_apply if vendor is None else services.vendor_application_resubmit
            try:
                service(owner=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form_add_errors(form, exc)
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Application sent. A moderator will review it; you will get an email."))
                return redirect("sell:workspace")
        return render(request, self.template_name, {"form": form, "vendor": vendor}, status=400)


class VendorProfileView(VendorOwnerMixin, View):
    """An approved vendor's public profile: description, regions served, logo."""

    template_name = "sell/profile.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = VendorProfileForm(
            initial={
                "description": self.vendor.description,
                "description_zh_hant": self.vendor.description_zh_hant,
                "regions": list(self.vendor.regions.all()),
            }
        )
        return render(request, self.template_name, {"form": form, "vendor": self.vendor})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = VendorProfileForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                vendor_profile_update(owner=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form_add_errors(form, exc)
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Profile saved. Your public page shows it now."))
                return redirect("sell:profile")
        return render(request, self.template_name, {"form": form, "vendor": self.vendor}, status=400)


# A workspace list holds only the vendor's own rows, so even its deepest OFFSET is bounded by one vendor's
# catalogue or order book, never by the marketplace: the cap is far past any real vendor's last page.
WORKSPACE_MAX_PAGES = 1000


class WorkspaceListMixin:
    """A page of the vendor's own rows, fetched with one row of look-ahead instead of a COUNT."""

    def get_paginator(self, queryset: Any, per_page: int, *args: Any, **kwargs: Any) -> LookaheadPaginator:
        return LookaheadPaginator(queryset, per_page, max_pages=WORKSPACE_MAX_PAGES)


class ProductListView(VendorOwnerMixin, WorkspaceListMixin, ListView):
    """The vendor's catalogue, 50 products a page, each with its stock and on-sale forms."""

    template_name = "sell/product_list.html"
    context_object_name = "products"
    paginate_by = 50

    def get_queryset(self):  # type: ignore[no-untyped-def]
        self.search = self.request.GET.get("q", "")[:100]
        return product_list_for_catalogue_page(vendor=self.vendor, search=self.search)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(vendor=self.vendor, search=self.search, stock_form=StockForm())
        return context


class ProductFormView(VendorOwnerMixin, View):
    template_name = "sell/product_form.html"

    def _product(self, pk: int | None):  # type: ignore[no-untyped-def]
        if pk is None:
            return None
        product = product_get_for_owner(vendor=self.vendor, pk=pk)
        if product is None:
            raise Http404(_("No such product in your catalogue."))
        return product

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        product = self._product(pk)
        initial = {"active": True, "category": self.vendor.category}
        if product is not None:
            initial = {field: getattr(product, field) for field in PRODUCT_EDITABLE}  # what the form edits
        return render(
            request,
            self.template_name,
            {"form": ProductForm(initial=initial), "product": product, "vendor": self.vendor},
        )

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        product = self._product(pk)
        form = ProductForm(request.POST, request.FILES)
        if form.is_valid():
            data = dict(form.cleaned_data)
            image = data.pop("image")
            try:
                if product is None:
                    product = services.product_create(vendor=self.vendor, image=image, **data)
                else:
                    product = services.product_update(vendor=self.vendor, product_id=product.pk, image=image, **data)
            except ValidationError as exc:
                form_add_errors(form, exc)
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("“%(name)s” saved.") % {"name": product.name})
                return redirect("sell:product-list")
        return render(
            request, self.template_name, {"form": form, "product": product, "vendor": self.vendor}, status=400
        )


class ProductStockView(DomainErrorMixin, VendorOwnerMixin, View):
    error_redirect = "sell:product-list"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = StockForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Enter a whole number of units."))
            return redirect_back(request, "sell:product-list")
        product = services.product_stock_adjust(vendor=self.vendor, product_id=pk, delta=form.cleaned_data["delta"])
        messages.success(
            request, _("Stock of “%(name)s” is now %(stock)s.") % {"name": product.name, "stock": product.stock}
        )
        return redirect_back(request, "sell:product-list")


class ProductActiveView(DomainErrorMixin, VendorOwnerMixin, View):
    error_redirect = "sell:product-list"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        active = request.POST.get("active") == "on"
        product = services.product_set_active(vendor=self.vendor, product_id=pk, active=active)
        done = _("“%(name)s” is on sale.") if product.active else _("“%(name)s” is hidden from the shop.")
        messages.success(request, done % {"name": product.name})
        return redirect_back(request, "sell:product-list")


class CsvImportView(VendorOwnerMixin, View):
    template_name = "sell/csv_import.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            self.template_name,
            {"form": CsvImportForm(), "vendor": self.vendor, "categories": category_list()},
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CsvImportForm(request.POST, request.FILES)
        problems: list[str] = []
        if form.is_valid():
            try:
                result = services.catalogue_import_csv(vendor=self.vendor, file=form.cleaned_data["file"])
            except ValidationError as exc:
                problems = exc.messages
            except DomainError as exc:
                problems = [str(exc)]
            else:
                messages.success(
                    request,
                    _("Imported: %(created)s new, %(updated)s updated.")
                    % {"created": result.created, "updated": result.updated},
                )
                return redirect("sell:product-list")
        return render(
            request,
            self.template_name,
            {"form": form, "vendor": self.vendor, "problems": problems, "categories": category_list()},
            status=400,
        )


class CsvExportView(VendorOwnerMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        response = HttpResponse(product_csv_export(vendor=self.vendor), content_type="text/csv; charset=utf-8")
        stamp = timezone.now().strftime("%Y%m%d")
        response["Content-Disposition"] = f'attachment; filename="{self.vendor.slug}-catalogue-{stamp}.csv"'
        return response
