"""Every write of the shop floor: cart, checkout, orders and account closing."""

from .account import account_close
from .cart import cart_accept_prices, cart_add, cart_item_remove, cart_item_update
from .checkout import CheckoutResult, checkout_place, checkout_place_quoted
from .orders import order_cancel_by_consumer, order_rate

__all__ = [
    "CheckoutResult",
    "account_close",
    "cart_accept_prices",
    "cart_add",
    "cart_item_remove",
    "cart_item_update",
    "checkout_place",
    "checkout_place_quoted",
    "order_cancel_by_consumer",
    "order_rate",
]
