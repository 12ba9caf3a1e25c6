"""Vendors, their catalogue, and the moderation that keeps the marketplace clean."""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, F, OuterRef, Q, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.models import Region
from marketplace.kernel.labels import ChoiceLabels
from marketplace.kernel.languages import Bilingual


class Category(Bilingual, models.Model):
    name = models.CharField(max_length=80, unique=True)
    # The name in Traditional Chinese; readers of Chinese see it (marketplace.kernel.languages).
    name_zh_hant = models.CharField("name in Traditional Chinese", max_length=80, blank=True)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.shown_name


class VendorQuerySet(models.QuerySet["Vendor"]):
    def approved(self) -> VendorQuerySet:
        return self.filter(status=Vendor.Status.APPROVED)

    def with_regions_served(self) -> VendorQuerySet:
        """Each vendor's regions for Vendor.regions_served, read in the list's own query (two arrays, by region
        name), not a prefetch query per page."""
        served = Vendor.regions.through.objects.filter(vendor_id=OuterRef("pk")).order_by("region__name", "region_id")
        return self.annotate(
            region_codes=ArraySubquery(served.values("region__code")),
            region_names=ArraySubquery(served.values("region__name")),
            region_names_zh_hant=ArraySubquery(served.values("region__name_zh_hant")),
        )


class Vendor(ChoiceLabels, Bilingual, models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        SUSPENDED = "suspended", _("Suspended")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="vendors")
    # The shop's name and description as its vendor writes them (English, or their only language), and in
    # Traditional Chinese when they give it: readers see their language, else the other (docs/i18n.md).
    name = models.CharField(max_length=120)
    name_zh_hant = models.CharField("name in Traditional Chinese", max_length=120, blank=True)
    slug = models.SlugField(max_length=140, unique=True)
    description = models.TextField(blank=True)
    description_zh_hant = models.TextField("description in Traditional Chinese", blank=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="vendors")
    regions = models.ManyToManyField(Region, blank=True, related_name="vendors", verbose_name="regions served")
    contact_email = models.EmailField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    status_reason = models.TextField(blank=True, help_text="Why it was rejected or suspended; the vendor sees it.")
    logo = models.ImageField(upload_to="vendors/logos/", blank=True)
    # {"64x64": [file name, width, height]} for each size the templates show (services/thumbnails.py).
    logo_thumbnails = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    # Name (A), category name (B), description (C), each in both languages, Chinese as overlapping pairs of
    # characters; written only by PostgreSQL triggers (migrations 0003, 0008), which also index it (GIN) and the
    # name (trigram).
    search = SearchVectorField(null=True, editable=False)

    objects = VendorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="vendor_status_created_idx"),
            # The directory's default order and its deep pages walk this index instead of sorting every vendor.
            models.Index(fields=["name", "id"], condition=Q(status="approved"), name="vendor_approved_name_idx"),
            # Newest first (approved_at DESC NULLS LAST) has its index in migration 0003 (raw SQL).
        ]

    def __str__(self) -> str:
        return self.shown_name

    def get_absolute_url(self) -> str:
        return reverse("shop:vendor-detail", kwargs={"slug": self.slug})

    def regions_served(self) -> list[Region]:
        """The regions it serves, by name: from a listing's `region_codes` and `region_names` arrays where it
        read them in its own query (the directory on PostgreSQL), else from its regions (prefetched or not)."""
        codes = getattr(self, "region_codes", None)
        if codes is None:
            return list(self.regions.all())
        chinese = getattr(self, "region_names_zh_hant", None) or [""] * len(codes)
        return [
            Region(code=code, name=name, name_zh_hant=zh)
            for code, name, zh in zip(codes, self.region_names, chinese, strict=True)
        ]

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


class ProductQuerySet(models.QuerySet["Product"]):
    def purchasable(self) -> ProductQuerySet:
        return self.filter(active=True, vendor__status=Vendor.Status.APPROVED)

    def with_unit_price(self, *, partner_vendor_ids: Collection[int]) -> ProductQuerySet:
        """Annotate `your_price`: Product.unit_price_for in SQL, for lists (the same rule, one home). The
        consumer is a current partner of the vendors in `partner_vendor_ids` (a small set per consumer)."""
        if not partner_vendor_ids:
            return self.annotate(your_price=F("price"))
        return self.annotate(
            your_price=Case(
                When(vendor_id__in=list(partner_vendor_ids), partner_price__isnull=False, then=F("partner_price")),
                default=F("price"),
                output_field=models.DecimalField(max_digits=10, decimal_places=2),
            )
        )


