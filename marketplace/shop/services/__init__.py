"""Every write of the shop floor: cart, checkout, orders, reviews and account closing."""

from .account import account_close
from .addresses import address_delete, address_save, address_update
from .cart import cart_accept_prices, cart_add, cart_item_remove, cart_item_update
from .checkout import CheckoutResult, checkout_place, checkout_place_quoted
from .orders import order_cancel_by_consumer, order_rate
from .reviews import review_hide
from .shipping import shipping_policy_set

__all__ = [
    "CheckoutResult",
    "account_close",
    "address_delete",
    "address_save",
    "address_update",
    "cart_accept_prices",
    "cart_add",
    "cart_item_remove",
    "cart_item_update",
    "checkout_place",
    "checkout_place_quoted",
    "order_cancel_by_consumer",
    "order_rate",
    "review_hide",
    "shipping_policy_set",
]
