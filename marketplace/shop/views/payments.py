"""Paying for a checkout and cancelling: the consumer's payment page, their return from their bank, giving up
an unpaid checkout, cancelling a paid order before it ships. Thin views over the payment services."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from marketplace.kernel.errors import DomainError, DomainErrorMixin
from marketplace.kernel.money import format_money

from ..forms import CardForm
from ..models import Payment
from ..payments.base import ProviderError
from ..payments.fake import TEST_CARDS
from ..payments.selectors import payment_get_for_consumer
from ..payments.services import payment_abandon, payment_confirm, payment_start, payment_sync
from ..payments.services.payments import UNREACHABLE
from ..services import CheckoutResult, order_cancel_by_consumer

logger = logging.getLogger(__name__)


def paid_message(count: int) -> str:
    return ngettext(
        "Thank you: %(count)d order placed and paid.", "Thank you: %(count)d orders placed and paid.", count
    ) % {"count": count}


def _orders_url(checkout_id: int) -> str:
    return f"{reverse('shop:order-list')}?checkout={checkout_id}"


def checkout_pay_redirect(request: HttpRequest, result: CheckoutResult) -> HttpResponse:
    """After checkout_place: start the payment at the provider (its key makes a resubmission the same
    payment) and send the consumer to pay it."""
    payment = result.payment
    if payment is None:  # a checkout placed before payments were recorded, submitted again
        return redirect(_orders_url(result.checkout.pk))
    if payment.status == Payment.Status.SUCCEEDED:
        messages.success(request, paid_message(len(result.orders)))
        return redirect(_orders_url(result.checkout.pk))
    try:
        payment_start(payment_id=payment.pk)
    except ProviderError:
        logger.exception("Payment of checkout %s not started", result.checkout.pk)
    return redirect("shop:checkout-pay", pk=result.checkout.pk)


def _after_payment(request: HttpRequest, payment: Payment, *, follow_action: bool = True) -> HttpResponse:
    """Where the consumer goes once the provider has answered."""
    if payment.status == Payment.Status.SUCCEEDED:
        messages.success(request, paid_message(len(payment.checkout.orders.all())))
        return redirect(_orders_url(payment.checkout_id))
    if payment.status == Payment.Status.REQUIRES_ACTION and payment.next_action_url and follow_action:
        return redirect(payment.next_action_url)
    return redirect("shop:checkout-pay", pk=payment.checkout_id)  # it says why a payment failed


def _own_payment(request: HttpRequest, pk: int) -> Payment:
    payment = payment_get_for_consumer(consumer=request.user, checkout_id=pk)
    if payment is None:
        raise Http404("No such checkout.")
    return payment


class CheckoutPayView(LoginRequiredMixin, View):
    """Pay for one of your checkouts: one payment for every vendor's order in it."""

    template_name = "shop/checkout_pay.html"

    def _render(self, request: HttpRequest, payment: Payment, form: CardForm, status: int = 200) -> HttpResponse:
        stripe = payment.provider == "stripe"
        context: dict[str, Any] = {
            "payment": payment,
            "orders": payment.checkout.orders.all(),
            "form": form,
            "test_cards": []
            if stripe
            else [(f"{n[:4]} {n[4:8]} {n[8:12]} {n[12:]}", what) for n, what in TEST_CARDS.items()],
            "stripe_data": {
                "publishableKey": settings.STRIPE_PUBLISHABLE_KEY,
                "clientSecret": payment.client_secret,
                "returnUrl": request.build_absolute_uri(
                    reverse("shop:checkout-pay-return", args=[payment.checkout_id])
                ),
            }
            if stripe
            else None,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        payment = _own_payment(request, pk)
        if payment.is_open and not payment.provider_ref and payment.amount_minor:
            try:
                payment_start(payment_id=payment.pk)  # idempotent: the checkout's own key
            except ProviderError:
                messages.error(request, UNREACHABLE)
            payment = _own_payment(request, pk)
        return self._render(request, payment, CardForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        payment = _own_payment(request, pk)
        form = CardForm(request.POST)
        if not form.is_valid():
            return self._render(request, payment, form, status=400)
        return_url = request.build_absolute_uri(reverse("shop:checkout-pay-return", args=[pk]))
        try:
            payment = payment_confirm(
                consumer=request.user,
                checkout_id=pk,
                payment_method=form.cleaned_data["card_number"],
                return_url=return_url,
            )
        except ValidationError as exc:
            form.add_error("card_number", exc.messages)
            return self._render(request, payment, form, status=400)
        except ProviderError:
            messages.error(request, UNREACHABLE)
            return redirect("shop:checkout-pay", pk=pk)
        except DomainError as exc:
            messages.error(request, str(exc))
            return redirect("shop:checkout-pay", pk=pk)
        return _after_payment(request, _own_payment(request, pk))


class CheckoutPayReturnView(LoginRequiredMixin, View):
    """Back from the bank's page (or Stripe's): read the payment from the provider and say how it stands."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        payment = _own_payment(request, pk)
        try:
            payment_sync(payment_id=payment.pk)
        except ProviderError:
            logger.warning("Payment of checkout %s not read back now", pk)
        return _after_payment(request, _own_payment(request, pk), follow_action=False)


class CheckoutPayCancelView(DomainErrorMixin, LoginRequiredMixin, View):
    """Give up paying a checkout: its orders are cancelled, nothing is charged, the items go back on sale."""

    def get_error_redirect(self) -> str:
        return reverse("shop:checkout-pay", args=[self.kwargs["pk"]])

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            payment_abandon(consumer=request.user, checkout_id=pk)
        except ProviderError:
            messages.error(request, UNREACHABLE)
            return redirect("shop:checkout-pay", pk=pk)
        messages.success(request, _("Checkout cancelled: nothing was charged, and its items are back on sale."))
        return redirect("shop:cart")


class OrderCancelView(DomainErrorMixin, LoginRequiredMixin, View):
    """Cancel one of your paid orders before it ships: it is refunded to your card."""

    def get_error_redirect(self) -> str:
        return reverse("shop:order-detail", args=[self.kwargs["pk"]])

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        order = order_cancel_by_consumer(consumer=request.user, order_id=pk)
        messages.success(
            request,
            _("Order #%(number)s is cancelled: %(amount)s is refunded to your card.")
            % {"number": order.pk, "amount": format_money(order.total)},
        )
        return redirect("shop:order-detail", pk=pk)
