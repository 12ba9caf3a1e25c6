"""Who may enter the workspace: the signed-in user's own vendor, for pages and for the API.

Every workspace view resolves the vendor from the signed-in user, never from an id in the request, so
vendor A can never read or change vendor B's data.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from rest_framework.request import Request

from marketplace.kernel.errors import NotFoundError
from vendors.models import Vendor
from vendors.selectors import vendor_get_for_owner


class VendorOwnerMixin(LoginRequiredMixin):
    """Resolves the signed-in user's own vendor; one who never applied is sent to the application form."""

    vendor: Vendor

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        vendor = vendor_get_for_owner(owner=request.user)
        if vendor is None:
            return redirect("sell:apply")
        self.vendor = vendor
        return super().dispatch(request, *args, **kwargs)


def form_add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        form.add_error(None, exc)


def own_vendor(request: Request) -> Vendor:
    """The requesting user's vendor; a user who never applied gets 404 (nothing of anyone else's shows)."""
    vendor = vendor_get_for_owner(owner=request.user)
    if vendor is None:
        raise NotFoundError(_("You have not applied to sell yet."))
    return vendor
