"""Orders: the consumer's own, and a vendor's own."""

from __future__ import annotations

from django.db.models import QuerySet

from marketplace.accounts.models import User
from vendors.models import Vendor

from ..models import Order


def order_list_for_consumer(*, consumer: User) -> QuerySet[Order]:
    """The consumer's own orders, newest first, with vendor, lines, rating and redemption in bounded queries."""
    return (
        Order.objects.filter(consumer=consumer)
        .select_related("vendor", "rating", "redemption", "redemption__promotion")
        .prefetch_related("lines")
        .order_by("-created_at", "-id")
    )


def order_get_for_consumer(*, consumer: User, pk: int) -> Order | None:
    """One of the consumer's own orders; another consumer's order is simply not found."""
    return order_list_for_consumer(consumer=consumer).filter(pk=pk).first()


def order_list_for_vendor(*, vendor: Vendor, status: str = "") -> QuerySet[Order]:
    """A vendor's own orders, newest first, lines prefetched; `status` filters when it is a known state."""
    qs = Order.objects.filter(vendor=vendor).prefetch_related("lines").order_by("-created_at", "-id")
    return qs.filter(status=status) if status in Order.Status.values else qs
