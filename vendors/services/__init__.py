"""Writes of the vendors layer: applying to sell (application.py), the catalogue (catalogue.py) and its CSV
import (catalogue_csv.py). Moderation's writes live in vendors/moderation/services.py."""

from .application import vendor_application_resubmit, vendor_apply
from .catalogue import (
    product_create,
    product_image_check,
    product_set_active,
    product_stock_adjust,
    product_update,
    vendor_require_catalogue_open,
)
from .catalogue_csv import CSV_COLUMNS, CsvImportResult, catalogue_import_csv

__all__ = [
    "CSV_COLUMNS",
    "CsvImportResult",
    "catalogue_import_csv",
    "product_create",
    "product_image_check",
    "product_set_active",
    "product_stock_adjust",
    "product_update",
    "vendor_application_resubmit",
    "vendor_apply",
    "vendor_require_catalogue_open",
]
