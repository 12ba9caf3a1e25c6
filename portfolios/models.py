"""Partner portfolios: who holds which vendor, the append-only event log, and the statistics tables.

Only the consumer changes their portfolio (services.membership_*). The statistics tables are written
only by the statistics jobs; pages read them and never scan memberships.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from marketplace.kernel.privacy import counting_rule
from vendors.models import Vendor


class EndReason(models.TextChoices):
    # Shown in the reader's language (the catalogue, context "end reason"); stored and counted by value.
    BAD_SERVICE = "bad_service", pgettext_lazy("end reason", "Bad service")
    PRICE = "price", pgettext_lazy("end reason", "Price")
    QUALITY = "quality", pgettext_lazy("end reason", "Quality")
    NOT_NEEDED = "not_needed", pgettext_lazy("end reason", "No longer needed")
    OTHER = "other", pgettext_lazy("end reason", "Other")


class MembershipQuerySet(models.QuerySet["PartnerMembership"]):
    def active(self) -> MembershipQuerySet:
        return self.filter(ended_at__isnull=True)

    def ended(self) -> MembershipQuerySet:
        return self.filter(ended_at__isnull=False)

    def counted(self, now: datetime | None = None) -> MembershipQuerySet:
        """Memberships whose consumer counts in the figures the vendor reads (marketplace/kernel/privacy.py, "who
        counts"): an active account at least PRIVACY_ACCOUNT_DAYS old, not the vendor's owner, that has had
        orders delivered by two different vendors or whose partnership began at least PRIVACY_PARTNER_DAYS ago;
        the anonymised rows of deleted accounts when begun that long ago. A filter on joined columns, no Python
        per row; portfolios/services/stats.py applies the same rule in SQL."""
        rule = counting_rule(now)
        long_standing = Q(started_at__lte=rule.partner_cutoff)
        person = (
            Q(consumer__is_active=True, consumer__date_joined__lte=rule.account_cutoff)
            & ~Q(consumer_id=F("vendor__owner_id"))
            & (Q(consumer__profile__buyer_since__isnull=False) | long_standing)
        )
        return self.filter(person | (Q(consumer__isnull=True) & long_standing))

    def reachable(self) -> MembershipQuerySet:
        """Current partners who have not muted the vendor: the only consumers a partners-only promotion,
        a delivery or a partner discount may reach (rule 3). The one definition; statistics count the same."""
        return self.filter(ended_at__isnull=True, muted=False)


class PartnerMembership(models.Model):
    # Null once the consumer deleted their account: the row stays, anonymised, for the vendor's figures.
    consumer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="memberships"
    )
    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="memberships")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    end_comment = models.TextField(blank=True)
    muted = models.BooleanField(default=False, help_text="The consumer does not want this partner's promotions.")
    # Kept by the shop's checkout (a service call from above), for "partners who have not bought for N days".
    last_order_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["consumer", "vendor"], condition=Q(ended_at__isnull=True), name="one_active_membership_per_pair"
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="membership_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["vendor"], condition=Q(ended_at__isnull=True), name="membership_active_vendor_idx"),
            models.Index(fields=["vendor", "ended_at"], name="membership_vendor_ended_idx"),
            models.Index(fields=["consumer", "ended_at"], name="membership_consumer_ended_idx"),
        ]

    def __str__(self) -> str:
        state = "active" if self.ended_at is None else "ended"
        return f"{self.consumer} ↔ {self.vendor} ({state})"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class MembershipEvent(models.Model):
    """Append-only log of portfolio changes; the statistics are recomputed from it."""

    class Kind(models.TextChoices):
        STARTED = "started", _("Started")
        ENDED = "ended", pgettext_lazy("state", "Ended")
        REINSTATED = "reinstated", _("Reinstated")
        # The consumer closed their account: the partnership is over, but it is not the consumer's verdict
        # on the vendor, so no public fact, end reason or ending count includes it.
        CLOSED = "closed", _("Account closed")

    membership = models.ForeignKey(PartnerMembership, on_delete=models.CASCADE, related_name="events")
    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="membership_events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["vendor", "created_at"], name="event_vendor_created_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.vendor_id} at {self.created_at:%Y-%m-%d %H:%M}"


# --- Statistics tables (written only by the statistics jobs) ------------------------------------------


class VendorStats(models.Model):
    vendor = models.OneToOneField(Vendor, on_delete=models.CASCADE, primary_key=True, related_name="stats")
    current_partners = models.PositiveIntegerField(default=0)
    # Current partners who have not muted the vendor: whom a partners-only promotion can reach.
    reachable_partners = models.PositiveIntegerField(default=0)
    partners_ever = models.PositiveIntegerField(default=0)
    ended_90d = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "vendor stats"
        indexes = [models.Index(fields=["-current_partners"], name="stats_current_partners_idx")]

    def __str__(self) -> str:
        return f"Stats of vendor {self.vendor_id}"


class VendorEndReasonStat(models.Model):
    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="end_reason_stats")
    reason = models.CharField(max_length=20, choices=EndReason.choices)
    ended_90d = models.PositiveIntegerField(default=0)
    ended_total = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vendor", "reason"], name="end_reason_stat_unique")]

    def __str__(self) -> str:
        return f"{self.vendor_id}: {self.reason}"


class VendorDailyStat(models.Model):
    """Per vendor and day: adds, ends and net of every membership (what the moderators' early warning reads), and
    of the memberships that count (counted_*; marketplace/kernel/privacy.py, "who counts"), what every figure a vendor
    reads is made from."""

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="daily_stats")
    day = models.DateField()
    adds = models.PositiveIntegerField(default=0)
    ends = models.PositiveIntegerField(default=0)
    net = models.IntegerField(default=0)
    counted_adds = models.PositiveIntegerField(default=0)
    counted_ends = models.PositiveIntegerField(default=0)
    counted_net = models.IntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["vendor", "day"]
        constraints = [models.UniqueConstraint(fields=["vendor", "day"], name="daily_stat_unique")]

    def __str__(self) -> str:
        return f"{self.vendor_id} on {self.day}"


class SegmentDimension(models.TextChoices):
    REGION = "region", _("Region")
    AGE_BAND = "age_band", _("Age band")
    INTEREST = "interest", _("Interest")


class VendorSegmentStat(models.Model):
    """Current partners of a vendor who share a dimension, by its value. Readers apply suppression."""

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="segment_stats")
    dimension = models.CharField(max_length=10, choices=SegmentDimension.choices)
    value = models.CharField(max_length=40)
    partners = models.PositiveIntegerField(default=0)
    reachable = models.PositiveIntegerField(default=0, help_text="Of these, partners who have not muted the vendor.")
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vendor", "dimension", "value"], name="segment_stat_unique")]

    def __str__(self) -> str:
        return f"{self.vendor_id}: {self.dimension}={self.value}"


class MarketplaceSegmentBaseline(models.Model):
    """Consumers in the whole marketplace who share a dimension, by value: the base for lift."""

    dimension = models.CharField(max_length=10, choices=SegmentDimension.choices)
    value = models.CharField(max_length=40)
    consumers = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dimension", "value"], name="segment_baseline_unique")]

    def __str__(self) -> str:
        return f"{self.dimension}={self.value}"


class CategoryStats(models.Model):
    """Consumers holding at least one current partner in a category: the base for a vendor's overlap."""

    category = models.OneToOneField(
        "vendors.Category", on_delete=models.CASCADE, primary_key=True, related_name="stats"
    )
    consumers_holding = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "category stats"

    def __str__(self) -> str:
        return f"Stats of category {self.category_id}"


class StatsDirtyVendor(models.Model):
    """Vendors whose statistics are out of date. Marking twice keeps one row, so piled-up refreshes collapse."""

    vendor = models.OneToOneField(Vendor, on_delete=models.CASCADE, primary_key=True, related_name="+")
    marked_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"Vendor {self.vendor_id} dirty since {self.marked_at:%H:%M:%S}"
