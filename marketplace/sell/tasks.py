"""Celery tasks of the vendor workspace: thin wrappers over its services."""

from __future__ import annotations

from celery import shared_task

from .services.digest import vendor_digest_send


@shared_task(name="marketplace.sell.tasks.vendor_digest_send_task")
def vendor_digest_send_task() -> dict[str, int]:
    """Beat runs this hourly ("vendor-weekly-digest"); a vendor is due a week after its last digest. Safe to run
    twice or concurrently: each vendor's week is recorded once with its watermark and sent at most once."""
    return vendor_digest_send()
