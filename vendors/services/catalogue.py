"""The catalogue: products, their images, stock and activity. Every function takes the vendor the
signed-in owner runs, so a product id of another vendor answers NotFoundError."""

from __future__ import annotations

import io
import logging
import uuid
import warnings
from decimal import Decimal
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from marketplace.kernel.caching import changed
from marketplace.kernel.enqueue import enqueue_safely
from marketplace.kernel.errors import ForbiddenError, NotFoundError
from marketplace.kernel.limits import STOCK_MAX

from ..cache_scopes import product_scopes
from ..models import Category, Product, Vendor
from .thumbnails import CROP, PRODUCT_SIZES

logger = logging.getLogger(__name__)

# --- Images -------------------------------------------------------------------------------------------------
# Every upload is decoded and drawn again by Pillow: the stored file holds nothing of the upload but its
# pixels (no trailing HTML or script, no EXIF, no text chunks), under a generated name whose extension is the
# format actually written, so the media routes (which serve image extensions only, with nosniff) and the S3
# store (content type from the name) always hand it out as the image it is.

IMAGE_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")  # what Pillow may read an upload as; nothing else is tried
NOT_AN_IMAGE = gettext_lazy("Upload a JPEG, PNG, GIF or WebP image.")
# The stored image's longest side: enough for any page here, and it keeps every thumbnail cheap to make.
IMAGE_MAX_SIDE = 2000
JPEG_QUALITY = 85
SRGB = ImageCms.createProfile("sRGB")

# Pillow's own bomb guard, for every decode in this process (sorl-thumbnail's too): it warns above the limit
# and refuses above twice it. image_check refuses anything above the limit, from the header.
Image.MAX_IMAGE_PIXELS = settings.MARKETPLACE["MAX_IMAGE_PIXELS"]

# The sizes the templates show, made after each upload so that no page request decodes an image.
PRODUCT_THUMBNAILS: tuple[tuple[str, dict[str, Any]], ...] = tuple((size, dict(CROP)) for size in PRODUCT_SIZES)


def vendor_require_catalogue_open(*, vendor: Vendor) -> None:
    """Pending and approved vendors keep a catalogue; suspended or rejected ones are told why not."""
    if vendor.status == Vendor.Status.SUSPENDED:
        raise ForbiddenError(
            _("Your vendor is suspended: %(reason)s.")
            % {"reason": vendor.status_reason or _("see the moderators’ message")}
        )
    if vendor.status == Vendor.Status.REJECTED:
        raise ForbiddenError(_("Your application was rejected; correct and resubmit it before editing the catalogue."))


def _pixel_limit_message(*, size: tuple[int, int] | None) -> str:
    limit = settings.MARKETPLACE["MAX_IMAGE_PIXELS"]
    megapixels = f"{limit / 1_000_000:g}"
    side = int(limit**0.5)
    if size is None:  # Pillow refused it before we saw the header: over twice its limit
        found = _("The image has more than %(megapixels)s megapixels") % {
            "megapixels": f"{2 * (Image.MAX_IMAGE_PIXELS or limit) / 1_000_000:g}"
        }
    else:
        found = _("The image is %(width)s × %(height)s pixels") % {"width": size[0], "height": size[1]}
    return _("%(found)s; at most %(megapixels)s megapixels are accepted (for example %(side)s × %(side)s).") % {
        "found": found,
        "megapixels": megapixels,
        "side": side,
    }


def _image_open(image: UploadedFile, field: str) -> Image.Image:
    """Open the upload lazily (Pillow reads the header only) and refuse it, on `field`, unless it is an
    accepted format within the byte and pixel limits. Nothing is decoded here."""
    limit = settings.MARKETPLACE["MAX_IMAGE_BYTES"]
    too_large = ValidationError(
        {field: [_("The image is larger than %(megabytes)s MB.") % {"megabytes": f"{limit / (1024 * 1024):g}"}]}
    )
    if image.size is not None and image.size > limit:
        raise too_large
    # Pillow gets a copy of its own, so closing the image never closes the upload.
    image.seek(0)
    content = image.read(limit + 1)
    image.seek(0)
    if len(content) > limit:  # more than the upload declared
        raise too_large
    data = io.BytesIO(content)
    try:
        with warnings.catch_warnings():
            # Between the limit and twice it Pillow only warns; the size check below refuses those clearly.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            picture = Image.open(data, formats=IMAGE_FORMATS)
    except Image.DecompressionBombError as exc:
        raise ValidationError({field: [_pixel_limit_message(size=None)]}) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError({field: [NOT_AN_IMAGE]}) from exc
    width, height = picture.size
    if width < 1 or height < 1:
        picture.close()
        raise ValidationError({field: [NOT_AN_IMAGE]})
    if width * height > settings.MARKETPLACE["MAX_IMAGE_PIXELS"]:
        picture.close()
        raise ValidationError({field: [_pixel_limit_message(size=(width, height))]})
    return picture


