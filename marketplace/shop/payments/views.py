"""The webhook endpoint, and the fake provider's own pages (its bank's confirmation page, its onboarding form).

The webhook answers at once: 200 once the event is stored (a replay too: it changes nothing), 400 for a bad,
stale or wrong-secret signature or an unreadable body (nothing stored), 404 for a provider not configured here.
The processing happens in a Celery task after the commit (services.webhooks).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from ..models import FakeProviderObject
from .base import ProviderError, WebhookError
from .fake import FakeProvider
from .fake_payouts import token_read
from .money import from_minor
from .providers import provider_active
from .services import webhook_receive


@method_decorator(csrf_exempt, name="dispatch")
class PaymentWebhookView(View):
    """POST /payments/webhooks/<provider>/ from the provider (Stripe's format, `Stripe-Signature` header)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, provider: str) -> HttpResponse:
        if not provider_active(provider):
            raise Http404("No such payment provider here.")
        try:
            event, created = webhook_receive(
                provider_name=provider,
                payload=request.body,
                signature_header=request.headers.get("Stripe-Signature", ""),
            )
        except WebhookError as exc:
            return JsonResponse({"detail": str(exc), "code": "bad_webhook"}, status=400)
        except ProviderError as exc:
            raise Http404(str(exc)) from exc
        return JsonResponse({"received": event.event_id, "duplicate": not created})


def _fake_only() -> FakeProvider:
    if not provider_active(FakeProvider.name):
        raise Http404("The fake payment provider is not in use here.")
    return FakeProvider()


def _safe_return(request: HttpRequest, url: str, fallback: str = "/") -> str:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=False):
        return url
    return fallback


class FakeAuthenticateView(View):
    """The fake bank's page for the card that needs a second step (4000 0027 6000 3184): the buyer completes
    or fails the authentication, then goes back to the shop. The address carries a signed token naming the
    payment, as a provider's hosted page does."""

    template_name = "payments/fake_authenticate.html"

    def _payment(self, token: str) -> FakeProviderObject:
        data = token_read(token)
        obj = FakeProviderObject.objects.filter(ref=(data or {}).get("ref", ""), kind="payment_intent").first()
        if obj is None:
            raise Http404("No such payment.")
        return obj

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        _fake_only()
        obj = self._payment(token)
        context: dict[str, Any] = {
            "amount": from_minor(obj.data["amount"], obj.data["currency"]),
            "last4": obj.data.get("card_last4", ""),
            "waiting": obj.data["status"] == "requires_action",
            "return_url": _safe_return(request, request.GET.get("return", "")),
        }
        return render(request, self.template_name, context)

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        provider = _fake_only()
        obj = self._payment(token)
        provider.authenticate(payment_ref=obj.ref, approve=request.POST.get("outcome") == "complete")
        return redirect(_safe_return(request, request.GET.get("return", "")))


class FakeOnboardingForm(forms.Form):
    website = forms.URLField(max_length=200, label="Business website", initial="https://example.com")
    account_number = forms.RegexField(
        regex=r"^\d{8}$",
        label="Bank account number (test: any 8 digits)",
        initial="00012345",
        error_messages={"invalid": "Enter 8 digits."},
    )
    accept_terms = forms.BooleanField(label="I accept the payment provider's terms (test)")


class FakeOnboardingView(View):
    """The fake provider's onboarding form: what a vendor gives Stripe's hosted onboarding, in three fields."""

    template_name = "payments/fake_onboarding.html"

    def _account(self, token: str) -> tuple[FakeProviderObject, dict[str, str]]:
        data = token_read(token) or {}
        obj = FakeProviderObject.objects.filter(ref=data.get("acct", ""), kind="account").first()
        if obj is None:
            raise Http404("No such account.")
        return obj, data

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        _fake_only()
        obj, _ = self._account(token)
        return render(
            request, self.template_name, {"form": FakeOnboardingForm(), "done": obj.data["details_submitted"]}
        )

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        provider = _fake_only()
        obj, data = self._account(token)
        form = FakeOnboardingForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form, "done": False}, status=400)
        provider.onboard(payee_ref=obj.ref, website=form.cleaned_data["website"])
        return redirect(_safe_return(request, data.get("return", "")))
