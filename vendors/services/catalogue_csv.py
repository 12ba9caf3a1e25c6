"""CSV import of a catalogue: all or nothing, every bad line and column named."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..models import Category, Product, Vendor
from .catalogue import vendor_require_catalogue_open

CSV_COLUMNS = ["sku", "name", "description", "price", "partner_price", "stock", "category", "active"]
CSV_REQUIRED = {"name", "price"}
CSV_MAX_ROWS = 5000
TRUE_WORDS = {"1", "true", "yes", "y", "active"}
FALSE_WORDS = {"0", "false", "no", "n", "inactive"}



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
