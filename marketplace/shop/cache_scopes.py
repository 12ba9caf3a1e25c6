"""Which of the shop app's tables feed which cache scopes (marketplace.kernel.caching), declared beside them.

- `statistics` (timed): the sales figures (ratings) written by jobs, shown at most a timeout late.
- `vendor:{id}`: also the vendor's delivery charges (its shipping policy and region rates), on its product pages.
- `cart:{consumer id}`: how many items one consumer's cart holds (the header's count); every cart line saved or
  deleted bumps it (a checkout deletes its lines one signal each).
Checkouts and stock changes bump the `vendor:{id}` of the vendors they sold from, in their services.
"""

from __future__ import annotations

from marketplace.kernel.caching import feeds, scope_kind

from .models import CartItem, ShippingPolicy, ShippingRegionRate

scope_kind("statistics", models=["shop.VendorSalesStats"], timed=True)
scope_kind("vendor", models=["shop.ShippingPolicy", "shop.ShippingRegionRate"])
scope_kind("cart", models=["shop.CartItem"], about="one consumer's cart count in the header")


def _cart_item(item: CartItem) -> list[str]:
    return [f"cart:{item.consumer_id}"]


def _shipping(row: ShippingPolicy | ShippingRegionRate) -> list[str]:
    return [f"vendor:{row.vendor_id}"]


feeds(CartItem, _cart_item)
feeds(ShippingPolicy, _shipping)
feeds(ShippingRegionRate, _shipping)
