"""Which provider serves: settings.PAYMENTS_PROVIDER ("fake" by default, "stripe" when its keys are set).

A payment or payee remembers the provider that made it, and is always handled by that one
(`provider_get(payment.provider)`), so switching the setting never sends an old payment to a new provider.
"""

from __future__ import annotations

from django.conf import settings

from .base import PaymentProvider, ProviderError
from .fake import FakeProvider

# Tests give a provider built with a fake HTTP client here (provider_override); nothing else writes it.
_override: dict[str, PaymentProvider] = {}


def provider_name() -> str:
    """The provider new payments and payees go to."""
    return settings.PAYMENTS_PROVIDER


def provider_active(name: str) -> bool:
    """Whether this provider is configured here (its webhook endpoint answers)."""
    if name in _override:
        return True
    if name == FakeProvider.name:
        return settings.PAYMENTS_PROVIDER == FakeProvider.name
    if name == "stripe":
        return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_WEBHOOK_SECRET)
    return False


def provider_get(name: str | None = None) -> PaymentProvider:
    """The provider called `name` (the configured one by default). Raises ProviderError for one that is
    unknown or not configured here."""
    name = name or provider_name()
    if name in _override:
        return _override[name]
    if name == FakeProvider.name:
        return FakeProvider()
    if name == "stripe" and settings.STRIPE_SECRET_KEY:
        from .stripe_provider import StripeProvider

        return StripeProvider(
            api_key=settings.STRIPE_SECRET_KEY,
            webhook_secrets=[settings.STRIPE_WEBHOOK_SECRET, settings.STRIPE_CONNECT_WEBHOOK_SECRET],
            connect_country=settings.STRIPE_CONNECT_COUNTRY,
            tolerance_seconds=settings.PAYMENTS_WEBHOOK_TOLERANCE_SECONDS,
        )
    raise ProviderError(f"The payment provider {name!r} is not configured here.")


def provider_override(name: str, provider: PaymentProvider | None) -> None:
    """Serve `name` with this provider object (None puts the configured one back). For tests."""
    if provider is None:
        _override.pop(name, None)
    else:
        _override[name] = provider
