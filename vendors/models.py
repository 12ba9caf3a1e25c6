"""Vendors, their catalogue, and the moderation that keeps the marketplace clean."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from marketplace.accounts.models import Region


class Category(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class VendorQuerySet(models.QuerySet["Vendor"]):
    def approved(self) -> VendorQuerySet:
        return self.filter(status=Vendor.Status.APPROVED)


class Vendor(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SUSPENDED = "suspended", "Suspended"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="vendors")
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    description = models.TextField(blank=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="vendors")
    regions = models.ManyToManyField(Region, blank=True, related_name="vendors", verbose_name="regions served")
    contact_email = models.EmailField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    status_reason = models.TextField(blank=True, help_text="Why it was rejected or suspended; the vendor sees it.")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    objects = VendorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["status", "created_at"], name="vendor_status_created_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("shop:vendor-detail", kwargs={"slug": self.slug})

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


class ProductQuerySet(models.QuerySet["Product"]):
    def purchasable(self) -> ProductQuerySet:
        return self.filter(active=True, vendor__status=Vendor.Status.APPROVED)


class Product(models.Model):
    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="products")
    category = models.ForeignKey(Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="products")
    name = models.CharField(max_length=160)
    sku = models.CharField(max_length=64, blank=True)
    description = models.TextField(blank=True)
    price = models.DecimalField(max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))])
    partner_price = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="Only the vendor's current partners see and pay this price.",
    )
    stock = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True)
    image = models.ImageField(upload_to="products/%Y/%m/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(stock__gte=0), name="product_stock_not_negative"),
            models.CheckConstraint(condition=Q(price__gt=0), name="product_price_positive"),
            models.CheckConstraint(
                condition=Q(partner_price__isnull=True) | Q(partner_price__gt=0), name="product_partner_price_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["vendor", "active", "created_at"], name="product_vendor_active_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("shop:product-detail", kwargs={"pk": self.pk})

    @property
    def in_stock(self) -> bool:
        return self.stock > 0


class ModerationAction(models.Model):
    """Append-only audit log of every moderation action."""

    class Kind(models.TextChoices):
        APPROVE = "approve", "Approved application"
        REJECT = "reject", "Rejected application"
        SUSPEND = "suspend", "Suspended vendor"
        REINSTATE = "reinstate", "Reinstated vendor"
        REPORT_RESOLVED = "report_resolved", "Resolved report"
        REPORT_DISMISSED = "report_dismissed", "Dismissed report"

    moderator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="moderation_actions")
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="moderation_actions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.vendor} by {self.moderator}"


class VendorReport(models.Model):
    class Reason(models.TextChoices):
        FRAUD = "fraud", "Fraud or scam"
        NOT_DELIVERED = "not_delivered", "Order not delivered"
        COUNTERFEIT = "counterfeit", "Counterfeit or misdescribed goods"
        ABUSE = "abuse", "Abusive behaviour"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"
        DISMISSED = "dismissed", "Dismissed"

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="vendor_reports"
    )
    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    text = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "vendor"], condition=Q(status="open"), name="one_open_report_per_consumer_vendor"
            )
        ]

    def __str__(self) -> str:
        return f"Report on {self.vendor} ({self.get_status_display()})"


class VendorFlag(models.Model):
    """An early warning raised by the statistics job or by reports; moderators see it atop the queue."""

    class Kind(models.TextChoices):
        ENDINGS_SPIKE = "endings_spike", "Ended partnerships far above usual"
        REPORTS = "reports", "Several open reports"

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    details = models.JSONField(default=dict)
    raised_at = models.DateTimeField(auto_now_add=True)
    cleared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "kind"], condition=Q(cleared_at__isnull=True), name="one_open_flag_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.vendor}"
