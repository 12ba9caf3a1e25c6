"""Celery tasks of the vendors layer: each takes ids and calls one service."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from .services.thumbnails import product_thumbnails_generate, vendor_logo_thumbnails_generate


@shared_task(
    name="vendors.tasks.product_thumbnails_generate_task",
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=2,
    max_retries=5,
)
def product_thumbnails_generate_task(product_id: int) -> int:
    """Make the thumbnails the templates use for one product's image (queued after an upload commits).
    Idempotent: a thumbnail already made is not made again."""
    return product_thumbnails_generate(product_id=product_id)


@shared_task(
    name="vendors.tasks.vendor_logo_thumbnails_generate_task",
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=2,
    max_retries=5,
)
def vendor_logo_thumbnails_generate_task(vendor_id: int) -> int:
    """Make the thumbnails the templates use for one vendor's logo (queued after a new logo commits)."""
    return vendor_logo_thumbnails_generate(vendor_id=vendor_id)
