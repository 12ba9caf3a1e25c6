"""Checkout: the cart becomes one order per vendor, awaiting one payment for the whole cart, in one
transaction, at most once per idempotency key."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from marketplace.accounts.models import Region, User
from marketplace.kernel.caching import changed
from marketplace.kernel.money import format_money
from portfolios.models import PartnerMembership
from portfolios.services import membership_record_purchase
from promotions.models import Promotion
from promotions.services import promotion_best_for_order
from vendors.cache_scopes import product_scopes
from vendors.models import Product, Vendor

from ..exceptions import CartEmpty, CheckoutRefused
from ..models import CartItem, Checkout, Order, OrderLine, Payment, Redemption
from ..payments.selectors import vendor_ids_not_ready_to_sell
from ..payments.services.payments import payment_create_for_checkout
from ..selectors import ShippingTerms, address_get_for_consumer, promotion_ids_used_up, shipping_terms_for_vendors
from .addresses import MAX_SAVED_ADDRESSES, address_save_locked, label_error

MAX_KEY_LENGTH = 64


@dataclass
class CheckoutResult:
    checkout: Checkout
    orders: list[Order]
    replayed: bool
    payment: Payment | None = None  # None only for checkouts placed before payments were recorded


def _replay(*, consumer: User, idempotency_key: str) -> CheckoutResult | None:
    checkout = Checkout.objects.filter(consumer=consumer, idempotency_key=idempotency_key).first()
    if checkout is None:
        return None
    orders = list(checkout.orders.select_related("vendor").order_by("vendor__name", "id"))
    payment = Payment.objects.filter(checkout=checkout).first()
    return CheckoutResult(checkout=checkout, orders=orders, replayed=True, payment=payment)


def _region(code: str) -> Region | None:
    """The delivery region named by its code ("" for none)."""
    code = code.strip()
    if not code:
        return None
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise ValidationError({"ship_to_region": _("Choose a region from the list, or none.")})
    return region


def _validate(*, idempotency_key: str, ship_to_name: str, ship_to_address: str) -> None:
    errors: dict[str, str] = {}
    if not idempotency_key or len(idempotency_key) > MAX_KEY_LENGTH:
        errors["idempotency_key"] = _("A checkout needs an idempotency key of 1 to %(most)d characters.") % {
            "most": MAX_KEY_LENGTH
        }
    if not ship_to_name.strip():
        errors["ship_to_name"] = _("Tell us whom to deliver to.")
    elif len(ship_to_name) > 120:
        errors["ship_to_name"] = _("Keep the name under %(most)d characters.") % {"most": 120}
    if not ship_to_address.strip():
        errors["ship_to_address"] = _("Tell us where to deliver.")
    if errors:
        raise ValidationError(errors)


def checkout_place(
    *,
    consumer: User,
    idempotency_key: str,
    ship_to_name: str = "",
    ship_to_address: str = "",
    ship_to_region: str = "",
    promotion_code: str = "",
    saved_address: int | None = None,
    save_address: bool = False,
    address_label: str = "",
) -> CheckoutResult:
    """Place everything in the consumer's cart: one order per vendor, awaiting one payment for the whole cart.

    Guarantees: one transaction; product rows are locked in id order, so concurrent buyers never oversell
    and never deadlock; stock is checked and set aside (decremented); current partners pay partner prices
    and get the best promotion they are entitled to (recorded as a Redemption); each order carries its
    vendor's delivery charge (ShippingTerms.charge on its goods after promotions, to `ship_to_region`, a
    region code or "") in its total, so in the payment. `saved_address`, the id of one of the consumer's own
    saved addresses, delivers there instead of the three ship_to fields (another's is a field error);
    `save_address` keeps the address typed among theirs (labelled `address_label`) with the orders, once.
    Nothing is placed when any line is out of stock, changed price or comes from a vendor no longer approved,
    or (when the operator requires it) one whose payout onboarding is unfinished (CheckoutRefused explains
    each).
    The Payment recorded with the orders is their totals' sum, exactly as placed: the provider is called
    after commit (payments.services.payment_start, keyed `checkout-<id>-payment`). The orders become paid
    on the provider's confirmation, which sends the buyer's and the vendors' e-mails; unpaid, they lapse
    after MARKETPLACE["PAYMENT_TIMEOUT_MINUTES"] and their stock returns.
    The same idempotency key returns the first result instead of placing again, even when both submissions
    race (the unique (consumer, key) row makes the second wait for the first and then replay it).
    """
    if saved_address is not None:
        saved = address_get_for_consumer(consumer=consumer, pk=saved_address)
        if saved is None:
            raise ValidationError({"saved_address": "Choose one of your saved addresses."})
        ship_to_name, ship_to_address = saved.name, saved.address
        ship_to_region, save_address = (saved.region.code if saved.region else ""), False
    _validate(idempotency_key=idempotency_key, ship_to_name=ship_to_name, ship_to_address=ship_to_address)
    replay = _replay(consumer=consumer, idempotency_key=idempotency_key)
    if replay is not None:
        return replay
    region = _region(ship_to_region)
    label = _label_to_save(consumer=consumer, label=address_label) if save_address else None
    try:
        return _checkout_new(
            consumer=consumer,
            idempotency_key=idempotency_key,
            ship_to=(ship_to_name.strip(), ship_to_address.strip(), region),
            promotion_code=promotion_code.strip(),
            save_as=label,
        )
    except IntegrityError:
        replay = _replay(consumer=consumer, idempotency_key=idempotency_key)
        if replay is None:
            raise
        return replay


def _label_to_save(*, consumer: User, label: str) -> str:
    """The label to save the checkout's address under, checked before anything is placed: a checkout is not
    refused after the fact for an address it could not keep."""
    label = label.strip()
    if error := label_error(label):
        raise ValidationError({"address_label": error})
    if consumer.saved_addresses.count() >= MAX_SAVED_ADDRESSES:
        raise ValidationError(
            {
                "save_address": _("You keep %(most)d addresses already; delete one to save another.")
                % {"most": MAX_SAVED_ADDRESSES}
            }
        )
    return label


Line = tuple[CartItem, Product, Decimal]  # a cart line, its locked product, the unit price charged
ShipTo = tuple[str, str, Region | None]  # whom to deliver to, where, in which region (if named)


def _cart_locked(consumer: User) -> tuple[list[CartItem], dict[int, Product]]:
    """The consumer's cart lines and their products, locked (products in id order, so two checkouts of the
    same products never wait on each other crosswise)."""
    items = list(CartItem.objects.select_for_update().filter(consumer=consumer).order_by("product_id"))
    if not items:
        raise CartEmpty(_("Your cart is empty."))
    products = {
        p.pk: p
        for p in Product.objects.select_for_update(of=("self",))
        .select_related("vendor")
        .filter(pk__in=[i.product_id for i in items])
        .order_by("id")
    }
    return items, products


def _lines_by_vendor(items: list[CartItem], products: dict[int, Product], partners: set[int]) -> dict[int, list[Line]]:
    """Each line at the price the consumer pays, by vendor; CheckoutRefused, naming every problem, when a
    vendor does not sell, a product is gone or short, or a price moved since the cart showed it."""
    not_ready = vendor_ids_not_ready_to_sell(vendor_ids=sorted({p.vendor_id for p in products.values()}))
    problems: list[str] = []
    by_vendor: dict[int, list[Line]] = defaultdict(list)
    for item in items:
        product = products[item.product_id]
        vendor = product.vendor
        price = product.unit_price_for(is_partner=vendor.pk in partners)
        if vendor.status != Vendor.Status.APPROVED or vendor.pk in not_ready:
            problems.append(
                _("%(vendor)s is not selling at the moment; remove “%(product)s” from your cart.")
                % {"vendor": vendor.name, "product": product.name}
            )
        elif not product.active:
            problems.append(_("“%(product)s” is no longer sold; remove it from your cart.") % {"product": product.name})
        elif product.stock < item.quantity:
            problems.append(
                _("Only %(stock)d of “%(product)s” left; you asked for %(quantity)d.")
                % {"stock": product.stock, "product": product.name, "quantity": item.quantity}
                if product.stock
                else _("“%(product)s” is out of stock.") % {"product": product.name}
            )
        elif price != item.unit_price_seen:
            problems.append(
                _(
                    "The price of “%(product)s” changed from %(before)s to %(now)s; accept the new prices in your "
                    "cart to go on."
                )
                % {"product": product.name, "before": format_money(item.unit_price_seen), "now": format_money(price)}
            )
        by_vendor[vendor.pk].append((item, product, price))
    if problems:
        raise CheckoutRefused(problems)
    return by_vendor


def _promotions_used_up_locked(*, consumer: User, vendor_ids: list[int]) -> set[int]:
    """Lock the running promotions these orders could redeem (in id order, like the products), then count
    their uses, so two checkouts at once cannot both take a promotion's last use."""
    list(
        Promotion.objects.select_for_update()
        .filter(vendor_id__in=vendor_ids, state=Promotion.State.RUNNING)
        .order_by("id")
        .values_list("pk", flat=True)
    )
    return promotion_ids_used_up(consumer=consumer, vendor_ids=vendor_ids)


