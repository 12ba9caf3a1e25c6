"""The shop floor: carts, checkouts, orders with one per vendor, redemptions and service ratings."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.models import Region
from marketplace.kernel.labels import ChoiceLabels
from promotions.models import Promotion
from vendors.models import ModerationAction, Product, Vendor


class CartItem(models.Model):
    consumer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cart_items")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField(default=1, validators=[MinValueValidator(1)])
    unit_price_seen = models.DecimalField(max_digits=10, decimal_places=2, help_text="Price shown when added.")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["consumer", "product"], name="one_cart_line_per_product"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="cart_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × product {self.product_id}"


class Checkout(models.Model):
    """One submitted checkout; its idempotency key makes a resubmission return the same orders."""

    consumer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="checkouts"
    )
    idempotency_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["consumer", "idempotency_key"], name="checkout_idempotency_unique")
        ]

    def __str__(self) -> str:
        return f"Checkout {self.idempotency_key}"


class Order(ChoiceLabels, models.Model):
    class Status(models.TextChoices):
        # Placed, stock set aside, not paid yet: the provider's confirmation makes it PAID; a payment that
        # fails or is abandoned lapses after MARKETPLACE["PAYMENT_TIMEOUT_MINUTES"] (cancelled, stock back).
        AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
        PAID = "paid", _("Paid")
        SHIPPED = "shipped", _("Shipped")
        DELIVERED = "delivered", _("Delivered")
        CANCELLED = "cancelled", _("Cancelled")

    checkout = models.ForeignKey(Checkout, on_delete=models.PROTECT, related_name="orders")
    # Kept for the vendor's books when the consumer deletes their account.
    consumer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="orders")
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="orders")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.AWAITING_PAYMENT, db_index=True)
    buyer_was_partner = models.BooleanField(default=False)
    ship_to_name = models.CharField(max_length=120)
    ship_to_address = models.TextField()
    ship_to_region = models.ForeignKey(Region, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    subtotal = models.DecimalField(max_digits=12, decimal_places=2)
    discount = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    # The vendor's delivery charge (its ShippingPolicy when placed), part of the total and of the payment.
    shipping = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    total = models.DecimalField(max_digits=12, decimal_places=2)
    # Given by the vendor when it marks the order shipped (both optional), shown to the buyer.
    carrier = models.CharField(max_length=60, blank=True)
    tracking_number = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="order_total_not_negative"),
            models.CheckConstraint(condition=Q(shipping__gte=0), name="order_shipping_not_negative"),
        ]
        indexes = [
            models.Index(fields=["vendor", "status", "created_at"], name="order_vendor_status_idx"),
            models.Index(fields=["consumer", "created_at"], name="order_consumer_created_idx"),
        ]

    def __str__(self) -> str:
        return f"Order #{self.pk} at {self.vendor}"

    def get_absolute_url(self) -> str:
        return reverse("shop:order-detail", kwargs={"pk": self.pk})


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.SET_NULL, null=True, related_name="+")
    product_name = models.CharField(max_length=160)
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_name}"

    @property
    def line_total(self) -> Decimal:
        return self.unit_price * self.quantity


class Redemption(models.Model):
    promotion = models.ForeignKey(Promotion, on_delete=models.PROTECT, related_name="redemptions")
    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="redemption")
    consumer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.promotion_id} on order {self.order_id}"


class ServiceRating(models.Model):
    """A buyer's rating of a vendor's service on one delivered order, with the review they wrote.

    The review (score and text) is shown on the vendor's page without the buyer's name when `public`: ratings
    given with text since reviews were published. Comments written before were private and stay so. A
    moderator may hide a review after a report (`hidden_by`, the audit row); its score still counts in the
    vendor's average, only its text leaves the page."""

    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="rating")
    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="ratings")
    consumer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    score = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(blank=True)
    public = models.BooleanField(default=False)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(ModerationAction, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="rating_score_1_to_5")]
        indexes = [
            models.Index(fields=["vendor", "created_at"], name="rating_vendor_created_idx"),
            # The vendor page's reviews, newest first: only the shown ones are in it.
            models.Index(
                models.F("vendor"),
                models.F("created_at").desc(),
                models.F("id").desc(),
                name="rating_review_shown_idx",
                condition=Q(public=True, hidden_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.score}/5 for {self.vendor_id}"


class VendorSalesStats(models.Model):
    """Per-vendor sales and rating figures, written only by the statistics jobs (recomputed, never counted up)."""

    vendor = models.OneToOneField(Vendor, on_delete=models.CASCADE, primary_key=True, related_name="sales_stats")
    orders_total = models.PositiveIntegerField(default=0)
    revenue_total = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0.00"))
    partner_revenue = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0.00"))
    rating_average = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    rating_count = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "vendor sales stats"
        indexes = [
            # The directory's "best rated" sort walks the rated vendors in this order (shop selectors, _by_rating).
            models.Index(
                models.F("rating_average").desc(),
                models.F("rating_count").desc(),
                name="sales_rating_idx",
                condition=models.Q(rating_average__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Sales stats of vendor {self.vendor_id}"

    @property
    def partner_share(self) -> Decimal | None:
        """Partners' share of sales, 0 to 1; None before the first sale."""
        if not self.revenue_total:
            return None
        return self.partner_revenue / self.revenue_total
