"""Reads of vendors and products; each selector owns its joins so a page's query count is constant."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from .models import Category, Product, Vendor


def vendor_list_public(*, category: str | None = None) -> QuerySet[Vendor]:
    """Approved vendors only, with what a listing shows."""
    qs = (
        Vendor.objects.approved()
        .select_related("category", "stats")
        .prefetch_related("regions")
        .annotate(product_count=Count("products", filter=Q(products__active=True)))
    )
    if category:
        qs = qs.filter(category__slug=category)
    return qs


def vendor_get_public(*, slug: str) -> Vendor | None:
    return vendor_list_public().filter(slug=slug).first()


def product_list_for_vendor(*, vendor: Vendor) -> QuerySet[Product]:
    return vendor.products.filter(active=True).select_related("category").order_by("name", "id")


def product_get_public(*, pk: int) -> Product | None:
    return Product.objects.purchasable().select_related("vendor", "category").filter(pk=pk).first()


def category_list() -> QuerySet[Category]:
    return Category.objects.all()


def vendor_list_featured(*, limit: int = 6) -> QuerySet[Vendor]:
    return vendor_list_public().order_by("-stats__current_partners", "name")[:limit]
