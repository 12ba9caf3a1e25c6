"""Account data export and deletion: here, in the top layer, because they read and change every layer."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from marketplace.kernel.errors import DomainError

from ..selectors import account_export_data
from ..services import account_close


class AccountExportView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        data = account_export_data(user=request.user)
        response = HttpResponse(json.dumps(data, indent=2), content_type="application/json")
        stamp = timezone.now().strftime("%Y%m%d")
        response["Content-Disposition"] = f'attachment; filename="partner-marketplace-data-{stamp}.json"'
        return response


class AccountDeleteView(LoginRequiredMixin, View):
    template_name = "accounts/delete.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name)

    def post(self, request: HttpRequest) -> HttpResponse:
        if request.POST.get("confirm") != "delete":
            messages.error(request, "Tick the box to confirm that you want to delete your account.")
            return render(request, self.template_name, status=400)
        user = request.user
        try:
            account_close(user=user)
        except DomainError as exc:
            messages.error(request, str(exc))
            return render(request, self.template_name, status=409)
        logout(request)
        messages.success(request, "Your account is deleted. Vendors keep only the orders they must, without your name.")
        return redirect("shop:home")
