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
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from marketplace.kernel.caching import changed
from marketplace.kernel.limits import DESCRIPTION_MAX_LENGTH, PRICE_MAX, STOCK_MAX

from ..cache_scopes import product_scopes
from ..models import Category, Product, Vendor
from .catalogue import vendor_require_catalogue_open

# The Traditional Chinese name and description come last and are optional (docs/i18n.md): a file without them
# leaves a product's Chinese text as it is, so a file exported before they existed still imports as it did.
CSV_CHINESE_COLUMNS = ["name_zh_hant", "description_zh_hant"]
CSV_COLUMNS = [
    "sku",
    "name",
    "description",
    "price",
    "partner_price",
    "stock",
    "category",
    "active",
    *CSV_CHINESE_COLUMNS,
]
CSV_REQUIRED = {"name", "price"}
CSV_MAX_ROWS = 5000
# CSV_MAX_ROWS products with descriptions of a few sentences; a bigger catalogue is imported in parts.
CSV_MAX_BYTES = 2 * 1024 * 1024
# A file with every row wrong would list tens of thousands of problems; the first ones say what to fix.
CSV_MAX_PROBLEMS = 100
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection): the export writes
# such a text cell with a leading apostrophe, which spreadsheets show as text, and the import removes it.
CSV_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
TRUE_WORDS = {"1", "true", "yes", "y", "active"}
FALSE_WORDS = {"0", "false", "no", "n", "inactive"}


@dataclass(frozen=True)
class CsvImportResult:
    created: int
    updated: int


def csv_cell_escape(value: str) -> str:
    """The text cell as the export writes it: never a formula when a spreadsheet opens the file."""
    return f"'{value}" if value.startswith(CSV_FORMULA_TRIGGERS) else value


def _csv_cell_unescape(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:].startswith(CSV_FORMULA_TRIGGERS) else value


def _quoted(raw: str) -> str:
    """The user's value for an error message, cut short: a 100 kB cell does not belong in a message."""
    return f"'{raw}'" if len(raw) <= 40 else f"'{raw[:40]}…'"


def _parse_decimal(raw: str, *, required: bool) -> Decimal | None:
    if not raw:
        if required:
            raise ValueError(_("is required"))
        return None
    try:
        value = Decimal(raw.replace(",", ".") if raw.count(",") == 1 and "." not in raw else raw)
    except InvalidOperation as exc:
        raise ValueError(_("%(value)s is not a number") % {"value": _quoted(raw)}) from exc
    if not value.is_finite() or value <= 0:
        raise ValueError(_("must be greater than 0"))
    if value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError(_("has more than 2 decimal places"))
    if value > PRICE_MAX:
        raise ValueError(_("is more than %(max)s") % {"max": f"{PRICE_MAX:,}"})
    return value


