"""The consumer's saved delivery addresses, on their account: add, change, delete (their own only)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from marketplace.kernel.errors import DomainError, DomainErrorMixin

from ..forms import AddressForm
from ..selectors import address_get_for_consumer, address_list_for_consumer
from ..services import address_delete, address_save, address_update


def _form_add_errors(form: AddressForm, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


class AddressListView(LoginRequiredMixin, View):
    """The consumer's addresses and a form to add one."""

    template_name = "shop/addresses.html"

    def _render(self, request: HttpRequest, form: AddressForm, status: int = 200) -> HttpResponse:
        addresses = address_list_for_consumer(consumer=request.user)
        return render(request, self.template_name, {"form": form, "addresses": addresses}, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, AddressForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = AddressForm(request.POST)
        if form.is_valid():
            try:
                address_save(consumer=request.user, **form.service_fields())
            except ValidationError as exc:
                _form_add_errors(form, exc)
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Address saved: pick it at checkout."))
                return redirect("account_data:addresses")
        return self._render(request, form, status=400)


class AddressEditView(LoginRequiredMixin, View):
    """Change one of the consumer's own addresses; another's is not found."""

    template_name = "shop/address_edit.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        saved = address_get_for_consumer(consumer=request.user, pk=pk)
        if saved is None:
            raise Http404("No such address.")
        initial = {"label": saved.label, "name": saved.name, "address": saved.address, "region": saved.region}
        return render(request, self.template_name, {"form": AddressForm(initial=initial), "saved": saved})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        saved = address_get_for_consumer(consumer=request.user, pk=pk)
        if saved is None:
            raise Http404("No such address.")
        form = AddressForm(request.POST)
        if form.is_valid():
            try:
                address_update(consumer=request.user, address_id=pk, **form.service_fields())
            except ValidationError as exc:
                _form_add_errors(form, exc)
            else:
                messages.success(request, _("Address changed."))
                return redirect("account_data:addresses")
        return render(request, self.template_name, {"form": form, "saved": saved}, status=400)


class AddressDeleteView(DomainErrorMixin, LoginRequiredMixin, View):
    error_redirect = "account_data:addresses"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        address_delete(consumer=request.user, address_id=pk)
        messages.success(request, _("Address deleted."))
        return redirect("account_data:addresses")