def _order_create(
    *,
    checkout: Checkout,
    consumer: User,
    lines: list[Line],
    is_partner: bool,
    used_up: set[int],
    code: str,
    ship_to: ShipTo,
    terms: ShippingTerms,
) -> Order:
    """One vendor's order of the checkout, awaiting payment: its lines at the prices charged, the best
    promotion it may redeem, the vendor's delivery charge, the stock taken off (saved by the caller), the
    partner's last purchase noted."""
    vendor = lines[0][1].vendor
    subtotal = sum((price * item.quantity for item, _, price in lines), Decimal("0.00"))
    promotion, discount = promotion_best_for_order(
        consumer=consumer, vendor_id=vendor.pk, subtotal=subtotal, code=code, used_up=used_up
    )
    name, address, region = ship_to
    shipping = terms.charge(goods=subtotal - discount, region=region.code if region else "")
    order = Order.objects.create(
        checkout=checkout,
        consumer=consumer,
        vendor=vendor,
        status=Order.Status.AWAITING_PAYMENT,
        buyer_was_partner=is_partner,
        ship_to_name=name,
        ship_to_address=address,
        ship_to_region=region,
        subtotal=subtotal,
        discount=discount,
        shipping=shipping,
        total=subtotal - discount + shipping,
    )
    OrderLine.objects.bulk_create(
        OrderLine(order=order, product=product, product_name=product.name, unit_price=price, quantity=item.quantity)
        for item, product, price in lines
    )
    for item, product, _price in lines:
        product.stock -= item.quantity
    if promotion is not None and discount > 0:
        Redemption.objects.create(promotion=promotion, order=order, consumer=consumer, amount=discount)
    if is_partner:
        membership_record_purchase(consumer=consumer, vendor_id=vendor.pk)
    return order


