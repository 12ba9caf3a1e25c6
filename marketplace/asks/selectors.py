"""Every read of asks and offers. Each selector owns its joins, so a list runs the same number of queries for
one row or a hundred, and the vendor's reads go through the eligibility rule (services/eligibility.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncWeek
from django.utils import timezone

from marketplace.accounts.models import User
from marketplace.kernel.errors import NotFoundError
from marketplace.kernel.privacy import min_group, public_facts, release_count, release_share
from portfolios.models import PartnerMembership
from vendors.models import Vendor

from .models import Ask, AskMute, AskRecipient, Offer, OfferReport
from .services.eligibility import recipients_eligible

PRICED = ~Q(state=Offer.State.NOT_INTERESTED)


# --- The consumer's -----------------------------------------------------------------------------------------


def ask_list_for_consumer(*, consumer: User) -> QuerySet[Ask]:
    """The consumer's own asks, newest first, with how many live offers and "not interested" answers each has."""
    return (
        Ask.objects.filter(consumer=consumer)
        .select_related("category")
        .annotate(
            live_offers=Count("offers", filter=Q(offers__state=Offer.State.LIVE)),
            not_interested=Count("offers", filter=Q(offers__state=Offer.State.NOT_INTERESTED)),
        )
        .order_by("-created_at", "-id")
    )


def ask_get_for_consumer(*, consumer: User, pk: int) -> Ask:
    ask = (
        Ask.objects.filter(consumer=consumer, pk=pk)
        .select_related("category", "region", "order")
        .annotate(not_interested=Count("offers", filter=Q(offers__state=Offer.State.NOT_INTERESTED)))
        .first()
    )
    if ask is None:
        raise NotFoundError("No such ask.")
    return ask


def partner_list_for_asks(*, consumer: User) -> QuerySet[PartnerMembership]:
    """The consumer's current partners, with whether each is kept out of their asks (`kept_out`), by name."""
    kept_out = AskMute.objects.filter(consumer=consumer, vendor_id=OuterRef("vendor_id"))
    return (
        PartnerMembership.objects.active()
        .filter(consumer=consumer)
        .select_related("vendor", "vendor__category")
        .annotate(kept_out=Exists(kept_out))
        .order_by("vendor__name", "vendor_id")
    )


@dataclass(frozen=True)
class OfferCompared:
    """One offer as the consumer compares it: its terms and its vendor's public facts (released as every page
    releases them)."""

    offer: Offer
    vendor: Vendor
    facts: dict[str, Any]
    acceptable: bool


def offer_list_for_consumer(*, ask: Ask) -> list[OfferCompared]:
    """The priced offers of the consumer's ask, cheapest first, each with its vendor's public facts. One query."""
    now = timezone.now()
    offers = (
        Offer.objects.filter(PRICED, ask=ask)
        .select_related("vendor", "vendor__stats", "vendor__sales_stats")
        .order_by("price", "id")
    )
    rows = []
    for offer in offers:
        vendor = offer.vendor
        stats = getattr(vendor, "stats", None)
        sales = getattr(vendor, "sales_stats", None)
        facts = public_facts(
            vendor_id=vendor.pk,
            partner_count=stats.current_partners if stats else None,
            ended_recent=stats.ended_90d if stats else None,
            rating_average=sales.rating_average if sales else None,
            rating_count=sales.rating_count if sales else None,
            joined=vendor.approved_at,
        )
        acceptable = (
            ask.state == Ask.State.OPEN
            and ask.respond_by > now
            and offer.state == Offer.State.LIVE
            and offer.valid_until is not None
            and offer.valid_until > now
        )
        rows.append(OfferCompared(offer=offer, vendor=vendor, facts=facts, acceptable=acceptable))
    return rows


# --- The vendor's --------------------------------------------------------------------------------------------


def _vendor_recipients(*, vendor: Vendor) -> QuerySet[AskRecipient]:
    """The recipient rows this vendor may see: eligible ones of open asks, and of closed asks it answered."""
    mine = Offer.objects.filter(ask_id=OuterRef("ask_id"), vendor_id=vendor.pk)
    qs = recipients_eligible(AskRecipient.objects.filter(vendor=vendor))
    return qs.annotate(
        my_state=Subquery(mine.values("state")[:1]),
        my_price=Subquery(mine.values("price")[:1]),
    ).filter(Q(ask__state=Ask.State.OPEN) | Q(my_state__isnull=False))


