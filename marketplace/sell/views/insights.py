"""The vendor's insights page: partners over time, adds and ends, end reasons, who likes them, with charts.
Read from the statistics tables only (portfolios.selectors.insights), every figure released under rule 4."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from marketplace.shop.models import VendorSalesStats
from portfolios.selectors.insights import insights_get_kept

from ..access import VendorOwnerMixin


class InsightsView(VendorOwnerMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        insights = insights_get_kept(vendor=self.vendor)
        sales = VendorSalesStats.objects.filter(vendor=self.vendor).first()
        return render(
            request,
            "sell/insights.html",
            {
                "vendor": self.vendor,
                "insights": insights,
                "sales": sales,
            },
        )
