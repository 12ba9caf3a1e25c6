"""Asks and their offers.

States move only by conditional UPDATEs in services (`UPDATE ... WHERE state = <expected>`, one row changed or
a ConflictError): no state-machine library is in uv.lock (django-fsm-2 is not), and a conditional UPDATE is
what such a library would have to do under concurrency anyway. Acceptance also locks the ask's row, so every
transition of an ask and of its offers is serialised on that one row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from marketplace.accounts.models import Region
from marketplace.kernel.labels import ChoiceLabels
from vendors.models import Category, Vendor

TITLE_MAX = 120
TEXT_MAX = 2000
INCLUDED_MAX = 1000


class Ask(ChoiceLabels, models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        AWARDED = "awarded", _("Awarded")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired")
        CLOSED_NO_OFFERS = "closed_no_offers", _("Closed with no offers")

    # Null once the consumer deleted their account: the vendors' aggregates keep the row.
    consumer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="asks")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="asks")
    title = models.CharField(max_length=TITLE_MAX)
    description = models.TextField(max_length=TEXT_MAX)
    budget = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    budget_visible = models.BooleanField(default=False, help_text="Whether the vendors see the budget.")
    needed_by = models.DateField(null=True, blank=True)
    respond_by = models.DateTimeField(help_text="Offers are taken until then; the ask expires at this moment.")
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    # What the vendors see instead of the consumer: a pseudonym, and the region only when the consumer shares it
    # (copied at publishing, so a later change of sharing settings does not reveal it afterwards).
    pseudonym = models.CharField(max_length=20, blank=True)
    region = models.ForeignKey(Region, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    audience_size = models.PositiveIntegerField(default=0, help_text="Partners it was addressed to at publishing.")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Moderators look at asks cancelled after offers came in (a consumer fishing for prices).
    cancelled_after_offers = models.BooleanField(default=False)
    order = models.OneToOneField(
        "shop.Order", on_delete=models.SET_NULL, null=True, blank=True, related_name="ask", editable=False
    )
    # How many times an offer was accepted: each acceptance is a checkout of its own (`ask_order_key`), so one
    # whose payment lapsed can be followed by another.
    awards = models.PositiveSmallIntegerField(default=0, editable=False)
    # When the payment of the order of the last acceptance lapsed (the order cancelled unpaid): the ask reopened,
    # or closed when its respond-by had passed. `order` still names that cancelled order until the next acceptance.
    payment_lapsed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(budget__isnull=True) | Q(budget__gt=0), name="ask_budget_positive"),
            models.CheckConstraint(
                # A draft may be cancelled before it was ever published.
                condition=Q(state__in=["draft", "cancelled"]) | Q(published_at__isnull=False),
                name="ask_published_unless_draft",
            ),
        ]
        indexes = [
            # The clock's scan of what is due, and the limit on open asks per consumer and category.
            models.Index(fields=["respond_by"], condition=Q(state="open"), name="ask_open_respond_by_idx"),
            models.Index(fields=["consumer", "category", "state"], name="ask_consumer_category_idx"),
            models.Index(fields=["consumer", "created_at"], name="ask_consumer_created_idx"),
            models.Index(fields=["state", "closed_at"], name="ask_state_closed_idx"),
        ]

    def __str__(self) -> str:
        return f"Ask #{self.pk}: {self.title}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def pseudonym_code(self) -> str:
        """The pseudonym's letters without its English word, so a page can say "Asker" in the reader's language."""
        return self.pseudonym.removeprefix("Asker ")


class AskRecipient(models.Model):
    """A vendor the ask was addressed to at publishing (a reachable partner in its category then). Eligibility is
    checked again at every read and write; `lapsed_at` records that the partnership ended or the vendor was
    suspended since, after which the vendor never sees the ask again."""

    ask = models.ForeignKey(Ask, on_delete=models.CASCADE, related_name="recipients")
    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="ask_recipients")
    # Copied from the ask, so the vendor's queue and its aggregates walk one index of this table.
    published_at = models.DateTimeField()
    lapsed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ask", "vendor"], name="ask_recipient_unique")]
        indexes = [models.Index(fields=["vendor", "-published_at"], name="ask_recipient_vendor_idx")]

    def __str__(self) -> str:
        return f"Ask {self.ask_id} → vendor {self.vendor_id}"

    @property
    def my_answer(self) -> str:
        """The vendor's own answer as its list of asks shows it (from `my_state`, which that list annotates), in
        the reader's language: one lookup a row where the template once compared the state five times."""
        state = getattr(self, "my_state", None)
        return Offer.State(state).label if state else _("Not answered")


class LapseReason:
    """Why an offer lapsed, stored in English in `Offer.lapse_reason` and shown in the reader's language (the
    templates translate the stored text: `{% translate offer.lapse_reason %}`)."""

    ACCEPTED_OTHER = gettext_noop("The consumer accepted another offer.")
    CANCELLED = gettext_noop("The consumer cancelled the ask.")
    KEPT_OUT = gettext_noop("The consumer no longer asks this partner.")
    ASK_EXPIRED = gettext_noop("The ask expired.")
    VALID_UNTIL = gettext_noop("Its valid-until passed.")
    SUSPENDED = gettext_noop("The vendor was suspended.")
    PARTNERSHIP_ENDED = gettext_noop("The partnership ended.")
    PAYMENT_LAPSED = gettext_noop("The consumer's payment did not complete, and the offer is no longer valid.")


