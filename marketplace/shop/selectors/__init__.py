"""Reads of the shop floor, one module per area. Each selector owns its joins, so a page runs the same
queries for 5 rows or 500."""

from .account import (
    account_export_data,
)
from .addresses import (
    address_get_for_consumer,
    address_list_for_consumer,
)
from .cart import (
    Cart,
    CartLine,
    CartVendorGroup,
    CheckoutPreview,
    CheckoutVendorPreview,
    cart_get,
    checkout_preview,
    promotion_ids_used_up,
)
from .directory import (
    VendorSort,
    vendor_list_directory,
    vendor_list_directory_kept,
    vendor_list_featured,
)
from .orders import (
    order_get_for_consumer,
    order_list_for_consumer,
    order_list_for_vendor,
)
from .reviews import review_list_for_moderation
from .search import (
    ProductFilters,
    ProductSort,
    product_search_partners_first,
    product_search_partners_first_kept,
)
from .shipping import (
    RegionRate,
    ShippingTerms,
    shipping_terms_for_vendors,
    shipping_terms_kept,
)
from .storefront import (
    MAX_COMPARE,
    VENDOR_PAGE_REVIEWS,
    ReviewShown,
    VendorPage,
    product_get_for_page,
    product_get_page_kept,
    product_list_for_vendor_page,
    review_list_for_vendor_page,
    vendor_facts,
    vendor_get_for_page,
    vendor_get_page_kept,
    vendor_list_compare,
)

__all__ = [
    "Cart",
    "CartLine",
    "CartVendorGroup",
    "CheckoutPreview",
    "CheckoutVendorPreview",
    "MAX_COMPARE",
    "RegionRate",
    "ShippingTerms",
    "VENDOR_PAGE_REVIEWS",
    "ReviewShown",
    "VendorPage",
    "VendorSort",
    "account_export_data",
    "address_get_for_consumer",
    "address_list_for_consumer",
    "cart_get",
    "checkout_preview",
    "order_get_for_consumer",
    "order_list_for_consumer",
    "order_list_for_vendor",
    "shipping_terms_for_vendors",
    "shipping_terms_kept",
    "product_get_for_page",
    "product_get_page_kept",
    "product_list_for_vendor_page",
    "ProductFilters",
    "ProductSort",
    "product_search_partners_first",
    "product_search_partners_first_kept",
    "promotion_ids_used_up",
    "review_list_for_moderation",
    "review_list_for_vendor_page",
    "vendor_facts",
    "vendor_get_for_page",
    "vendor_get_page_kept",
    "vendor_list_compare",
    "vendor_list_directory",
    "vendor_list_directory_kept",
    "vendor_list_featured",
]
