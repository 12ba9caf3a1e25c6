"""How the fake provider's events reach the project: signed as Stripe signs them and POSTed to the real webhook
endpoint through a transport (HTTP to settings.SITE_URL by default; tests swap in Django's test client), sent
again by a beat job until the endpoint answers 2xx."""

from __future__ import annotations

import http.client
import logging
import urllib.error
import urllib.request
from collections.abc import Callable

from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from ..models import FakeProviderEvent
from .base import signature_header_make

logger = logging.getLogger(__name__)
# The webhook path names the provider whose events these are (FakeProvider.name).
PROVIDER_NAME = "fake"


# (path, raw body, headers) -> HTTP status: how an event reaches the webhook endpoint.
Transport = Callable[[str, bytes, dict[str, str]], int]


def http_transport(path: str, body: bytes, headers: dict[str, str]) -> int:
    """POST to this site at settings.SITE_URL, as the provider's servers would."""
    request = urllib.request.Request(f"{settings.SITE_URL}{path}", data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (our own site's address)
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


_transport: list[Transport] = [http_transport]


def transport_set(transport: Transport) -> Transport:
    """Deliver events through `transport` from now on; returns the one it replaces (tests put it back)."""
    previous = _transport[0]
    _transport[0] = transport
    return previous


def fake_event_deliver(*, event_id: int) -> bool:
    """Sign one event now and POST it to the webhook endpoint. True once the endpoint answered 2xx (then or
    before). A failure is recorded, never raised: the beat job sends it again."""
    event = FakeProviderEvent.objects.filter(pk=event_id).first()
    if event is None:
        return False
    if event.delivered_at is not None:
        return True
    body = event.body.encode()
    headers = {
        "Content-Type": "application/json",
        "Stripe-Signature": signature_header_make(payload=body, secret=settings.FAKE_PAYMENTS_WEBHOOK_SECRET),
    }
    path = reverse("payments:webhook", kwargs={"provider": PROVIDER_NAME})
    error = ""
    try:
        status = _transport[0](path, body, headers)
    except (OSError, http.client.HTTPException) as exc:  # unreachable, refused, timed out, a broken answer
        status, error = 0, f"{type(exc).__name__}: {exc}"
    if 200 <= status < 300:
        FakeProviderEvent.objects.filter(pk=event.pk, delivered_at__isnull=True).update(
            delivered_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
        )
        return True
    error = error or f"The endpoint answered {status}."
    FakeProviderEvent.objects.filter(pk=event.pk).update(attempts=F("attempts") + 1, last_error=error[:500])
    logger.warning("Fake payment event %s not delivered: %s", event.ref, error)
    return False


def fake_events_deliver_pending(*, older_than_seconds: int = 30, limit: int = 200) -> int:
    """Send again the events not delivered yet (oldest first); returns how many got through."""
    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    ids = list(
        FakeProviderEvent.objects.filter(delivered_at__isnull=True, created_at__lt=cutoff)
        .order_by("id")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in ids if fake_event_deliver(event_id=pk))
