"""The cart at today's prices, and the checkout preview: what checkout_place would charge now."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q

from marketplace.accounts.models import User
from portfolios.selectors import partner_vendor_ids
from promotions.models import Promotion
from promotions.services import promotion_best_for_orders
from vendors.models import Product, Vendor

from ..models import CartItem
from .shipping import ShippingTerms, shipping_terms_for_vendors


@dataclass
class CartLine:
    item: CartItem
    unit_price: Decimal
    price_changed: bool
    available: bool
    enough_stock: bool

    @property
    def product(self) -> Product:
        return self.item.product

    @property
    def quantity(self) -> int:
        return self.item.quantity

    @property
    def line_total(self) -> Decimal:
        return self.unit_price * self.item.quantity


@dataclass
class CartVendorGroup:
    vendor: Vendor
    is_partner: bool
    lines: list[CartLine] = field(default_factory=list)

    @property
    def subtotal(self) -> Decimal:
        return sum((line.line_total for line in self.lines), Decimal("0.00"))


@dataclass
class Cart:
    groups: list[CartVendorGroup]

    @property
    def lines(self) -> list[CartLine]:
        return [line for group in self.groups for line in group.lines]

    @property
    def total(self) -> Decimal:
        return sum((g.subtotal for g in self.groups), Decimal("0.00"))

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def has_problems(self) -> bool:
        return any(line.price_changed or not line.available or not line.enough_stock for line in self.lines)

    @property
    def is_empty(self) -> bool:
        return not self.groups


def cart_get(*, consumer: User) -> Cart:
    """The consumer's cart grouped by vendor, at today's prices, with every line's problems marked. Two queries."""
    partners = partner_vendor_ids(consumer=consumer)
    items = (
        CartItem.objects.filter(consumer=consumer)
        .select_related("product", "product__vendor")
        .order_by("product__vendor__name", "product__vendor_id", "added_at", "id")
    )
    groups: dict[int, CartVendorGroup] = {}
    for item in items:
        product = item.product
        vendor = product.vendor
        is_partner = vendor.pk in partners
        unit_price = product.unit_price_for(is_partner=is_partner)
        group = groups.setdefault(vendor.pk, CartVendorGroup(vendor=vendor, is_partner=is_partner))
        group.lines.append(
            CartLine(
                item=item,
                unit_price=unit_price,
                price_changed=unit_price != item.unit_price_seen,
                available=product.active and vendor.status == Vendor.Status.APPROVED,
                enough_stock=product.stock >= item.quantity,
            )
        )
    return Cart(groups=list(groups.values()))


@dataclass
class CheckoutVendorPreview:
    """One vendor's order as checkout would place it now: the promotion it would apply, the delivery charge
    (to the region given) and the total."""

    group: CartVendorGroup
    promotion: Promotion | None
    discount: Decimal
    terms: ShippingTerms
    shipping: Decimal

    @property
    def vendor(self) -> Vendor:
        return self.group.vendor

    @property
    def subtotal(self) -> Decimal:
        return self.group.subtotal

    @property
    def total(self) -> Decimal:
        return self.subtotal - self.discount + self.shipping


@dataclass
class CheckoutPreview:
    """What placing the order now would charge, per vendor and in all, with the promotion code given."""

    cart: Cart
    vendors: list[CheckoutVendorPreview]
    code: str = ""
    region: str = ""

    @property
    def discount(self) -> Decimal:
        return sum((v.discount for v in self.vendors), Decimal("0.00"))

    @property
    def shipping(self) -> Decimal:
        return sum((v.shipping for v in self.vendors), Decimal("0.00"))

    @property
    def total(self) -> Decimal:
        return self.cart.total - self.discount + self.shipping

    @property
    def code_applied(self) -> bool:
        """The code given unlocks a promotion that checkout would apply."""
        return bool(self.code) and any(v.promotion is not None and v.promotion.code for v in self.vendors)


def promotion_ids_used_up(*, consumer: User, vendor_ids: list[int]) -> set[int]:
    """Running promotions of these vendors that this consumer may not redeem again: they reached their own
    uses (uses_per_consumer, once by default) or everyone's together (max_uses). One query, over the
    redemptions of the running promotions of the vendors in a cart only."""
    rows = (
        Promotion.objects.running()
        .filter(vendor_id__in=vendor_ids)
        .annotate(mine=Count("redemptions", filter=Q(redemptions__consumer=consumer)), everyone=Count("redemptions"))
        .filter(Q(mine__gte=F("uses_per_consumer")) | Q(max_uses__isnull=False, everyone__gte=F("max_uses")))
        .values_list("pk", flat=True)
    )
    return set(rows)


def checkout_preview(*, consumer: User, code: str = "", region: str = "") -> CheckoutPreview:
    """The cart with, per vendor, the best promotion and discount checkout_place would apply now (the same rule,
    promotions.services.promotion_best_for_orders, on the same subtotals) and the delivery charge to the
    region with code `region` ("" for none named) by the same rule (ShippingTerms.charge). Five queries;
    writes nothing."""
    cart = cart_get(consumer=consumer)
    code = code.strip()
    vendor_ids = [g.vendor.pk for g in cart.groups]
    used_up = promotion_ids_used_up(consumer=consumer, vendor_ids=vendor_ids) if vendor_ids else set()
    best = promotion_best_for_orders(
        consumer=consumer, subtotals={g.vendor.pk: g.subtotal for g in cart.groups}, code=code, used_up=used_up
    )
    terms = shipping_terms_for_vendors(vendor_ids=vendor_ids)
    vendors = []
    for g in cart.groups:
        promotion, discount = best[g.vendor.pk]
        vendor_terms = terms[g.vendor.pk]
        shipping = vendor_terms.charge(goods=g.subtotal - discount, region=region)
        vendors.append(
            CheckoutVendorPreview(
                group=g, promotion=promotion, discount=discount, terms=vendor_terms, shipping=shipping
            )
        )
    return CheckoutPreview(cart=cart, vendors=vendors, code=code, region=region)
