"""Writes to the consumer's cart. A cart line remembers the price the consumer saw when adding it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from marketplace.accounts.models import User
from marketplace.kernel.errors import NotFoundError
from portfolios.models import PartnerMembership
from vendors.models import Product

from ..models import CartItem

MAX_QUANTITY = 99


def _check_quantity(quantity: int) -> None:
    if not 1 <= quantity <= MAX_QUANTITY:
        raise ValidationError({"quantity": _("Choose a quantity from 1 to %(most)d.") % {"most": MAX_QUANTITY}})


def _price_for(*, consumer: User, product: Product) -> object:
    is_partner = PartnerMembership.objects.active().filter(consumer=consumer, vendor_id=product.vendor_id).exists()
    return product.unit_price_for(is_partner=is_partner)


@transaction.atomic
def cart_add(*, consumer: User, product_id: int, quantity: int = 1) -> CartItem:
    """Put a purchasable product in the cart (adding to the quantity already there), at today's price.

    Only active products of approved vendors can be added; the quantity in the cart may not exceed the stock.
    """
    _check_quantity(quantity)
    product = Product.objects.purchasable().filter(pk=product_id).first()
    if product is None:
        raise NotFoundError(_("This product is not available."))
    price = _price_for(consumer=consumer, product=product)
    line = CartItem.objects.select_for_update().filter(consumer=consumer, product=product)
    item = line.first()
    if item is None:
        _check_stock(product, quantity)
        try:
            with transaction.atomic():
                return CartItem.objects.create(
                    consumer=consumer, product=product, quantity=quantity, unit_price_seen=price
                )
        except IntegrityError:
            # Another tab of the same consumer added this product first (one line per product): add to that line.
            item = line.get()
    new_quantity = quantity + item.quantity
    _check_quantity(new_quantity)
    _check_stock(product, new_quantity)
    item.quantity, item.unit_price_seen = new_quantity, price
    item.save(update_fields=["quantity", "unit_price_seen"])
    return item


def _check_stock(product: Product, quantity: int) -> None:
    if quantity > product.stock:
        raise ValidationError(
            {
                "quantity": _("Only %(stock)d of “%(product)s” in stock.")
                % {"stock": product.stock, "product": product.name}
            }
            if product.stock
            else {"quantity": _("“%(product)s” is out of stock.") % {"product": product.name}}
        )


@transaction.atomic
def cart_item_update(*, consumer: User, item_id: int, quantity: int) -> CartItem:
    """Change the quantity of one of the consumer's own cart lines (another consumer's line is not found)."""
    _check_quantity(quantity)
    item = CartItem.objects.select_for_update().select_related("product").filter(pk=item_id, consumer=consumer).first()
    if item is None:
        raise NotFoundError(_("This item is not in your cart."))
    if quantity > item.product.stock:
        raise ValidationError(
            {
                "quantity": _("Only %(stock)d of “%(product)s” in stock.")
                % {"stock": item.product.stock, "product": item.product.name}
            }
        )
    item.quantity = quantity
    item.save(update_fields=["quantity"])
    return item


@transaction.atomic
def cart_item_remove(*, consumer: User, item_id: int) -> None:
    """Remove one of the consumer's own cart lines."""
    deleted, _by_model = CartItem.objects.filter(pk=item_id, consumer=consumer).delete()
    if not deleted:
        raise NotFoundError(_("This item is not in your cart."))


@transaction.atomic
def cart_accept_prices(*, consumer: User) -> int:
    """The consumer accepts today's prices for every cart line whose price changed; returns how many changed."""
    changed = 0
    items = CartItem.objects.select_for_update().filter(consumer=consumer).select_related("product")
    partners = set(PartnerMembership.objects.active().filter(consumer=consumer).values_list("vendor_id", flat=True))
    for item in items:
        price = item.product.unit_price_for(is_partner=item.product.vendor_id in partners)
        if price != item.unit_price_seen:
            item.unit_price_seen = price
            item.save(update_fields=["unit_price_seen"])
            changed += 1
    return changed