def image_check(*, image: UploadedFile | None, field: str = "image") -> None:
    """Refuse (ValidationError on `field`) an upload that is not a JPEG, PNG, GIF or WebP, or is over the
    byte or pixel limit (MARKETPLACE["MAX_IMAGE_BYTES"], ["MAX_IMAGE_PIXELS"]). Reads the header only, never
    decodes the pixels; image_prepare makes the image that is stored."""
    if image is None:
        return
    _image_open(image, field).close()


def product_image_check(*, image: UploadedFile | None) -> None:
    """image_check for a product's image."""
    image_check(image=image, field="image")


def _has_alpha(picture: Image.Image) -> bool:
    return picture.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in picture.info


def _redraw(picture: Image.Image) -> tuple[Image.Image, str]:
    """Decode the first frame, turn it upright (EXIF orientation), into sRGB, no larger than IMAGE_MAX_SIDE.
    Returns the new image, with no metadata, and the format to write: PNG for transparency or a lossless
    source (GIF, PNG: drawings, logos), JPEG for the rest (photos)."""
    source_format = picture.format
    icc_profile = picture.info.get("icc_profile")
    alpha = _has_alpha(picture)
    if source_format == "JPEG":
        # A large JPEG is decoded at 1/2, 1/4 or 1/8 scale when that still covers the stored size.
        picture.draft(None, (IMAGE_MAX_SIDE, IMAGE_MAX_SIDE))
    picture.load()
    upright = ImageOps.exif_transpose(picture)
    target_mode = "RGBA" if alpha else ("L" if upright.mode in ("1", "L") else "RGB")
    if upright.mode not in ("RGB", "RGBA", "L", "CMYK"):
        upright = upright.convert("RGBA" if alpha else "RGB")
    redrawn: Image.Image | None = None
    if icc_profile:
        try:
            source_profile = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
            redrawn = ImageCms.profileToProfile(upright, source_profile, SRGB, outputMode=target_mode)
        except (ImageCms.PyCMSError, OSError, ValueError):
            redrawn = None  # a broken profile, or one for another colour space: converted plainly below
    if redrawn is None:
        redrawn = upright if upright.mode == target_mode else upright.convert(target_mode)
    redrawn.thumbnail((IMAGE_MAX_SIDE, IMAGE_MAX_SIDE), Image.Resampling.LANCZOS)
    redrawn.info = {}
    return redrawn, "PNG" if alpha or source_format in ("PNG", "GIF") else "JPEG"


def image_prepare(*, image: UploadedFile | None, field: str = "image") -> ContentFile[bytes] | None:
    """The file to store for any uploaded image (a product's image, a vendor's logo): checked as image_check
    does, then decoded and re-encoded by Pillow as PNG or JPEG (see _redraw), with EXIF and every other
    metadata dropped, under a new random name with the extension of the format written. Raises
    ValidationError on `field` for anything that is not a readable image within the limits; writes nothing."""
    if image is None:
        return None
    with _image_open(image, field) as picture:
        try:
            redrawn, image_format = _redraw(picture)
            buffer = io.BytesIO()
            if image_format == "JPEG":
                redrawn.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
            else:
                redrawn.save(buffer, "PNG")
        # A malformed file can make Pillow's decoders raise almost anything (Django's ImageField catches
        # Exception for the same reason); each is a bad upload, answered on the field, never a 500.
        except Exception as exc:
            logger.info("Refused an image upload Pillow could not decode: %s: %s", type(exc).__name__, exc)
            raise ValidationError({field: [NOT_AN_IMAGE]}) from exc
    extension = "jpg" if image_format == "JPEG" else "png"
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")


