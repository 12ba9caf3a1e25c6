"""How each vendor charges delivery: a flat amount per order, free over an order amount, and optional rates
for the regions it names. No policy row: delivery is free (as every order was before vendors set one)."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from marketplace.accounts.models import Region
from vendors.models import Vendor


class ShippingPolicy(models.Model):
    vendor = models.OneToOneField(Vendor, on_delete=models.CASCADE, primary_key=True, related_name="shipping_policy")
    flat_rate = models.DecimalField(
        max_digits=10, decimal_places=2, default=Decimal("0.00"), validators=[MinValueValidator(Decimal("0"))]
    )
    # An order whose goods (after promotions) come to this much or more is delivered free; None: never free.
    free_over = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "shipping policies"
        constraints = [
            models.CheckConstraint(condition=Q(flat_rate__gte=0), name="shipping_flat_rate_not_negative"),
            models.CheckConstraint(
                condition=Q(free_over__isnull=True) | Q(free_over__gt=0), name="shipping_free_over_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"Shipping of vendor {self.vendor_id}"


class ShippingRegionRate(models.Model):
    """What delivery to one region costs at one vendor, instead of its flat rate."""

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="shipping_region_rates")
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    rate = models.DecimalField(max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vendor", "region"], name="one_shipping_rate_per_region"),
            models.CheckConstraint(condition=Q(rate__gte=0), name="shipping_region_rate_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.rate} to region {self.region_id} at vendor {self.vendor_id}"