class Product(Bilingual, models.Model):
    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="products")
    category = models.ForeignKey(Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="products")
    # As the vendor writes them, and in Traditional Chinese when given (as Vendor's).
    name = models.CharField(max_length=160)
    name_zh_hant = models.CharField("name in Traditional Chinese", max_length=160, blank=True)
    sku = models.CharField(max_length=64, blank=True)
    description = models.TextField(blank=True)
    description_zh_hant = models.TextField("description in Traditional Chinese", blank=True)
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
    # {"240x180": [file name, width, height]} for each size the templates show (services/thumbnails.py).
    thumbnails = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Name (A), vendor name (B), description (C), each in both languages, Chinese as overlapping pairs of
    # characters; written only by PostgreSQL triggers (migrations 0003, 0008), also on a vendor's renaming, and
    # GIN-indexed there with a trigram index on the name.
    search = SearchVectorField(null=True, editable=False)

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
            # The product list without a query, in name order, walks this index instead of sorting every product.
            models.Index(fields=["name", "id"], condition=Q(active=True), name="product_active_name_idx"),
            # The product list sorted by price or newest with no search text walks these, in either direction.
            models.Index(fields=["price", "id"], condition=Q(active=True), name="product_active_price_idx"),
            models.Index(fields=["created_at", "id"], condition=Q(active=True), name="product_active_created_idx"),
        ]

    def __str__(self) -> str:
        return self.shown_name

    def get_absolute_url(self) -> str:
        return reverse("shop:product-detail", kwargs={"pk": self.pk})

    @classmethod
    def from_db(cls, db: Any, field_names: Any, values: Any) -> Product:
        """A row as read, remembering whether it was active: the directory's cards count active products, so
        a save that changes activity renews them (cache_scopes.py) and one that changes a price does not."""
        instance = super().from_db(db, field_names, values)
        instance._loaded_active = instance.__dict__.get("active")  # None when deferred: counted as changed
        return instance

    def unit_price_for(self, *, is_partner: bool) -> Decimal:
        """What a consumer pays: a current partner pays the partner price when the vendor set one; everybody
        else the list price. The one price rule (lists use ProductQuerySet.with_unit_price, the same in SQL)."""
        if is_partner and self.partner_price is not None:
            return self.partner_price
        return self.price

    @property
    def in_stock(self) -> bool:
        return self.stock > 0


class VendorCatalogueStats(models.Model):
    """How many active products a vendor lists, for the directory and the home page. On PostgreSQL it is
    recomputed from vendors_product (never counted up) by triggers on every insert, delete and change of
    `active` or `vendor`, whichever code writes the products (services, CSV import, moderation, admin, SQL),
    inside the writing transaction (migration 0003)."""

    vendor = models.OneToOneField(Vendor, on_delete=models.CASCADE, primary_key=True, related_name="catalogue_stats")
    active_products = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "vendor catalogue stats"

    def __str__(self) -> str:
        return f"Catalogue stats of vendor {self.vendor_id}"


class ModerationAction(models.Model):
    """Append-only audit log of every moderation action."""

    class Kind(models.TextChoices):
        APPROVE = "approve", _("Approved application")
        REJECT = "reject", _("Rejected application")
        SUSPEND = "suspend", _("Suspended vendor")
        REINSTATE = "reinstate", _("Reinstated vendor")
        REPORT_RESOLVED = "report_resolved", _("Resolved report")
        REPORT_DISMISSED = "report_dismissed", _("Dismissed report")
        PRODUCT_DEACTIVATE = "product_deactivate", _("Deactivated product")
        OWNER_TRANSFER = "owner_transfer", _("Transferred ownership")
        REVIEW_HIDE = "review_hide", _("Hid a review")

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
        FRAUD = "fraud", _("Fraud or scam")
        NOT_DELIVERED = "not_delivered", _("Order not delivered")
        COUNTERFEIT = "counterfeit", _("Counterfeit or misdescribed goods")
        ABUSE = "abuse", _("Abusive behaviour")
        REVIEW = "review", _("A review on its page breaks the rules")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")
        DISMISSED = "dismissed", _("Dismissed")

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
        ENDINGS_SPIKE = "endings_spike", _("Ended partnerships far above usual")
        REPORTS = "reports", _("Several open reports")
        PAYMENT_MISMATCH = "payment_mismatch", _("Payment records differ from the provider's")

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
