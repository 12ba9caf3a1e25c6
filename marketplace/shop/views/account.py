"""Account data export and deletion: here, in the top layer, because they read and change every layer."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
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


def closing_message(*, on_their_way: int) -> str:
    """What the account page said would happen, as it happened: orders on their way keep the delivery name."""
    if not on_their_way:
        return _("Your account is deleted. Vendors keep your orders in their books without your name or address.")
    return ngettext(
        "Your account is deleted. Your order still on the way keeps the delivery name and address until it is "
        "delivered or cancelled, so the vendor can finish it; your other orders stay in the vendors' books without "
        "your name or address.",
        "Your account is deleted. Your %(count)d orders still on the way keep the delivery name and address until "
        "they are delivered or cancelled, so the vendors can finish them; your other orders stay in the vendors' "
        "books without your name or address.",
        on_their_way,
    ) % {"count": on_their_way}


class AccountDeleteView(LoginRequiredMixin, View):
    template_name = "accounts/delete.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name)

    def post(self, request: HttpRequest) -> HttpResponse:
        if request.POST.get("confirm") != "delete":
            messages.error(request, _("Tick the box to confirm that you want to delete your account."))
            return render(request, self.template_name, status=400)
        user = request.user
        try:
            on_their_way = account_close(user=user)
        except DomainError as exc:
            messages.error(request, str(exc))
            return render(request, self.template_name, status=409)
        logout(request)
        messages.success(request, closing_message(on_their_way=on_their_way))
        return redirect("shop:home")
