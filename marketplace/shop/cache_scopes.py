"""Which of the shop app's tables feed which cache scopes (marketplace.kernel.caching), declared beside them.

- `statistics` (timed): the sales figures (ratings) written by jobs, shown at most a timeout late.
- `vendor:{id}`: also the vendor's delivery charges (its shipping policy and region rates), on its product pages,
  and the buyers' reviews on its page (ServiceRating: a rating with text, a moderator hiding one).
- `cart:{consumer id}`: how many items one consumer's cart holds (the header's count); every cart line saved or
  deleted bumps it (a checkout deletes its lines one signal each).
Checkouts and stock changes bump the `vendor:{id}` of the vendors they sold from, in their services.
"""

from __future__ import annotations

from marketplace.kernel.caching import feeds, scope_kind

from .models import CartItem, ServiceRating, ShippingPolicy, ShippingRegionRate

scope_kind("statistics", models=["shop.VendorSalesStats"], timed=True)
scope_kind("vendor", models=["shop.ShippingPolicy", "shop.ShippingRegionRate", "shop.ServiceRating"])
scope_kind("cart", models=["shop.CartItem"], about="one consumer's cart count in the header")


def _cart_item(item: CartItem) -> list[str]:
    return [f"cart:{item.consumer_id}"]


def _of_vendor(row: ShippingPolicy | ShippingRegionRate | ServiceRating) -> list[str]:
    # delivery charges shown on its product pages; a review shown, or hidden by a moderator, on its page
    return [f"vendor:{row.vendor_id}"]


feeds(CartItem, _cart_item)
feeds(ShippingPolicy, _of_vendor)
feeds(ShippingRegionRate, _of_vendor)
feeds(ServiceRating, _of_vendor)
