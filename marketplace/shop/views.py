"""Storefront pages: thin views over the selectors and services."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.views.generic import DetailView, ListView, TemplateView

from portfolios.selectors import partner_vendor_ids, vendor_public_facts
from vendors.models import Product, Vendor
from vendors.selectors import (
    category_list,
    product_get_public,
    product_list_for_vendor,
    vendor_get_public,
    vendor_list_featured,
    vendor_list_public,
)

from .selectors import vendor_rating


class HomeView(TemplateView):
    template_name = "shop/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["featured_vendors"] = vendor_list_featured()
        context["categories"] = category_list()
        return context


class VendorListView(ListView):
    template_name = "shop/vendor_list.html"
    context_object_name = "vendors"
    paginate_by = 24

    def get_queryset(self):  # type: ignore[no-untyped-def]
        category = self.request.GET.get("category") or None
        return vendor_list_public(category=category).order_by("name", "id")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["categories"] = category_list()
        context["current_category"] = self.request.GET.get("category", "")
        return context


class VendorDetailView(DetailView):
    template_name = "shop/vendor_detail.html"
    context_object_name = "vendor"

    def get_object(self, queryset: Any = None) -> Vendor:
        vendor = vendor_get_public(slug=self.kwargs["slug"])
        if vendor is None:
            raise Http404("No such vendor.")
        return vendor

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        vendor = self.object
        context["products"] = product_list_for_vendor(vendor=vendor)
        context["facts"] = vendor_public_facts(vendor=vendor)
        context["rating"] = vendor_rating(vendor=vendor)
        context["is_partner"] = vendor.pk in partner_vendor_ids(consumer=self.request.user)
        return context


class ProductDetailView(DetailView):
    template_name = "shop/product_detail.html"
    context_object_name = "product"

    def get_object(self, queryset: Any = None) -> Product:
        product = product_get_public(pk=self.kwargs["pk"])
        if product is None:
            raise Http404("No such product.")
        return product