@transaction.atomic
def _checkout_new(
    *, consumer: User, idempotency_key: str, ship_to: ShipTo, promotion_code: str, save_as: str | None
) -> CheckoutResult:
    # Inserted first: a concurrent submission with the same key blocks here until this one commits.
    with transaction.atomic():
        checkout = Checkout.objects.create(consumer=consumer, idempotency_key=idempotency_key)
    items, products = _cart_locked(consumer)
    partners = set(PartnerMembership.objects.active().filter(consumer=consumer).values_list("vendor_id", flat=True))
    by_vendor = _lines_by_vendor(items, products, partners)
    used_up = _promotions_used_up_locked(consumer=consumer, vendor_ids=list(by_vendor))
    terms = shipping_terms_for_vendors(vendor_ids=by_vendor)
    orders = [
        _order_create(
            checkout=checkout,
            consumer=consumer,
            lines=lines,
            is_partner=vendor_id in partners,
            used_up=used_up,
            code=promotion_code,
            ship_to=ship_to,
            terms=terms[vendor_id],
        )
        for vendor_id, lines in sorted(by_vendor.items())
    ]
    Product.objects.bulk_update(list(products.values()), ["stock"])
    changed(*product_scopes(products.values()))  # stock shows on their pages and in the lists that show them
    CartItem.objects.filter(pk__in=[i.pk for i in items]).delete()
    if save_as is not None:
        name, address, region = ship_to
        address_save_locked(consumer=consumer, label=save_as, name=name, address=address, region=region)
    payment = payment_create_for_checkout(checkout=checkout, orders=orders)
    if payment.status == Payment.Status.SUCCEEDED:  # nothing to pay: promotions took it all
        for order in orders:
            order.status = Order.Status.PAID
    orders.sort(key=lambda o: (o.vendor.name, o.pk))
    return CheckoutResult(checkout=checkout, orders=orders, replayed=False, payment=payment)


