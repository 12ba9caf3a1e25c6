"""Celery tasks of the vendors layer: thin wrappers that call one service."""

from __future__ import annotations

from celery import shared_task

from .moderation import vendor_flags_scan


@shared_task(name="vendors.tasks.vendor_flags_scan_task")
def vendor_flags_scan_task() -> dict[str, int]:
    """Raise and clear early-warning flags (beat runs it every 15 minutes). Idempotent: safe to run twice."""
    return vendor_flags_scan()
