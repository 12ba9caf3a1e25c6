"""The shop's tables: the shop floor (orders.py) and the money that moves for it (payments.py)."""

from .addresses import SavedAddress
from .orders import CartItem, Checkout, Order, OrderLine, Redemption, ServiceRating, VendorSalesStats
from .payments import (
    FakeProviderEvent,
    FakeProviderObject,
    OrderPayout,
    Payee,
    Payment,
    Refund,
    WebhookEvent,
)
from .shipping import ShippingPolicy, ShippingRegionRate

__all__ = [
    "CartItem",
    "Checkout",
    "FakeProviderEvent",
    "FakeProviderObject",
    "Order",
    "OrderLine",
    "OrderPayout",
    "Payee",
    "Payment",
    "Redemption",
    "Refund",
    "SavedAddress",
    "ServiceRating",
    "ShippingPolicy",
    "ShippingRegionRate",
    "VendorSalesStats",
    "WebhookEvent",
]