def _thumbnails_enqueue(product_id: int) -> None:
    # Imported here: the task module imports these services. A task lost to a broker outage costs only
    # speed: sorl-thumbnail makes a missing thumbnail on the first page that shows it.
    from ..tasks import product_thumbnails_generate_task

    enqueue_safely(product_thumbnails_generate_task, product_id)


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
        errors["partner_price"] = [_("The partner price cannot be higher than the public price.")]
    if errors:
        raise ValidationError(errors)


def _product_save(product: Product, stored_image: ContentFile[bytes] | None) -> None:
    """Check and save a new or changed product inside the caller's transaction, with its new image (from
    image_prepare) if any, whose thumbnails are made after commit."""
    _check_product(product)
    if stored_image is not None:
        product.image = stored_image
        product.thumbnails = {}  # the old image's; the task stores the new one's
    product.save()
    if stored_image is not None:
        transaction.on_commit(partial(_thumbnails_enqueue, product.pk))


def _product_for_update(vendor: Vendor, product_id: int) -> Product:
    product = Product.objects.select_for_update().filter(vendor=vendor, pk=product_id).first()
    if product is None:
        raise NotFoundError(_("No such product in your catalogue."))
    return product


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
    name_zh_hant: str = "",
    description_zh_hant: str = "",
) -> Product:
    """Add a product to the vendor's catalogue. Atomic. An image is stored only as Pillow re-encoded it
    (image_prepare), decoded before the transaction opens; its thumbnails are made after commit. The name and
    description in Traditional Chinese are optional: readers of Chinese see them (docs/i18n.md)."""
    vendor_require_catalogue_open(vendor=vendor)
    stored_image = image_prepare(image=image, field="image")
    with transaction.atomic():
        product = Product(
            vendor=vendor,
            name=name.strip(),
            name_zh_hant=name_zh_hant.strip(),
            sku=sku.strip(),
            description=description.strip(),
            description_zh_hant=description_zh_hant.strip(),
            price=price,
            partner_price=partner_price,
            stock=stock,
            category=category or vendor.category,
            active=active,
        )
        _product_save(product, stored_image)
    return product


PRODUCT_EDITABLE = {
    "name",
    "name_zh_hant",
    "sku",
    "description",
    "description_zh_hant",
    "price",
    "partner_price",
    "stock",
    "category",
    "active",
}


def product_update(*, vendor: Vendor, product_id: int, image: UploadedFile | None = None, **changes: Any) -> Product:
    """Change a product of the vendor's own catalogue (only the fields given). Atomic, row locked. A new image
    is re-encoded as in product_create, before the row is locked; its thumbnails are made after commit."""
    unknown = set(changes) - PRODUCT_EDITABLE
    if unknown:
        raise ValidationError({field: [_("This field cannot be changed.")] for field in sorted(unknown)})
    vendor_require_catalogue_open(vendor=vendor)
    stored_image = image_prepare(image=image, field="image")
    with transaction.atomic():
        product = _product_for_update(vendor, product_id)
        for field, value in changes.items():
            setattr(product, field, value.strip() if isinstance(value, str) else value)
        _product_save(product, stored_image)
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
        raise ValidationError({"delta": [_("Enter a change other than zero.")]})
    product = _product_for_update(vendor, product_id)
    if product.stock + delta < 0:
        raise ValidationError(
            {
                "delta": [
                    _("Only %(stock)s in stock; you cannot remove %(remove)s.")
                    % {"stock": product.stock, "remove": -delta}
                ]
            }
        )
    if product.stock + delta > STOCK_MAX:
        raise ValidationError(
            {
                "delta": [
                    _("Stock cannot go above %(max)s units; it is %(stock)s now.")
                    % {"max": f"{STOCK_MAX:,}", "stock": f"{product.stock:,}"}
                ]
            }
        )
    Product.objects.filter(pk=product.pk).update(stock=F("stock") + delta)
    changed(*product_scopes([product]))
    product.refresh_from_db()
    return product
