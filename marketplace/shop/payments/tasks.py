"""Celery tasks of payments: each takes ids and calls one service. None raises for a provider outage (in the
eager mode a task runs inside the request that queued it, after its commit): the work is left recorded as
pending, and a beat job below picks it up again."""

from __future__ import annotations

import logging

from celery import shared_task

from .base import ProviderError

logger = logging.getLogger(__name__)


@shared_task(name="marketplace.shop.payments.tasks.webhook_event_process_task")
def webhook_event_process_task(event_id: int) -> bool:
    """Process one stored webhook event (once; see services.webhooks)."""
    from .services import webhook_event_process

    return webhook_event_process(event_id=event_id)


@shared_task(name="marketplace.shop.payments.tasks.fake_event_deliver_task")
def fake_event_deliver_task(event_id: int) -> bool:
    """Sign and POST one of the fake provider's events to the webhook endpoint."""
    from .fake_delivery import fake_event_deliver

    return fake_event_deliver(event_id=event_id)


@shared_task(name="marketplace.shop.payments.tasks.refund_execute_task")
def refund_execute_task(refund_id: int) -> None:
    """Make one recorded refund at the provider; left pending for beat when the provider is unreachable."""
    from .services import refund_execute

    try:
        refund_execute(refund_id=refund_id)
    except ProviderError as exc:
        logger.warning("Refund %s left pending: %s", refund_id, exc)


@shared_task(name="marketplace.shop.payments.tasks.payout_release_task")
def payout_release_task(order_id: int) -> None:
    """Transfer a delivered order's payout to its vendor, when the vendor can receive it."""
    from .services import payout_release

    try:
        payout_release(order_id=order_id)
    except ProviderError as exc:
        logger.warning("Payout of order %s left held: %s", order_id, exc)


@shared_task(name="marketplace.shop.payments.tasks.payments_expire_due_task")
def payments_expire_due_task() -> int:
    """Beat, every minute: lapse the checkouts not paid in time (orders cancelled, stock back)."""
    from .services import payments_expire_due

    return payments_expire_due()


@shared_task(name="marketplace.shop.payments.tasks.payments_catch_up_task")
def payments_catch_up_task() -> dict[str, int]:
    """Beat, every two minutes: the webhook events and refunds a lost task or an outage left pending."""
    from .services import refunds_execute_pending, webhook_events_process_pending

    return {"events": webhook_events_process_pending(), "refunds": refunds_execute_pending()}


@shared_task(name="marketplace.shop.payments.tasks.fake_events_deliver_pending_task")
def fake_events_deliver_pending_task() -> int:
    """Beat, every minute: the fake provider sends again the events the endpoint has not taken yet."""
    from .fake_delivery import fake_events_deliver_pending

    return fake_events_deliver_pending()


@shared_task(name="marketplace.shop.payments.tasks.payouts_release_due_task")
def payouts_release_due_task() -> int:
    """Beat, hourly (and when a vendor finishes onboarding): transfer the delivered orders' held payouts."""
    from .services import payouts_release_due

    return payouts_release_due()


@shared_task(name="marketplace.shop.payments.tasks.payments_reconcile_task")
def payments_reconcile_task() -> dict[str, int]:
    """Beat, hourly: compare the provider's records with the orders; flag differences to the moderators."""
    from .services import payments_reconcile

    result = payments_reconcile()
    return {
        "compared": result.payments_compared,
        "repaired": result.repaired,
        "differences": len(result.differences),
        "flagged_vendors": result.flagged_vendors,
    }
