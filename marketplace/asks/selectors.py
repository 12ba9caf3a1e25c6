"""Every read of asks and offers. Each selector owns its joins, so a list runs the same number of queries for
one row or a hundred, and the vendor's reads go through the eligibility rule (services/eligibility.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.accounts.models import User
from marketplace.kernel.errors import NotFoundError
from marketplace.kernel.privacy import min_group, public_facts, release_count, release_share
from marketplace.shop.models import Order, Payment
from portfolios.models import PartnerMembership
from vendors.models import Vendor

from .models import Ask, AskMute, AskRecipient, Offer, OfferReport, VendorAskSettings, VendorAskStats, VendorAskWeekStat
from .services.eligibility import recipients_eligible

PRICED = ~Q(state=Offer.State.NOT_INTERESTED)


# --- The consumer's -----------------------------------------------------------------------------------------


def ask_list_for_consumer(*, consumer: User) -> QuerySet[Ask]:
    """The consumer's own asks, newest first, with how many live offers and "not interested" answers each has."""
    return (
        Ask.objects.filter(consumer=consumer)
        .select_related("category", "order__checkout__payment")
        .annotate(
            live_offers=Count("offers", filter=Q(offers__state=Offer.State.LIVE)),
            not_interested=Count("offers", filter=Q(offers__state=Offer.State.NOT_INTERESTED)),
        )
        .order_by("-created_at", "-id")
    )


def ask_get_for_consumer(*, consumer: User, pk: int) -> Ask:
    ask = (
        Ask.objects.filter(consumer=consumer, pk=pk)
        .select_related("category", "region", "order__checkout__payment")
        .annotate(not_interested=Count("offers", filter=Q(offers__state=Offer.State.NOT_INTERESTED)))
        .first()
    )
    if ask is None:
        raise NotFoundError(_("No such ask."))
    return ask


@dataclass(frozen=True)
class AwardPayment:
    """Where the order of the ask's last acceptance stands, as the consumer (and its vendor) are told:
    "awaiting" (not paid yet), "failed" (the last attempt failed; another card may still pay it before
    `pay_before`), "paid" (or further on), "cancelled" (cancelled after it was paid) or "lapsed" (not paid in time:
    cancelled, nothing charged; the ask reopened or closed, services/award.py)."""

    state: str
    order: Order
    checkout_id: int
    pay_before: datetime | None
    failure: str


def award_payment(ask: Ask) -> AwardPayment | None:
    """The payment of the ask's order, from the rows ask_get_for_consumer (or the vendor's selectors) joined."""
    order = ask.order
    if order is None:
        return None
    payment = getattr(order.checkout, "payment", None)
    pay_before = payment.expires_at if payment is not None else None
    failure = ""
    if order.status == Order.Status.AWAITING_PAYMENT:
        state = "awaiting"
        if payment is not None and payment.status == Payment.Status.FAILED:
            state, failure = "failed", payment.failure_message
    elif order.status == Order.Status.CANCELLED:
        state = "lapsed" if ask.payment_lapsed_at is not None else "cancelled"
    else:
        state = "paid"
    return AwardPayment(state=state, order=order, checkout_id=order.checkout_id, pay_before=pay_before, failure=failure)


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
    """The recipient rows this vendor may see: eligible ones of open asks, and of closed asks it answered, each
    with its own answer's state and price. The answer is read by subqueries on the (ask, vendor) unique index,
    not joined: with the two eligibility EXISTS, a join multiplied the plans PostgreSQL weighs (planning took
    ten times the query's own run at 100,000 open asks)."""
    mine = Offer.objects.filter(ask_id=OuterRef("ask_id"), vendor_id=vendor.pk).order_by()
    qs = recipients_eligible(AskRecipient.objects.all(), vendor=vendor)
    return qs.annotate(
        my_state=Subquery(mine.values("state")[:1]),
        my_price=Subquery(mine.values("price")[:1]),
    ).filter(Q(ask__state=Ask.State.OPEN) | Exists(mine))


def ask_list_for_vendor(
    *, vendor: Vendor, state: str = "", related: tuple[str, ...] = ("category", "region")
) -> QuerySet[AskRecipient]:
    """The asks addressed to this vendor that it may still see, newest first, each with its own answer (state
    and price) and never anything of the consumer's but the pseudonym and the shared region. `state` "open"
    keeps the open ones only. Walks the (vendor, published_at) index; the page's rows in one query, their asks'
    categories and regions (`related`: what the caller shows of them) in one query each (joined, they made the plan
    slower to choose than to run). A list shows no order: one ask's page reads it (`ask_get_for_vendor`)."""
    qs = _vendor_recipients(vendor=vendor).select_related("ask").prefetch_related(*(f"ask__{r}" for r in related))
    if state == "open":
        qs = qs.filter(ask__state=Ask.State.OPEN)
    return qs.order_by("-published_at", "-ask_id")


def ask_get_for_vendor(*, vendor: Vendor, pk: int) -> AskRecipient:
    """One ask as this vendor sees it; NotFoundError (404) when it may not see it (not addressed to it, the
    partnership ended, the vendor kept out or suspended)."""
    row = ask_list_for_vendor(vendor=vendor).filter(ask_id=pk).prefetch_related("ask__order").first()
    if row is None:
        raise NotFoundError(_("No such ask."))
    return row


def vendor_ask_settings_get(*, vendor: Vendor) -> VendorAskSettings:
    """The vendor's e-mail settings for asks; with no row saved, the defaults (both e-mails on), unsaved."""
    return VendorAskSettings.objects.filter(vendor=vendor).first() or VendorAskSettings(vendor=vendor)


def offer_get_own(*, vendor: Vendor, ask_id: int) -> Offer | None:
    """This vendor's own answer to the ask, and nobody else's (offers are sealed)."""
    return Offer.objects.filter(ask_id=ask_id, vendor=vendor).first()


# --- What vendors learn, in aggregate ------------------------------------------------------------------------


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
    INSIGHT_WEEKS weeks, from the statistics job's rows (services/stats.py): two queries on this vendor's rows,
    whatever the number of asks and offers. Every count is released (suppressed under K, noised, rounded:
    marketplace/kernel/privacy), shares come from released counts only, and the median is shown only over K
    answers or more; no figure names an ask or its consumer. A vendor not computed yet reads no figures."""
    stats = VendorAskStats.objects.filter(vendor=vendor).first()
    if stats is None:
        return AskInsights(
            weeks=[], received=None, answered_share=None, won_share=None, median_answer_hours=None, k=min_group()
        )
    week_rows = VendorAskWeekStat.objects.filter(vendor=vendor, week__gte=stats.since.date() - timedelta(days=6))
    weeks = [
        (row.week, release_count(row.received, vendor_id=vendor.pk, figure=f"asks_received:{row.week:%Y-%m-%d}"))
        for row in week_rows.order_by("week")
    ]
    received = release_count(stats.received, vendor_id=vendor.pk, figure="asks_received:12w")
    answered = release_count(stats.answered, vendor_id=vendor.pk, figure="asks_answered:12w")
    priced = release_count(stats.priced, vendor_id=vendor.pk, figure="asks_offered:12w")
    won = release_count(stats.won, vendor_id=vendor.pk, figure="asks_won:12w")
    median = None
    if stats.answered >= min_group() and stats.median_answer_seconds is not None:
        median = float(round(stats.median_answer_seconds / 3600))
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
