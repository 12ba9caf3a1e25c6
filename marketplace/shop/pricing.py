"""What a consumer pays for a product: the one price rule, shared by the cart, the pages and checkout."""

from __future__ import annotations

from decimal import Decimal

from vendors.models import Product


def product_unit_price(*, product: Product, is_partner: bool) -> Decimal:
    """A current partner pays the partner price when the vendor set one; everybody else pays the list price."""
    if is_partner and product.partner_price is not None:
        return product.partner_price
    return product.price