class Offer(ChoiceLabels, models.Model):
    class State(models.TextChoices):
        LIVE = "live", _("Live")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        LAPSED = "lapsed", _("Lapsed")
        ACCEPTED = "accepted", _("Accepted")
        NOT_INTERESTED = "not_interested", _("Not interested")

    ask = models.ForeignKey(Ask, on_delete=models.CASCADE, related_name="offers")
    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="ask_offers")
    state = models.CharField(max_length=20, choices=State.choices, default=State.LIVE)
    # Null only for a "not interested" answer.
    price = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    included = models.TextField(max_length=INCLUDED_MAX, blank=True, help_text="What the price includes.")
    stock_reserved = models.BooleanField(default=False)
    # The offered price is final unless the vendor lets its running promotions apply on top of it.
    promotions_stack = models.BooleanField(default=False)
    valid_until = models.DateTimeField(null=True, blank=True)
    revisions = models.PositiveSmallIntegerField(default=0)
    lapse_reason = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["price", "id"]
        constraints = [
            # One answer per vendor per ask: a withdrawn offer is not replaced, so "revisable once" holds.
            models.UniqueConstraint(fields=["ask", "vendor"], name="offer_one_per_vendor_per_ask"),
            models.UniqueConstraint(fields=["ask"], condition=Q(state="accepted"), name="offer_one_accepted_per_ask"),
            models.CheckConstraint(
                condition=Q(state="not_interested") | (Q(price__gt=0) & Q(valid_until__isnull=False)),
                name="offer_priced_unless_not_interested",
            ),
            models.CheckConstraint(condition=Q(revisions__lte=1), name="offer_revised_at_most_once"),
        ]
        indexes = [
            models.Index(fields=["valid_until"], condition=Q(state="live"), name="offer_live_valid_until_idx"),
            models.Index(fields=["vendor", "created_at"], name="offer_vendor_created_idx"),
        ]

    def __str__(self) -> str:
        return f"Offer of vendor {self.vendor_id} on ask {self.ask_id} ({self.state})"


class OfferReport(models.Model):
    """A consumer's report of a bait offer (a price the vendor will not honour); moderators read them."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(max_length=TEXT_MAX, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["offer", "reporter"], name="offer_report_once")]

    def __str__(self) -> str:
        return f"Report of offer {self.offer_id}"


class AskMute(models.Model):
    """A partner the consumer keeps out of their asks without ending the partnership ("muted for this purpose")."""

    consumer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ask_mutes")
    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["consumer", "vendor"], name="ask_mute_unique")]

    def __str__(self) -> str:
        return f"{self.consumer_id} keeps vendor {self.vendor_id} out of asks"


class VendorAskSettings(models.Model):
    """A vendor's notification settings for asks (no row: the defaults)."""

    vendor = models.OneToOneField(Vendor, on_delete=models.CASCADE, primary_key=True, related_name="ask_settings")
    email_new_asks = models.BooleanField(default=True)
    # An offer that lapsed (its valid-until passed, the ask expired or was cancelled, another offer was taken, the
    # partnership ended). An accepted offer is always told: it is an order.
    email_offer_lapses = models.BooleanField(default=True)

    class Meta:
        verbose_name_plural = "vendor ask settings"

    def __str__(self) -> str:
        return f"Ask settings of vendor {self.vendor_id}"


class VendorAskStats(models.Model):
    """A vendor's ask figures over the last INSIGHT_WEEKS weeks, exact, written only by the statistics job
    (marketplace/asks/services/stats.py: recomputed from the asks and offers, never counted up). The insights page
    and API release them (suppressed under K, noised) and read nothing else of the asks."""

    vendor = models.OneToOneField(Vendor, on_delete=models.CASCADE, primary_key=True, related_name="ask_stats")
    received = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0, help_text="Offers and not-interested answers.")
    priced = models.PositiveIntegerField(default=0, help_text="Offers with a price.")
    won = models.PositiveIntegerField(default=0)
    # The median of (answer - publishing) over the answers, in seconds; shown only from K answers.
    median_answer_seconds = models.PositiveIntegerField(null=True, blank=True)
    since = models.DateTimeField(help_text="The start of the window the figures cover.")
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "vendor ask stats"

    def __str__(self) -> str:
        return f"Ask figures of vendor {self.vendor_id}"


class VendorAskWeekStat(models.Model):
    """Asks a vendor received in one week (Monday, UTC) of the window, exact; written only by the statistics job."""

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="+")
    week = models.DateField()
    received = models.PositiveIntegerField()
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["vendor", "week"]
        constraints = [models.UniqueConstraint(fields=["vendor", "week"], name="vendor_ask_week_unique")]

    def __str__(self) -> str:
        return f"Asks of vendor {self.vendor_id} in the week of {self.week}"
