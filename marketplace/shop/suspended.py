"""What a suspended vendor's page shows to the people who already trade with it.

A suspended vendor is hidden from the marketplace (vendors.moderation.services.vendor_suspend): for the
public its page does not exist. Its current partners and its buyers, though, hold it in their portfolio or
wait for an order from it; for them the page says it is suspended and what happens to their open orders,
instead of a bare 404. A link to one of its products says the shop is suspended, to anyone.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser

from marketplace.accounts.models import User
from portfolios.models import PartnerMembership
from vendors.models import Product, Vendor

from .models import Order

OPEN_STATUSES = (Order.Status.PAID, Order.Status.SHIPPED)


@dataclass(frozen=True)
class SuspendedVendorView:
    vendor: Vendor
    is_partner: bool
    open_orders: list[Order]


@dataclass(frozen=True)
class SuspendedProduct:
    name: str
    vendor_name: str
    vendor_slug: str


def product_get_of_suspended_vendor(*, pk: int) -> SuspendedProduct | None:
    """A product whose vendor is suspended, as its link tells anyone who follows it: its name and its shop's.
    None for any other product (active or not) of any other vendor. One query."""
    row = (
        Product.objects.filter(pk=pk, vendor__status=Vendor.Status.SUSPENDED)
        .values_list("name", "vendor__name", "vendor__slug")
        .first()
    )
    return SuspendedProduct(*row) if row else None


def vendor_get_suspended_for_customer(*, slug: str, consumer: User | AnonymousUser) -> SuspendedVendorView | None:
    """The suspended vendor with this slug as one of its current partners or buyers sees it: whether they are
    a partner, and their open (paid or shipped) orders from it, oldest first. None for anyone else, and for
    a vendor that is not suspended. At most four queries."""
    if not consumer.is_authenticated:
        return None
    vendor = Vendor.objects.select_related("category").filter(slug=slug, status=Vendor.Status.SUSPENDED).first()
    if vendor is None:
        return None
    is_partner = PartnerMembership.objects.active().filter(consumer=consumer, vendor=vendor).exists()
    open_orders = list(
        Order.objects.filter(consumer=consumer, vendor=vendor, status__in=OPEN_STATUSES).order_by("created_at", "id")
    )
    if not (is_partner or open_orders or Order.objects.filter(consumer=consumer, vendor=vendor).exists()):
        return None
    return SuspendedVendorView(vendor=vendor, is_partner=is_partner, open_orders=open_orders)