def _parse_row(
    row: dict[str, str], categories: dict[str, Category], default_category: Category
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    errors: list[tuple[str, str]] = []
    data: dict[str, Any] = {}
    name = _csv_cell_unescape(row.get("name", "").strip())
    if not name:
        errors.append(("name", _("is required")))
    elif len(name) > 160:
        errors.append(("name", _("is longer than %(max)s characters") % {"max": 160}))
    data["name"] = name
    sku = _csv_cell_unescape(row.get("sku", "").strip())
    if len(sku) > 64:
        errors.append(("sku", _("is longer than %(max)s characters") % {"max": 64}))
    data["sku"] = sku
    description = _csv_cell_unescape(row.get("description", "").strip())
    if len(description) > DESCRIPTION_MAX_LENGTH:
        errors.append(("description", _("is longer than %(max)s characters") % {"max": DESCRIPTION_MAX_LENGTH}))
    data["description"] = description
    for column, limit in (("name_zh_hant", 160), ("description_zh_hant", DESCRIPTION_MAX_LENGTH)):
        if column in row:
            text = _csv_cell_unescape(row[column].strip())
            if len(text) > limit:
                errors.append((column, f"is longer than {limit:,} characters"))
            data[column] = text
    for column, required in (("price", True), ("partner_price", False)):
        try:
            data[column] = _parse_decimal(row.get(column, "").strip(), required=required)
        except ValueError as exc:
            errors.append((column, str(exc)))
    price, partner_price = data.get("price"), data.get("partner_price")
    if price is not None and partner_price is not None and partner_price > price:
        errors.append(("partner_price", _("is higher than the price")))
    stock_raw = row.get("stock", "").strip()
    try:
        data["stock"] = int(stock_raw) if stock_raw else 0
        if not 0 <= data["stock"] <= STOCK_MAX:
            errors.append(("stock", _("must be a whole number from 0 to %(max)s") % {"max": f"{STOCK_MAX:,}"}))
    except ValueError:
        errors.append(("stock", _("%(value)s is not a whole number") % {"value": _quoted(stock_raw)}))
    category_raw = _csv_cell_unescape(row.get("category", "").strip()).lower()
    if category_raw and category_raw not in categories:
        errors.append(
            (
                "category",
                _("unknown category %(value)s: use a category's name or slug from the list")
                % {"value": _quoted(category_raw)},
            )
        )
    data["category"] = categories.get(category_raw, default_category)
    active_raw = row.get("active", "").strip().lower()
    if active_raw in TRUE_WORDS or not active_raw:
        data["active"] = True
    elif active_raw in FALSE_WORDS:
        data["active"] = False
    else:
        errors.append(("active", _("%(value)s is not yes or no") % {"value": _quoted(active_raw)}))
    return data, errors


def _too_big() -> ValidationError:
    return ValidationError(
        {"file": [_("The file is larger than %(mb)s MB; split it.") % {"mb": CSV_MAX_BYTES // (1024 * 1024)}]}
    )


def _read_csv(file: IO[bytes] | IO[str]) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    # The size is known for an upload: refuse a big one before reading a byte. Otherwise read one byte past
    # the limit at most.
    size = getattr(file, "size", None)
    if isinstance(size, int) and size > CSV_MAX_BYTES:
        raise _too_big()
    raw = file.read(CSV_MAX_BYTES + 1)
    if len(raw) > CSV_MAX_BYTES:
        raise _too_big()
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError({"file": [_("The file is not UTF-8 text; save it as CSV (UTF-8).")]}) from exc
    else:
        text = raw.lstrip("\ufeff")
    if "\x00" in text:
        raise ValidationError({"file": [_("The file is not a CSV text file.")]})
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
                raise ValidationError(
                    {"file": [_("The file has more than %(max)s rows; split it.") % {"max": CSV_MAX_ROWS}]}
                )
    except csv.Error as exc:
        raise ValidationError({"file": [_("The file is not valid CSV: %(error)s.") % {"error": exc}]}) from exc
    return header, rows


@transaction.atomic
def catalogue_import_csv(*, vendor: Vendor, file: IO[bytes] | IO[str]) -> CsvImportResult:
    """Import a catalogue CSV (columns: sku, name, description, price, partner_price, stock, category, active,
    and optionally name_zh_hant, description_zh_hant; a category by its name in either language or its slug,
    in any case).

    A file over CSV_MAX_BYTES is refused before it is read, one over CSV_MAX_ROWS before its rows are
    checked. Every row is validated before anything is written; if any row is bad, nothing is imported and the
    ValidationError names each bad row by line number and column. A row whose sku matches an existing
    product of this vendor updates it; other rows create products. One transaction.
    """
    vendor_require_catalogue_open(vendor=vendor)
    header, rows = _read_csv(file)
    missing = CSV_REQUIRED - set(header)
    if missing:
        raise ValidationError(
            {
                "file": [
                    ngettext(
                        "Line 1: the header lacks the column %(columns)s.",
                        "Line 1: the header lacks the columns %(columns)s.",
                        len(missing),
                    )
                    % {"columns": ", ".join(sorted(missing))}
                ]
            }
        )
    if not rows:
        raise ValidationError({"file": [_("The file has no product rows.")]})
    # A category is written by its name as the pages show it ("Coffee & Tea") or by its slug, in any case;
    # should one category's name be another's slug, the slug wins.
    all_categories = list(Category.objects.all())
    categories = {c.name_zh_hant.strip(): c for c in all_categories if c.name_zh_hant.strip()}
    categories.update({c.name.strip().lower(): c for c in all_categories})
    categories.update({c.slug.lower(): c for c in all_categories})
    problems: list[str] = []
    parsed: list[dict[str, Any]] = []
    seen_skus: dict[str, int] = {}
    for line, row in rows:
        data, errors = _parse_row(row, categories, vendor.category)
        if data["sku"]:
            if data["sku"] in seen_skus:
                errors.append(("sku", _("repeats the sku of line %(line)s") % {"line": seen_skus[data["sku"]]}))
            seen_skus.setdefault(data["sku"], line)
        problems.extend(
            _("Line %(line)s, column %(column)s: %(problem)s.") % {"line": line, "column": column, "problem": message}
            for column, message in errors
        )
        parsed.append(data)
    if problems:
        if len(problems) > CSV_MAX_PROBLEMS:
            more = len(problems) - CSV_MAX_PROBLEMS
            problems = [
                *problems[:CSV_MAX_PROBLEMS],
                ngettext(
                    "… and %(count)s more problem; fix these and import again.",
                    "… and %(count)s more problems; fix these and import again.",
                    more,
                )
                % {"count": more},
            ]
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
        columns = [c for c in CSV_COLUMNS if c != "sku" and (c not in CSV_CHINESE_COLUMNS or c in header)]
        Product.objects.bulk_update(to_update, [*columns, "updated_at"], batch_size=500)
    # Bulk writes send no save signals: the vendor's page, the updated products' rows and its card (the count).
    changed(f"vendor:{vendor.pk}", f"vendor-card:{vendor.pk}", *product_scopes(to_update))
    return CsvImportResult(created=len(to_create), updated=len(to_update))
