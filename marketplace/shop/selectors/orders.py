"""Orders: the consumer's own, and a vendor's own."""

from __future__ import annotations

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from marketplace.accounts.models import User
from vendors.models import Vendor

from ..models import Order, OrderLine


def order_list_for_consumer(*, consumer: User) -> QuerySet[Order]:
    """The consumer's own orders, newest first, with vendor, lines, rating, redemption, the checkout's payment
    and the order's refunds in bounded queries."""
    return (
        Order.objects.filter(consumer=consumer)
        .select_related(
            "vendor", "rating", "redemption", "redemption__promotion", "checkout__payment", "ship_to_region"
        )
        .prefetch_related("lines", "refunds")
        .order_by("-created_at", "-id")
    )


def order_get_for_consumer(*, consumer: User, pk: int) -> Order | None:
    """One of the consumer's own orders; another consumer's order is simply not found."""
    return order_list_for_consumer(consumer=consumer).filter(pk=pk).first()


def order_list_for_vendor(*, vendor: Vendor, status: str = "", with_lines: bool = True) -> QuerySet[Order]:
    """A vendor's own orders, newest first, lines prefetched; `status` filters when it is a known state. With
    `with_lines` False each order carries only its `line_count`, counted in the list's own query (the orders
    page)."""
    qs = Order.objects.filter(vendor=vendor).select_related("payout", "ship_to_region").order_by("-created_at", "-id")
    if with_lines:
        qs = qs.prefetch_related("lines")
    else:
        lines = OrderLine.objects.filter(order=OuterRef("pk")).order_by().values("order").annotate(n=Count("*"))
        qs = qs.annotate(line_count=Coalesce(Subquery(lines.values("n")), 0))
    return qs.filter(status=status) if status in Order.Status.values else qs
