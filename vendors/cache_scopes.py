"""Which of the vendors app's tables feed which cache scopes (marketplace.kernel.caching), declared beside them.

- `vendor:{id}`: one vendor's page: its profile, products (prices, stock, pictures) and the regions it serves.
- `directory`: which vendors the directory and the home page list, and in what order by name.
- `reference`: categories and regions (and interests: accounts), which many pages name.
- `statistics` (timed): catalogue counts written by triggers, shown at most a timeout late.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import pre_save
from django.dispatch import receiver

from marketplace.kernel.caching import changed, feeds, feeds_m2m, scope_kind

from .models import Category, Product, Vendor

scope_kind("vendor", models=["vendors.Vendor", "vendors.Product", "vendors.Category"], about="one vendor's page")
scope_kind(
    "directory", models=["vendors.Vendor", "vendors.Category"], global_scope=True, about="which vendors are listed"
)
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
    return [f"vendor:{vendor.pk}", "directory", f"account:{vendor.owner_id}"]  # the owner's header: "Your shop"


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
    return [f"vendor:{product.vendor_id}"]


def _category(category: Category) -> list[str]:
    return ["reference", "directory"]


def _regions(instance: Any, action: str, reverse: bool, pk_set: Any) -> list[str]:
    if not action.startswith("post_"):
        return []
    if not reverse:  # vendor.regions.add / remove / clear
        return [f"vendor:{instance.pk}", "directory"]
    return [*(f"vendor:{pk}" for pk in pk_set or ()), "directory"]


feeds(Vendor, _vendor)
feeds(Product, _product)
feeds(Category, _category)
feeds_m2m(Vendor.regions.through, _regions)
