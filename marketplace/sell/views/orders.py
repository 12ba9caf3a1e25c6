"""The vendor's workspace pages that read the shop's tables: orders to fulfil, insights, promotion results."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView

from marketplace.kernel.errors import DomainErrorMixin
from marketplace.shop.models import Order
from marketplace.shop.selectors import order_list_for_vendor
from marketplace.shop.services.fulfilment import order_fulfil
from promotions.selectors import promotion_get_for_vendor

from ..access import VendorOwnerMixin
from ..selectors import promotion_results
from .catalogue import WorkspaceListMixin

ORDER_FILTERS = [("", gettext_lazy("All")), *Order.Status.choices]


class SellOrderListView(VendorOwnerMixin, WorkspaceListMixin, ListView):
    """The vendor's own orders, newest first, 25 a page, filtered by status."""

    template_name = "sell/order_list.html"
    context_object_name = "orders"
    paginate_by = 25

    def get_queryset(self):  # type: ignore[no-untyped-def]
        self.status = self.request.GET.get("status", "")
        return order_list_for_vendor(vendor=self.vendor, status=self.status, with_lines=False)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(vendor=self.vendor, status=self.status, filters=ORDER_FILTERS)
        return context


class SellOrderDetailView(DomainErrorMixin, VendorOwnerMixin, View):
    def get_error_redirect(self) -> str:
        return reverse("sell:order-detail", args=[self.kwargs["pk"]])

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        order = order_list_for_vendor(vendor=self.vendor).filter(pk=pk).first()
        if order is None:
            raise Http404(_("No such order."))
        return render(request, "sell/order_detail.html", {"vendor": self.vendor, "order": order})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = request.POST.get("action", "")
        order = order_fulfil(
            vendor=self.vendor,
            order_id=pk,
            action=action,
            reason=request.POST.get("reason", ""),
            carrier=request.POST.get("carrier", ""),
            tracking_number=request.POST.get("tracking_number", ""),
        )
        messages.success(
            request,
            _("Order #%(pk)s is now %(status)s.") % {"pk": order.pk, "status": order.get_status_display().lower()},
        )
        return redirect("sell:order-detail", pk=pk)


class PromotionResultsView(VendorOwnerMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        promotion = promotion_get_for_vendor(vendor=self.vendor, pk=pk)
        if promotion is None:
            raise Http404(_("No such promotion."))
        return render(
            request,
            "sell/promotion_results.html",
            {"vendor": self.vendor, "results": promotion_results(promotion=promotion)},
        )
