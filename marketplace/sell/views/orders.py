"""The vendor's workspace pages that read the shop's tables: orders to fulfil, insights, promotion results."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from marketplace.errors import DomainErrorMixin
from marketplace.shop.models import Order, VendorSalesStats
from marketplace.shop.selectors import order_list_for_vendor
from marketplace.shop.services.fulfilment import order_fulfil
from portfolios.selectors.insights import insights_get
from promotions.selectors import promotion_get_for_vendor

from ..access import VendorOwnerMixin
from ..selectors import promotion_results

ORDER_FILTERS = [("", "All")] + list(Order.Status.choices)


class SellOrderListView(VendorOwnerMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        status = request.GET.get("status", "")
        orders = order_list_for_vendor(vendor=self.vendor, status=status)[:200]
        return render(
            request,
            "sell/order_list.html",
            {"vendor": self.vendor, "orders": orders, "status": status, "filters": ORDER_FILTERS},
        )


class SellOrderDetailView(DomainErrorMixin, VendorOwnerMixin, View):
    def get_error_redirect(self) -> str:
        return reverse("sell:order-detail", args=[self.kwargs["pk"]])

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        order = order_list_for_vendor(vendor=self.vendor).filter(pk=pk).first()
        if order is None:
            raise Http404("No such order.")
        return render(request, "sell/order_detail.html", {"vendor": self.vendor, "order": order})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = request.POST.get("action", "")
        order = order_fulfil(vendor=self.vendor, order_id=pk, action=action, reason=request.POST.get("reason", ""))
        messages.success(request, f"Order #{order.pk} is now {order.get_status_display().lower()}.")
        return redirect("sell:order-detail", pk=pk)


class InsightsView(VendorOwnerMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        insights = insights_get(vendor=self.vendor)
        sales = VendorSalesStats.objects.filter(vendor=self.vendor).first()
        return render(
            request,
            "sell/insights.html",
            {
                "vendor": self.vendor,
                "insights": insights,
                "chart_data": insights.chart_data(),
                "sales": sales,
            },
        )


class PromotionResultsView(VendorOwnerMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        promotion = promotion_get_for_vendor(vendor=self.vendor, pk=pk)
        if promotion is None:
            raise Http404("No such promotion.")
        return render(
            request,
            "sell/promotion_results.html",
            {"vendor": self.vendor, "results": promotion_results(promotion=promotion)},
        )
