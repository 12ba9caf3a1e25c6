"""Webhook events: stored as received before anything else, processed by a Celery task after commit.

Receiving checks the signature (a bad, stale or wrong-secret one stores nothing) and inserts the raw event
under its unique (provider, event id): a replayed delivery finds it there and changes nothing. Processing reads
the object the event is about back from the provider and applies that, so the order in which events arrive
does not matter. An event processing could not finish (the provider unreachable, an object not known here
yet) stays unprocessed and is tried again by beat.
"""

from __future__ import annotations

import json
import logging

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from marketplace.kernel.enqueue import enqueue_safely

from ...models import Payee, Payment, Refund, WebhookEvent
from ..base import ProviderError, ProviderEvent, WebhookError, event_from_payload
from ..providers import provider_get
from .payments import payment_sync
from .payouts import payee_sync
from .refunds import refund_sync

logger = logging.getLogger(__name__)

# An event about an object not known here is tried this many times (beat, every few minutes), then set aside.
MAX_ATTEMPTS = 5


def webhook_receive(*, provider_name: str, payload: bytes, signature_header: str) -> tuple[WebhookEvent, bool]:
    """Verify and store one delivery; returns the stored event and whether it is new. A new one is processed
    after commit (a Celery task). Raises WebhookError (stores nothing) for a bad signature or body, and
    ProviderError for a provider not configured here."""
    event = provider_get(provider_name).webhook_parse(payload=payload, signature_header=signature_header)
    try:
        with transaction.atomic():
            stored = WebhookEvent.objects.create(
                provider=provider_name, event_id=event.id, type=event.type, body=payload.decode("utf-8", "replace")
            )
    except IntegrityError:
        return WebhookEvent.objects.get(provider=provider_name, event_id=event.id), False
    from ..tasks import webhook_event_process_task

    transaction.on_commit(lambda: enqueue_safely(webhook_event_process_task, stored.pk))
    return stored, True


def _process(provider_name: str, event: ProviderEvent) -> bool:
    """Apply one event; False when the object it is about is not known here (yet)."""
    if event.kind == ProviderEvent.PAYMENT:
        payment_id = (
            Payment.objects.filter(provider=provider_name, provider_ref=event.object_ref)
            .values_list("pk", flat=True)
            .first()
        )
        if payment_id is None:
            return False
        payment_sync(payment_id=payment_id)
        for refund_id in Refund.objects.filter(
            payment_id=payment_id, status=Refund.Status.PENDING, provider_ref__gt=""
        ).values_list("pk", flat=True):
            refund_sync(refund_id=refund_id)
        return True
    if event.kind == ProviderEvent.REFUND:
        refund_id = (
            Refund.objects.filter(payment__provider=provider_name, provider_ref=event.object_ref)
            .values_list("pk", flat=True)
            .first()
        )
        if refund_id is None:
            return False
        refund_sync(refund_id=refund_id)
        return True
    if event.kind == ProviderEvent.PAYEE:
        payee_id = (
            Payee.objects.filter(provider=provider_name, provider_ref=event.object_ref)
            .values_list("pk", flat=True)
            .first()
        )
        if payee_id is None:
            return False
        payee_sync(payee_id=payee_id)
        return True
    # Transfers are recorded when this side makes them; other events are not ours to act on.
    return True


def webhook_event_process(*, event_id: int) -> bool:
    """Process one stored event, once: its processed_at is set only after its work is done (so a worker
    killed halfway leaves it for beat), and set at most once. Never raises for a provider outage or an
    unknown object: it records why and leaves the event for the next try. Returns whether it is processed."""
    stored = WebhookEvent.objects.filter(pk=event_id).first()
    if stored is None or stored.processed_at is not None:
        return stored is not None
    try:
        event = event_from_payload(json.loads(stored.body))
        done = _process(stored.provider, event)
        error = "" if done else "The object of this event is not known here (yet)."
    except (ProviderError, WebhookError, ValueError) as exc:
        done, error = False, f"{type(exc).__name__}: {exc}"
    if done or stored.attempts + 1 >= MAX_ATTEMPTS:
        WebhookEvent.objects.filter(pk=stored.pk, processed_at__isnull=True).update(
            processed_at=timezone.now(), attempts=F("attempts") + 1, last_error=error[:500]
        )
        if not done:
            logger.warning("Webhook event %s set aside after %s attempts: %s", stored.event_id, MAX_ATTEMPTS, error)
        return True
    WebhookEvent.objects.filter(pk=stored.pk).update(attempts=F("attempts") + 1, last_error=error[:500])
    return False


def webhook_events_process_pending(*, older_than_seconds: int = 60, limit: int = 200) -> int:
    """Process the events left unprocessed a while (a lost task, a killed worker, a provider outage)."""
    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    ids = list(
        WebhookEvent.objects.filter(processed_at__isnull=True, received_at__lt=cutoff)
        .order_by("received_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in ids if webhook_event_process(event_id=pk))
