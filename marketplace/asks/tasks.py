"""The asks' clock, run by Celery beat every minute (settings.CELERY_BEAT_SCHEDULE, "asks-clock")."""

from __future__ import annotations

from celery import shared_task

from .services.clock import asks_expire_due, offers_lapse_due


@shared_task
def asks_clock_task() -> dict[str, int]:
    """Close the asks past their respond-by and lapse the offers past their valid-until. Idempotent."""
    return {"asks_closed": asks_expire_due(), "offers_lapsed": offers_lapse_due()}
