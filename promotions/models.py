"""Promotions: public ads, and partner promotions that reach only the consumers who chose the vendor."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from marketplace.accounts.models import AgeBand, Interest, Region
from vendors.models import Vendor


class PromotionQuerySet(models.QuerySet["Promotion"]):
    def running(self) -> PromotionQuerySet:
        return self.filter(state=Promotion.State.RUNNING, vendor__status=Vendor.Status.APPROVED)


class Promotion(models.Model):
    class Kind(models.TextChoices):
        PUBLIC = "public", "Public ad"
        PARTNERS = "partners", "Partners only"

    class Audience(models.TextChoices):
        ALL_PARTNERS = "all", "All partners"
        SEGMENT = "segment", "A segment of partners"
        LAPSED = "lapsed", "Partners who have not bought recently"

    class DiscountType(models.TextChoices):
        PERCENT = "percent", "Percent off"
        FIXED = "fixed", "Fixed amount off"

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        RUNNING = "running", "Running"
        PAUSED = "paused", "Paused"
        ENDED = "ended", "Ended"

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="promotions")
    title = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PARTNERS)
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.ALL_PARTNERS)
    segment_region = models.ForeignKey(Region, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    segment_age_band = models.CharField(max_length=5, choices=AgeBand.choices, blank=True)
    segment_interest = models.ForeignKey(Interest, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    lapsed_days = models.PositiveIntegerField(null=True, blank=True)
    discount_type = models.CharField(max_length=10, choices=DiscountType.choices, default=DiscountType.PERCENT)
    discount_value = models.DecimalField(
        max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    min_order = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    code = models.CharField(max_length=30, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PromotionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="promotion_ends_after_start"),
            models.CheckConstraint(
                condition=~Q(discount_type="percent") | Q(discount_value__lte=100), name="promotion_percent_at_most_100"
            ),
        ]
        indexes = [models.Index(fields=["state", "kind", "starts_at"], name="promotion_state_kind_idx")]

    def __str__(self) -> str:
        return self.title


class PromotionDelivery(models.Model):
    """A partner promotion shown in one consumer's feed: the base for reach, caps and results."""

    promotion = models.ForeignKey(Promotion, on_delete=models.CASCADE, related_name="deliveries")
    consumer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="promotion_deliveries"
    )
    delivered_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["promotion", "consumer"], name="one_delivery_per_consumer")]
        indexes = [models.Index(fields=["consumer", "delivered_at"], name="delivery_consumer_time_idx")]

    def __str__(self) -> str:
        return f"{self.promotion_id} to {self.consumer_id}"