@transaction.atomic
def checkout_place_quoted(
    *,
    consumer: User,
    vendor_id: int,
    idempotency_key: str,
    description: str,
    price: Decimal,
    ship_to_name: str,
    ship_to_address: str,
    promotions_apply: bool = False,
) -> CheckoutResult:
    """One order from one vendor at a price the vendor quoted (an accepted offer of an ask), awaiting one payment,
    recorded exactly as checkout_place records a cart's: the same Checkout, idempotency key, Payment (started
    after commit by the caller, keyed `checkout-<id>-payment`), e-mails on payment and lapse after the timeout.

    The quoted price is the price charged: the partner price rule does not apply to it, and the vendor's running
    promotions only when `promotions_apply` (the vendor said they stack). No stock moves: the quote names no
    product. Runs in the caller's transaction when there is one (the ask's acceptance holds the ask locked). The
    same key returns the first result."""
    _validate(idempotency_key=idempotency_key, ship_to_name=ship_to_name, ship_to_address=ship_to_address)
    replay = _replay(consumer=consumer, idempotency_key=idempotency_key)
    if replay is not None:
        return replay
    vendor = Vendor.objects.get(pk=vendor_id)
    if vendor.status != Vendor.Status.APPROVED or vendor.pk in vendor_ids_not_ready_to_sell(vendor_ids=[vendor.pk]):
        raise CheckoutRefused([_("%(vendor)s is not selling at the moment.") % {"vendor": vendor.name}])
    with transaction.atomic():
        checkout = Checkout.objects.create(consumer=consumer, idempotency_key=idempotency_key)
    is_partner = PartnerMembership.objects.active().filter(consumer=consumer, vendor_id=vendor.pk).exists()
    promotion, discount = None, Decimal("0.00")
    if promotions_apply:
        used_up = _promotions_used_up_locked(consumer=consumer, vendor_ids=[vendor.pk])
        promotion, discount = promotion_best_for_order(
            consumer=consumer, vendor_id=vendor.pk, subtotal=price, code="", used_up=used_up
        )
    order = Order.objects.create(
        checkout=checkout,
        consumer=consumer,
        vendor=vendor,
        status=Order.Status.AWAITING_PAYMENT,
        buyer_was_partner=is_partner,
        ship_to_name=ship_to_name.strip(),
        ship_to_address=ship_to_address.strip(),
        subtotal=price,
        discount=discount,
        total=price - discount,
    )
    OrderLine.objects.create(order=order, product=None, product_name=description[:160], unit_price=price, quantity=1)
    if promotion is not None and discount > 0:
        Redemption.objects.create(promotion=promotion, order=order, consumer=consumer, amount=discount)
    if is_partner:
        membership_record_purchase(consumer=consumer, vendor_id=vendor.pk)
    payment = payment_create_for_checkout(checkout=checkout, orders=[order])
    if payment.status == Payment.Status.SUCCEEDED:
        order.status = Order.Status.PAID
    return CheckoutResult(checkout=checkout, orders=[order], replayed=False, payment=payment)
