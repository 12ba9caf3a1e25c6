"""Which of the vendors app's tables feed which cache scopes (marketplace.kernel.caching), declared beside them.

- `vendor:{id}`: one vendor's page: its profile, products (prices, stock, pictures) and the regions it serves.
- `vendor-card:{id}`: what lists show of a vendor (the directory's cards, a search row's vendor): its profile,
  logo, status, category and regions; not its products, so a sale or a restock does not renew the directory.
- `product:{id}`: what lists show of one product (a search row): name, picture, prices, stock; a sale of one
  product renews the searches that list it, not every search that lists another product of its vendor.
- `directory`: which vendors the directory and the home page list, and in what order by name.
- `reference`: categories and regions (and interests: accounts), which many pages name.
- `statistics` (timed): catalogue counts written by triggers, shown at most a timeout late.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models.signals import post_delete, pre_save
from django.dispatch import receiver

from marketplace.kernel.caching import changed, feeds, feeds_m2m, scope_kind

from .models import Category, Product, Vendor

scope_kind("vendor", models=["vendors.Vendor", "vendors.Product", "vendors.Category"], about="one vendor's page")
scope_kind(
    "directory", models=["vendors.Vendor", "vendors.Category"], global_scope=True, about="which vendors are listed"
)
scope_kind("vendor-card", models=["vendors.Vendor", "vendors.Category"], about="what lists show of one vendor")
scope_kind("product", models=["vendors.Product", "vendors.Category"], about="what lists show of one product")
scope_kind("reference", models=["vendors.Category"], global_scope=True, about="categories, regions and interests")
scope_kind("account", models=["vendors.Vendor"], about="an owner's header: has a shop")
scope_kind(
    "statistics",
    models=["vendors.VendorCatalogueStats"],
    timed=True,
    global_scope=True,
    about="figures written by jobs",
)


def _vendor(vendor: Vendor) -> list[str]:
    # The owner's header says "Your shop" (account).
    return [f"vendor:{vendor.pk}", f"vendor-card:{vendor.pk}", "directory", f"account:{vendor.owner_id}"]


@receiver(pre_save, sender=Vendor, dispatch_uid="caching_vendor_owner_changing")
def _previous_owner(sender: Any, instance: Vendor, update_fields: Any = None, raw: bool = False, **kwargs: Any) -> None:
    """A vendor handed to another user (vendor_owner_transfer): the previous owner's header has no shop any
    more. Read only when the owner may be among the fields saved, so other saves cost no query."""
    if raw or instance.pk is None or (update_fields is not None and "owner" not in update_fields):
        return
    previous = Vendor.objects.filter(pk=instance.pk).values_list("owner_id", flat=True).first()
    if previous is not None and previous != instance.owner_id:
        changed(f"account:{previous}")


def _product(product: Product) -> list[str]:
    """A save renews its vendor's page and the lists showing the product; the vendor's card too when the row
    is new or its activity changed (the card counts active products), not for a price or stock edit."""
    scopes = product_scopes([product])
    if getattr(product, "_loaded_active", None) != product.active:
        scopes.append(f"vendor-card:{product.vendor_id}")
        product._loaded_active = product.active  # the next save of this object compares with this one
    return scopes


@receiver(post_delete, sender=Product, dispatch_uid="caching_product_deleted_card")
def _product_deleted(sender: Any, instance: Product, **kwargs: Any) -> None:
    changed(f"vendor-card:{instance.vendor_id}")  # one product fewer on its card


def product_scopes(products: Iterable[Any]) -> list[str]:
    """What a write to these products (rows or anything with pk and vendor_id) renews: their vendors' pages
    and the lists that show them. For the services' bulk writes, which send no signal."""
    products = list(products)
    vendors = sorted({f"vendor:{product.vendor_id}" for product in products})
    return [*vendors, *sorted({f"product:{product.pk}" for product in products})]


def _category(category: Category) -> list[str]:
    return ["reference", "directory"]


def _regions(instance: Any, action: str, reverse: bool, pk_set: Any) -> list[str]:
    if not action.startswith("post_"):
        return []
    if not reverse:  # vendor.regions.add / remove / clear
        return [f"vendor:{instance.pk}", f"vendor-card:{instance.pk}", "directory"]
    return [*(f"vendor:{pk}" for pk in pk_set or ()), *(f"vendor-card:{pk}" for pk in pk_set or ()), "directory"]


feeds(Vendor, _vendor)
feeds(Product, _product)
feeds(Category, _category)
feeds_m2m(Vendor.regions.through, _regions)