def ask_list_for_vendor(*, vendor: Vendor, state: str = "") -> QuerySet[AskRecipient]:
    """The asks addressed to this vendor that it may still see, newest first, each with its own answer (state
    and price) and never anything of the consumer's but the pseudonym and the shared region. `state` "open"
    keeps the open ones only. Walks the (vendor, published_at) index; one query per page."""
    qs = _vendor_recipients(vendor=vendor).select_related("ask", "ask__category", "ask__region")
    if state == "open":
        qs = qs.filter(ask__state=Ask.State.OPEN)
    return qs.order_by("-published_at", "-ask_id")


def ask_get_for_vendor(*, vendor: Vendor, pk: int) -> AskRecipient:
    """One ask as this vendor sees it; NotFoundError (404) when it may not see it (not addressed to it, the
    partnership ended, the vendor kept out or suspended)."""
    row = ask_list_for_vendor(vendor=vendor).filter(ask_id=pk).first()
    if row is None:
        raise NotFoundError("No such ask.")
    return row


def offer_get_own(*, vendor: Vendor, ask_id: int) -> Offer | None:
    """This vendor's own answer to the ask, and nobody else's (offers are sealed)."""
    return Offer.objects.filter(ask_id=ask_id, vendor=vendor).first()


# --- What vendors learn, in aggregate ------------------------------------------------------------------------

INSIGHT_WEEKS = 12


@dataclass(frozen=True)
class AskInsights:
    weeks: list[tuple[Any, int | None]]  # (week start, asks received, released)
    received: int | None
    answered_share: float | None
    won_share: float | None
    median_answer_hours: float | None
    k: int


def ask_insights_for_vendor(*, vendor: Vendor) -> AskInsights:
    """Asks received per week, share answered, share won and the median time to answer over the last
    INSIGHT_WEEKS weeks. Every count is released (suppressed under K, noised, rounded: marketplace/kernel/privacy),
    shares come from released counts only, and the median is shown only over K answers or more; no figure names
    an ask or its consumer. Two queries over this vendor's recipient rows (its index), whatever the marketplace."""
    since = timezone.now() - timedelta(weeks=INSIGHT_WEEKS)
    rows = AskRecipient.objects.filter(vendor=vendor, published_at__gte=since)
    weekly = rows.annotate(week=TruncWeek("published_at")).values("week").annotate(n=Count("id")).order_by("week")
    answers = Offer.objects.filter(vendor=vendor, ask__published_at__gte=since)
    totals = answers.aggregate(
        answered=Count("id"),
        won=Count("id", filter=Q(state=Offer.State.ACCEPTED)),
        priced=Count("id", filter=PRICED),
    )
    received_exact = sum(row["n"] for row in weekly)
    weeks = [
        (row["week"], release_count(row["n"], vendor_id=vendor.pk, figure=f"asks_received:{row['week']:%Y-%m-%d}"))
        for row in weekly
    ]
    received = release_count(received_exact, vendor_id=vendor.pk, figure="asks_received:12w")
    answered = release_count(totals["answered"], vendor_id=vendor.pk, figure="asks_answered:12w")
    priced = release_count(totals["priced"], vendor_id=vendor.pk, figure="asks_offered:12w")
    won = release_count(totals["won"], vendor_id=vendor.pk, figure="asks_won:12w")
    median = None
    if totals["answered"] >= min_group():
        delay = (
            answers.annotate(delay=F("created_at") - F("ask__published_at"))
            .order_by("delay")
            .values_list("delay", flat=True)
        )
        middle = delay[totals["answered"] // 2]
        median = round(middle.total_seconds() / 3600, 0) if middle is not None else None
    return AskInsights(
        weeks=weeks,
        received=received,
        answered_share=release_share(answered, received),
        won_share=release_share(won, priced),
        median_answer_hours=median,
        k=min_group(),
    )


# --- The moderators' ----------------------------------------------------------------------------------------


def ask_list_cancelled_after_offers() -> QuerySet[Ask]:
    return (
        Ask.objects.filter(state=Ask.State.CANCELLED, cancelled_after_offers=True)
        .select_related("category", "consumer")
        .annotate(offers_made=Count("offers", filter=PRICED))
        .order_by("-closed_at", "-id")
    )


def offer_reports_list() -> QuerySet[OfferReport]:
    return OfferReport.objects.select_related("offer", "offer__vendor", "offer__ask", "reporter").order_by(
        "-created_at", "-id"
    )
