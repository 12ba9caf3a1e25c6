"""Promotions: public ads, and partner promotions that reach only the consumers who chose the vendor."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from marketplace.accounts.models import AgeBand, Interest, Region
from marketplace.kernel.labels import ChoiceLabels
from vendors.models import Vendor


class PromotionQuerySet(models.QuerySet["Promotion"]):
    def running(self) -> PromotionQuerySet:
        return self.filter(state=Promotion.State.RUNNING, vendor__status=Vendor.Status.APPROVED)


class LapsedWindow(models.IntegerChoices):
    """The only windows a "lapsed partners" audience may use. Fixed (never any number of days) so that two
    audiences a few days apart cannot be differenced into the one partner who last ordered in between."""

    DAYS_30 = 30, _("30 days")
    DAYS_60 = 60, _("60 days")
    DAYS_90 = 90, _("90 days")
    DAYS_180 = 180, _("180 days")
    DAYS_365 = 365, _("365 days")


# What a vendor designs of a promotion, in the order forms and the API show it: the only fields the design
# service (promotion_update) changes, and the API's writable fields (marketplace/sell/api/serializers).
PROMOTION_DESIGN_FIELDS = (
    "title",
    "description",
    "kind",
    "audience",
    "segment_region",
    "segment_age_band",
    "segment_interest",
    "lapsed_days",
    "discount_type",
    "discount_value",
    "min_order",
    "code",
    "uses_per_consumer",
    "max_uses",
    "starts_at",
    "ends_at",
)


class Promotion(ChoiceLabels, models.Model):
    class Kind(models.TextChoices):
        PUBLIC = "public", _("Public ad")
        PARTNERS = "partners", _("Partners only")

    class Audience(models.TextChoices):
        ALL_PARTNERS = "all", _("All partners")
        SEGMENT = "segment", _("A segment of partners")
        LAPSED = "lapsed", _("Partners who have not bought recently")

    class DiscountType(models.TextChoices):
        PERCENT = "percent", _("Percent off")
        FIXED = "fixed", _("Fixed amount off")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        RUNNING = "running", _("Running")
        PAUSED = "paused", _("Paused")
        ENDED = "ended", pgettext_lazy("state", "Ended")

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="promotions")
    title = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PARTNERS)
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.ALL_PARTNERS)
    segment_region = models.ForeignKey(Region, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    segment_age_band = models.CharField(max_length=5, choices=AgeBand.choices, blank=True)
    segment_interest = models.ForeignKey(Interest, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    lapsed_days = models.PositiveIntegerField(null=True, blank=True, choices=LapsedWindow.choices)
    discount_type = models.CharField(max_length=10, choices=DiscountType.choices, default=DiscountType.PERCENT)
    discount_value = models.DecimalField(
        max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    min_order = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    code = models.CharField(max_length=30, blank=True)
    # Codes cannot be farmed: each consumer redeems a promotion this many times (once unless the vendor
    # raises it), and all consumers together at most max_uses times when the vendor sets a total.
    uses_per_consumer = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(100)], help_text="Uses per consumer (1-100)."
    )
    max_uses = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(1_000_000)],
        help_text="Uses in all, for everyone together (optional).",
    )
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
        verbose_name_plural = "promotion deliveries"
        constraints = [models.UniqueConstraint(fields=["promotion", "consumer"], name="one_delivery_per_consumer")]
        indexes = [models.Index(fields=["consumer", "delivered_at"], name="delivery_consumer_time_idx")]

    def __str__(self) -> str:
        return f"{self.promotion_id} to {self.consumer_id}"


class PromotionFeedback(models.Model):
    """A partner's say on a promotion they received: useful, or not for them and why. One per promotion and
    consumer (changing one's mind updates it). The consumer's own data: exported with it and deleted with the
    account. Vendors see it only counted, every group under K suppressed (marketplace/kernel/privacy.py)."""

    class Verdict(models.TextChoices):
        USEFUL = "useful", _("Useful")
        NOT_FOR_ME = "not_for_me", _("Not for me")

    class Reason(models.TextChoices):
        PRICE = "price", _("The price")
        NOT_RELEVANT = "not_relevant", _("Not relevant to me")
        TOO_FREQUENT = "too_frequent", _("Too frequent")
        OTHER = "other", _("Something else")

    promotion = models.ForeignKey(Promotion, on_delete=models.CASCADE, related_name="feedback")
    consumer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="promotion_feedback")
    verdict = models.CharField(max_length=12, choices=Verdict.choices)
    reason = models.CharField(max_length=14, choices=Reason.choices, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["promotion", "consumer"], name="one_feedback_per_promotion_consumer"),
            models.CheckConstraint(
                condition=Q(verdict="not_for_me") | Q(reason=""), name="feedback_reason_only_when_not_for_me"
            ),
        ]
        indexes = [models.Index(fields=["consumer", "updated_at"], name="feedback_consumer_time_idx")]

    def __str__(self) -> str:
        return f"{self.get_verdict_display()} on {self.promotion_id} by {self.consumer_id}"


class DigestMail(models.Model):
    """One digest e-mail, recorded before it is sent (promotions.services.digest): a partner's digest, or a
    vendor owner's weekly digest. The record and the recipient's watermark are written in one transaction; the
    send then claims the row (pending → sending) in a transaction of its own before talking to the mail server,
    so no digest is ever sent twice, whatever dies when."""

    class Kind(models.TextChoices):
        PARTNER = "partner", _("Partner digest")
        VENDOR = "vendor", _("Vendor weekly digest")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending (claimed)")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    kind = models.CharField(max_length=8, choices=Kind.choices)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_mails")
    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, null=True, blank=True, related_name="digest_mails")
    to = models.EmailField()
    subject = models.CharField(max_length=200)
    text = models.TextField()
    html = models.TextField()
    unsubscribe_url = models.URLField(max_length=500, blank=True)
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    # What the digest told of, for the record (ids; a later change to a row does not rewrite a sent message).
    promotion_ids = models.JSONField(default=list, blank=True)
    product_ids = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["id"], condition=Q(status="pending"), name="digest_mail_pending_idx"),
            models.Index(fields=["recipient", "created_at"], name="digest_mail_recipient_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.to} ({self.status})"


class VendorDigestState(models.Model):
    """The watermark of a vendor's weekly digest: the last day (UTC) it covered and when it was recorded."""

    vendor = models.OneToOneField(Vendor, on_delete=models.CASCADE, primary_key=True, related_name="digest_state")
    through_day = models.DateField()
    sent_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"Digest of vendor {self.vendor_id} through {self.through_day}"
