"""Celery tasks of promotions: thin, each calls one service."""

from __future__ import annotations

from celery import shared_task

from .services import promotion_states_advance
from .services.digest import partner_digest_send


@shared_task(name="promotions.tasks.promotion_states_advance_task")
def promotion_states_advance_task() -> dict[str, int]:
    """Beat runs this every minute: scheduled promotions start (and are delivered), due ones end.
    Safe to run twice or concurrently (rows are locked and skipped; delivery is idempotent)."""
    return promotion_states_advance()


@shared_task(name="promotions.tasks.partner_digest_send_task")
def partner_digest_send_task() -> dict[str, int]:
    """Beat runs this hourly ("partner-digest"); the service decides who is due. Safe to run twice or
    concurrently: each digest is recorded once with its watermark and sent at most once."""
    return partner_digest_send()
