"""Stock set aside by orders going back on the shelf (a cancelled order, a checkout whose payment lapsed)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Sum

from marketplace.kernel.caching import changed
from vendors.cache_scopes import product_scopes
from vendors.models import Product

from ..models import OrderLine


def stock_return_for_orders(*, order_ids: list[int]) -> int:
    """Put back the stock of these orders' lines. Runs in the caller's transaction; the products are locked
    in id order, as checkout locks them, so it never deadlocks with a checkout. Three queries whatever the
    number of lines. Returns how many units went back."""
    if not order_ids:
        return 0
    back: dict[int, int] = defaultdict(int)
    for product_id, quantity in (
        OrderLine.objects.filter(order_id__in=order_ids, product__isnull=False)
        .values("product_id")
        .annotate(quantity=Sum("quantity"))
        .values_list("product_id", "quantity")
        .order_by()
    ):
        back[product_id] += quantity
    if not back:
        return 0
    products = list(
        Product.objects.select_for_update().filter(pk__in=list(back)).order_by("id").only("id", "stock", "vendor_id")
    )
    for product in products:
        product.stock += back[product.pk]
    Product.objects.bulk_update(products, ["stock"])
    changed(*product_scopes(products))  # stock shows on their pages and in the lists that show them
    return sum(back.values())
