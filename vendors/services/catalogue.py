"""The catalogue: products, their images, stock and activity. Every function takes the vendor the
signed-in owner runs, so a product id of another vendor answers NotFoundError."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from PIL import Image, UnidentifiedImageError

from marketplace.errors import ForbiddenError, NotFoundError

from ..models import Category, Product, Vendor

IMAGE_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}



def vendor_require_catalogue_open(*, vendor: Vendor) -> None:
    """Pending and approved vendors keep a catalogue; suspended or rejected ones are told why not."""
    if vendor.status == Vendor.Status.SUSPENDED:
        raise ForbiddenError(f"Your vendor is suspended: {vendor.status_reason or 'see the moderators’ message'}.")
    if vendor.status == Vendor.Status.REJECTED:
        raise ForbiddenError("Your application was rejected; correct and resubmit it before editing the catalogue.")


def product_image_check(*, image: UploadedFile | None) -> None:
    """Refuse an upload that is not a real image (Pillow must read it) or is over the size limit."""
    if image is None:
        return
    limit = settings.MARKETPLACE["MAX_IMAGE_BYTES"]
    if image.size is not None and image.size > limit:
        raise ValidationError({"image": [f"The image is larger than {limit // (1024 * 1024)} MB."]})
    try:
        image.seek(0)
        with Image.open(image) as picture:
            picture.verify()
            image_format = picture.format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError({"image": ["Upload a JPEG, PNG, GIF or WebP image."]}) from exc
    finally:
        image.seek(0)
    if image_format not in IMAGE_FORMATS:
        raise ValidationError({"image": ["Upload a JPEG, PNG, GIF or WebP image."]})


def _check_product(product: Product) -> None:
    errors: dict[str, list[str]] = {}
    try:
        product.full_clean(exclude=["vendor", "image"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if (
        product.partner_price is not None
        and product.price is not None
        and "price" not in errors
        and "partner_price" not in errors
        and product.partner_price > product.price
    ):
        errors["partner_price"] = ["The partner price cannot be higher than the public price."]
    if errors:
        raise ValidationError(errors)


def _product_for_update(vendor: Vendor, product_id: int) -> Product:
    product = Product.objects.select_for_update().filter(vendor=vendor, pk=product_id).first()
    if product is None:
        raise NotFoundError("No such product in your catalogue.")
    return product


@transaction.atomic
def product_create(
    *,
    vendor: Vendor,
    name: str,
    price: Decimal,
    stock: int = 0,
    description: str = "",
    sku: str = "",
    partner_price: Decimal | None = None,
    category: Category | None = None,
    image: UploadedFile | None = None,
    active: bool = True,
) -> Product:
    """Add a product to the vendor's catalogue. Atomic; the image is checked with Pillow first."""
    vendor_require_catalogue_open(vendor=vendor)
    product_image_check(image=image)
    product = Product(
        vendor=vendor,
        name=name.strip(),
        sku=sku.strip(),
        description=description.strip(),
        price=price,
        partner_price=partner_price,
        stock=stock,
        category=category or vendor.category,
        active=active,
    )
    _check_product(product)
    if image is not None:
        product.image = image
    product.save()
    return product


PRODUCT_EDITABLE = {"name", "sku", "description", "price", "partner_price", "stock", "category", "active"}


@transaction.atomic
def product_update(*, vendor: Vendor, product_id: int, image: UploadedFile | None = None, **changes: Any) -> Product:
    """Change a product of the vendor's own catalogue (only the fields given). Atomic, row locked."""
    unknown = set(changes) - PRODUCT_EDITABLE
    if unknown:
        raise ValidationError({field: ["This field cannot be changed."] for field in sorted(unknown)})
    vendor_require_catalogue_open(vendor=vendor)
    product = _product_for_update(vendor, product_id)
    product_image_check(image=image)
    for field, value in changes.items():
        setattr(product, field, value.strip() if isinstance(value, str) else value)
    _check_product(product)
    if image is not None:
        product.image = image
    product.save()
    return product


@transaction.atomic
def product_set_active(*, vendor: Vendor, product_id: int, active: bool) -> Product:
    """Deactivate (hide from the shop, keep the history) or reactivate one of the vendor's products."""
    product = _product_for_update(vendor, product_id)
    if active:
        vendor_require_catalogue_open(vendor=vendor)
    product.active = active
    product.save(update_fields=["active", "updated_at"])
    return product


@transaction.atomic
def product_stock_adjust(*, vendor: Vendor, product_id: int, delta: int) -> Product:
    """Add (delta > 0) or remove (delta < 0) units of stock. Atomic and row-locked, so it composes with a
    checkout running at the same moment; stock never goes below zero."""
    if delta == 0:
        raise ValidationError({"delta": ["Enter a change other than zero."]})
    product = _product_for_update(vendor, product_id)
    if product.stock + delta < 0:
        raise ValidationError({"delta": [f"Only {product.stock} in stock; you cannot remove {-delta}."]})
    Product.objects.filter(pk=product.pk).update(stock=F("stock") + delta)
    product.refresh_from_db()
    return product
