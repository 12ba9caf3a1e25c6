"""Writes of the vendor workspace: the application to sell, the catalogue, its CSV import and stock.

Moderation (approve, reject, suspend, reinstate) lives in vendors/moderation.py. Every function here takes
the vendor the signed-in owner runs (views look it up with selectors.vendor_get_for_owner), so one vendor
can never reach another vendor's products: a product id of another vendor answers NotFoundError.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, UnidentifiedImageError

from marketplace.accounts.models import Region, User
from marketplace.errors import ConflictError, ForbiddenError, NotFoundError

from .models import Category, Product, Vendor
from .signals import vendor_status_changed

IMAGE_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}
CSV_COLUMNS = ["sku", "name", "description", "price", "partner_price", "stock", "category", "active"]
CSV_REQUIRED = {"name", "price"}
CSV_MAX_ROWS = 5000
TRUE_WORDS = {"1", "true", "yes", "y", "active"}
FALSE_WORDS = {"0", "false", "no", "n", "inactive"}


# --- Applying to sell ----------------------------------------------------------------------------------


def _unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:120] or "vendor"
    slug, n = base, 1
    taken = Vendor.objects.exclude(pk=exclude_pk) if exclude_pk else Vendor.objects.all()
    while taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _check_application(*, name: str, category: Category | None, contact_email: str) -> None:
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = ["Enter your business name."]
    if category is None:
        errors["category"] = ["Choose the category you sell in."]
    if contact_email:
        try:
            validate_email(contact_email)
        except ValidationError:
            errors["contact_email"] = ["Enter a valid email address."]
    else:
        errors["contact_email"] = ["Enter an email address customers and moderators can reach you at."]
    if errors:
        raise ValidationError(errors)


def _announce_status(vendor_id: int, old_status: str, new_status: str) -> None:
    transaction.on_commit(
        lambda: vendor_status_changed.send(
            sender=Vendor, vendor_id=vendor_id, old_status=old_status, new_status=new_status
        )
    )


@transaction.atomic
def vendor_apply(
    *,
    owner: User,
    name: str,
    description: str,
    category: Category | None,
    regions: Iterable[Region],
    contact_email: str,
) -> Vendor:
    """Apply to sell: creates the owner's vendor, pending until a moderator approves it.

    Atomic. One vendor per owner: a second application is refused (ConflictError); a rejected applicant
    corrects and resubmits with vendor_application_resubmit instead.
    """
    _check_application(name=name, category=category, contact_email=contact_email)
    # Locking the user row serialises two simultaneous submits of the same owner.
    User.objects.select_for_update().filter(pk=owner.pk).first()
    if Vendor.objects.filter(owner=owner).exists():
        raise ConflictError("You have already applied to sell; see your application in your workspace.")
    vendor = Vendor.objects.create(
        owner=owner,
        name=name.strip(),
        slug=_unique_slug(name),
        description=description.strip(),
        category=category,
        contact_email=contact_email.strip(),
        status=Vendor.Status.PENDING,
    )
    vendor.regions.set(list(regions))
    return vendor


@transaction.atomic
def vendor_application_resubmit(
    *,
    owner: User,
    name: str,
    description: str,
    category: Category | None,
    regions: Iterable[Region],
    contact_email: str,
) -> Vendor:
    """Correct a pending or rejected application; a rejected one goes back to pending for moderators.

    Atomic. An approved or suspended vendor cannot resubmit (ConflictError): its status is the moderators'.
    """
    vendor = Vendor.objects.select_for_update().filter(owner=owner).order_by("id").first()
    if vendor is None:
        raise NotFoundError("You have not applied to sell yet.")
    if vendor.status not in (Vendor.Status.PENDING, Vendor.Status.REJECTED):
        raise ConflictError(f"Your vendor is {vendor.get_status_display().lower()}; the application is closed.")
    _check_application(name=name, category=category, contact_email=contact_email)
    old_status = vendor.status
    if vendor.name != name.strip():
        vendor.slug = _unique_slug(name, exclude_pk=vendor.pk)
    vendor.name = name.strip()
    vendor.description = description.strip()
    vendor.category = category  # type: ignore[assignment]
    vendor.contact_email = contact_email.strip()
    vendor.status = Vendor.Status.PENDING
    vendor.status_reason = ""
    vendor.save()
    vendor.regions.set(list(regions))
    if old_status != vendor.status:
        _announce_status(vendor.pk, old_status, vendor.status)
    return vendor


# --- Catalogue -------------------------------------------------------------------------------------------


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


# --- CSV import ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CsvImportResult:
    created: int
    updated: int


def _parse_decimal(raw: str, *, required: bool) -> Decimal | None:
    if not raw:
        if required:
            raise ValueError("is required")
        return None
    try:
        value = Decimal(raw.replace(",", ".") if raw.count(",") == 1 and "." not in raw else raw)
    except InvalidOperation as exc:
        raise ValueError(f"'{raw}' is not a number") from exc
    if not value.is_finite() or value <= 0:
        raise ValueError("must be greater than 0")
    if value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError("has more than 2 decimal places")
    if value >= Decimal("100000000"):
        raise ValueError("is too large")
    return value


def _parse_row(
    row: dict[str, str], categories: dict[str, Category], default_category: Category
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    errors: list[tuple[str, str]] = []
    data: dict[str, Any] = {}
    name = row.get("name", "").strip()
    if not name:
        errors.append(("name", "is required"))
    elif len(name) > 160:
        errors.append(("name", "is longer than 160 characters"))
    data["name"] = name
    sku = row.get("sku", "").strip()
    if len(sku) > 64:
        errors.append(("sku", "is longer than 64 characters"))
    data["sku"] = sku
    data["description"] = row.get("description", "").strip()
    for column, required in (("price", True), ("partner_price", False)):
        try:
            data[column] = _parse_decimal(row.get(column, "").strip(), required=required)
        except ValueError as exc:
            errors.append((column, str(exc)))
    price, partner_price = data.get("price"), data.get("partner_price")
    if price is not None and partner_price is not None and partner_price > price:
        errors.append(("partner_price", "is higher than the price"))
    stock_raw = row.get("stock", "").strip()
    try:
        data["stock"] = int(stock_raw) if stock_raw else 0
        if data["stock"] < 0 or data["stock"] > 2_000_000_000:
            errors.append(("stock", "must be a whole number from 0"))
    except ValueError:
        errors.append(("stock", f"'{stock_raw}' is not a whole number"))
    category_raw = row.get("category", "").strip().lower()
    if category_raw and category_raw not in categories:
        errors.append(("category", f"unknown category '{category_raw}'"))
    data["category"] = categories.get(category_raw, default_category)
    active_raw = row.get("active", "").strip().lower()
    if active_raw in TRUE_WORDS or not active_raw:
        data["active"] = True
    elif active_raw in FALSE_WORDS:
        data["active"] = False
    else:
        errors.append(("active", f"'{active_raw}' is not yes or no"))
    return data, errors


def _read_csv(file: IO[bytes] | IO[str]) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    raw = file.read()
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError({"file": ["The file is not UTF-8 text; save it as CSV (UTF-8)."]}) from exc
    else:
        text = raw.lstrip("\ufeff")
    if "\x00" in text:
        raise ValidationError({"file": ["The file is not a CSV text file."]})
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
        reader.fieldnames = header
        rows = []
        for row in reader:
            # line_num counts physical lines, so a quoted field spanning lines still points at its row's end.
            cleaned = {k: (v or "") for k, v in row.items() if isinstance(k, str)}
            if any(value.strip() for value in cleaned.values()):
                rows.append((reader.line_num, cleaned))
            if len(rows) > CSV_MAX_ROWS:
                raise ValidationError({"file": [f"The file has more than {CSV_MAX_ROWS} rows; split it."]})
    except csv.Error as exc:
        raise ValidationError({"file": [f"The file is not valid CSV: {exc}."]}) from exc
    return header, rows


@transaction.atomic
def catalogue_import_csv(*, vendor: Vendor, file: IO[bytes] | IO[str]) -> CsvImportResult:
    """Import a catalogue CSV (columns: sku, name, description, price, partner_price, stock, category, active).

    Every row is validated before anything is written; if any row is bad, nothing is imported and the
    ValidationError names each bad row by line number and column. A row whose sku matches an existing
    product of this vendor updates it; other rows create products. One transaction.
    """
    vendor_require_catalogue_open(vendor=vendor)
    header, rows = _read_csv(file)
    missing = CSV_REQUIRED - set(header)
    if missing:
        raise ValidationError({"file": [f"Line 1: the header lacks the column(s) {', '.join(sorted(missing))}."]})
    if not rows:
        raise ValidationError({"file": ["The file has no product rows."]})
    categories = {c.slug: c for c in Category.objects.all()}
    problems: list[str] = []
    parsed: list[dict[str, Any]] = []
    seen_skus: dict[str, int] = {}
    for line, row in rows:
        data, errors = _parse_row(row, categories, vendor.category)
        if data["sku"]:
            if data["sku"] in seen_skus:
                errors.append(("sku", f"repeats the sku of line {seen_skus[data['sku']]}"))
            seen_skus.setdefault(data["sku"], line)
        problems.extend(f"Line {line}, column {column}: {message}." for column, message in errors)
        parsed.append(data)
    if problems:
        raise ValidationError({"file": problems})
    skus = [d["sku"] for d in parsed if d["sku"]]
    existing = {p.sku: p for p in Product.objects.select_for_update().filter(vendor=vendor, sku__in=skus)}
    to_create: list[Product] = []
    to_update: list[Product] = []
    now = timezone.now()
    for data in parsed:
        product = existing.get(data["sku"]) if data["sku"] else None
        if product is None:
            to_create.append(Product(vendor=vendor, **data))
        else:
            for field, value in data.items():
                setattr(product, field, value)
            product.updated_at = now
            to_update.append(product)
    Product.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        Product.objects.bulk_update(to_update, [*(c for c in CSV_COLUMNS if c != "sku"), "updated_at"], batch_size=500)
    return CsvImportResult(created=len(to_create), updated=len(to_update))
