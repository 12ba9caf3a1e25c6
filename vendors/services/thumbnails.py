"""Thumbnails made once and remembered on the row: after a product's image or a vendor's logo is saved, a task
makes every size the templates show (sorl-thumbnail) and stores each one's file name, width and height on the
row (`Product.thumbnails`, `Vendor.logo_thumbnails`). A page then writes the <img> from what it already read
(the row, or the kept value made from it): no key-value lookup per card, no image decoded in a request.

A row whose thumbnails are not stored yet (the task has not run, the broker was down) is still drawn: the
template falls back to sorl-thumbnail's tag, which finds or makes the file, as before."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.fields.files import ImageFieldFile
from sorl.thumbnail import get_thumbnail

from marketplace.kernel.caching import changed

from ..cache_scopes import product_scopes
from ..models import Product, Vendor

CROP = {"crop": "center"}
# The sizes the templates show, with the same options: shop/_product_picture.html (cards 240x180, the product
# page 480x360, the compare table 160x120) and sell/_product_row.html (48x48); shop/_vendor_logo.html (cards
# 64x64, the vendor page 96x96, My partners 48x48).
PRODUCT_SIZES = ("48x48", "160x120", "240x180", "480x360")
LOGO_SIZES = ("48x48", "64x64", "96x96")


def thumbnails_make(image: ImageFieldFile | str, sizes: tuple[str, ...]) -> dict[str, list[Any]]:
    """Each size's thumbnail of `image` (a field's file, or a stored file's name), made or found made:
    {"240x180": [file name, width, height]}."""
    made = {}
    for size in sizes:
        thumb = get_thumbnail(image, size, **CROP)
        made[size] = [thumb.name, int(thumb.width), int(thumb.height)]
    return made


def product_thumbnails_generate(*, product_id: int) -> int:
    """Make the product image's thumbnails in every size the templates use and store them on the product (only
    if its image is still the one they were made of). Idempotent: sorl-thumbnail's key-value store hands back a
    thumbnail already made. A product without an image, or deleted meanwhile, makes nothing. Returns how many
    sizes are ready."""
    product = Product.objects.filter(pk=product_id).only("pk", "vendor_id", "image").first()
    if product is None or not product.image:
        return 0
    made = thumbnails_make(product.image, PRODUCT_SIZES)
    with transaction.atomic():
        if Product.objects.filter(pk=product.pk, image=product.image.name).update(thumbnails=made):
            changed(*product_scopes([product]))  # its cards, pages and rows now show the stored thumbnails
    return len(made)


def vendor_logo_thumbnails_generate(*, vendor_id: int) -> int:
    """As product_thumbnails_generate, for a vendor's logo."""
    vendor = Vendor.objects.filter(pk=vendor_id).only("pk", "logo").first()
    if vendor is None or not vendor.logo:
        return 0
    made = thumbnails_make(vendor.logo, LOGO_SIZES)
    with transaction.atomic():
        if Vendor.objects.filter(pk=vendor.pk, logo=vendor.logo.name).update(logo_thumbnails=made):
            changed(f"vendor:{vendor.pk}", f"vendor-card:{vendor.pk}")
    return len(made)
