"""Reads about money: a consumer's payment, a vendor's payouts and onboarding. Each owns its joins."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext, gettext_noop

from marketplace.accounts.models import User
from marketplace.kernel.money import currency
from vendors.models import Vendor

from ..models import Order, OrderPayout, Payee, Payment
from .money import from_minor, platform_fee_percent

# What the provider's requirement codes ask for, in the vendor's words (Stripe's codes; the fake uses them), translated
# when read.
REQUIREMENT_LABELS = {
    "external_account": gettext_noop("a bank account to pay you into"),
    "tos_acceptance": gettext_noop("your acceptance of the payment provider's terms"),
    "business_profile.url": gettext_noop("your business website"),
    "business_profile.mcc": gettext_noop("your business category"),
    "business_profile.product_description": gettext_noop("a description of what you sell"),
    "business_type": gettext_noop("your type of business"),
    "individual.verification.document": gettext_noop("a proof of identity"),
    "individual.dob": gettext_noop("your date of birth"),
    "individual.address": gettext_noop("your address"),
    "individual.phone": gettext_noop("your phone number"),
    "individual.email": gettext_noop("your e-mail address"),
    "individual.first_name": gettext_noop("your name"),
    "individual.last_name": gettext_noop("your name"),
    "representative": gettext_noop("details of the person representing the business"),
    "company": gettext_noop("your company's details"),
}


def requirement_label(code: str) -> str:
    """The words for one requirement code: the longest known prefix, else the code made readable."""
    parts = code.split(".")
    for n in range(len(parts), 0, -1):
        label = REQUIREMENT_LABELS.get(".".join(parts[:n]))
        if label:
            return gettext(label)
    return code.replace("_", " ").replace(".", ": ")


@dataclass(frozen=True)
class Onboarding:
    """A vendor's payout onboarding as its payouts page and API show it."""

    state: str  # "not_started", "incomplete" or "complete"
    label: str
    details_submitted: bool
    charges_enabled: bool
    payouts_enabled: bool
    missing: list[str]
    can_sell: bool
    provider: str


def vendor_onboarding(*, vendor: Vendor, payee: Payee | None = None) -> Onboarding:
    """Where the vendor's onboarding stands and what is missing (no provider call: what the last sync read)."""
    if payee is None:
        payee = Payee.objects.filter(vendor=vendor).first()
    allowed = settings.MARKETPLACE["SELL_BEFORE_ONBOARDING"]
    if payee is None or not payee.provider_ref:
        return Onboarding(
            state="not_started",
            label=gettext("Not started"),
            details_submitted=False,
            charges_enabled=False,
            payouts_enabled=False,
            missing=[gettext("a payout account with the payment provider")],
            can_sell=allowed,
            provider=payee.provider if payee else "",
        )
    missing: list[str] = []
    for code in payee.requirements or []:
        label = requirement_label(str(code))
        if label not in missing:
            missing.append(label)
    if not payee.ready and not missing:
        missing.append(
            gettext("the payment provider is checking your details")
            if payee.details_submitted
            else gettext("your details")
        )
    return Onboarding(
        state="complete" if payee.ready else "incomplete",
        label=gettext("Complete: you can be paid") if payee.ready else gettext("Started, not finished"),
        details_submitted=payee.details_submitted,
        charges_enabled=payee.charges_enabled,
        payouts_enabled=payee.payouts_enabled,
        missing=missing if not payee.ready else [],
        can_sell=allowed or payee.ready,
        provider=payee.provider,
    )


def vendor_ids_not_ready_to_sell(*, vendor_ids: list[int]) -> set[int]:
    """Of these vendors, those who may not sell yet because their onboarding is unfinished and the operator
    does not allow selling before it (MARKETPLACE["SELL_BEFORE_ONBOARDING"]). No query when it is allowed."""
    if settings.MARKETPLACE["SELL_BEFORE_ONBOARDING"] or not vendor_ids:
        return set()
    ready = set(
        Payee.objects.filter(
            vendor_id__in=vendor_ids, details_submitted=True, charges_enabled=True, payouts_enabled=True
        ).values_list("vendor_id", flat=True)
    )
    return set(vendor_ids) - ready


@dataclass(frozen=True)
class PayoutSummary:
    currency: str
    fee_percent: Decimal
    onboarding: Onboarding
    pending: Decimal  # paid orders' net, held until delivered (and until onboarding is complete)
    available: Decimal  # transferred to the vendor's payout account
    refunded: Decimal  # the vendor's share given back to buyers
    orders_paid: int
    notes: list[str] = field(default_factory=list)


def payout_summary_for_vendor(*, vendor: Vendor) -> PayoutSummary:
    """The vendor's balance (pending and available), refunds and onboarding. Two queries: the payee, and
    one aggregate over the vendor's own payouts (index payout_vendor_status_idx)."""
    net = F("gross_minor") - F("fee_minor") - (F("refunded_minor") - F("fee_refunded_minor"))
    totals = OrderPayout.objects.filter(vendor=vendor).aggregate(
        pending=Sum(net, filter=Q(status=OrderPayout.Status.HELD)),
        available=Sum(net, filter=Q(status=OrderPayout.Status.TRANSFERRED)),
        refunded=Sum(F("refunded_minor") - F("fee_refunded_minor")),
        orders=Count("id"),
    )
    onboarding = vendor_onboarding(vendor=vendor)
    notes = []
    if onboarding.state != "complete":
        notes.append(gettext("Delivered orders are paid out once your payout account is complete."))
    if not onboarding.can_sell:
        notes.append(gettext("Buyers cannot check out your products until your payout account is complete."))
    return PayoutSummary(
        currency=currency(),
        fee_percent=platform_fee_percent(),
        onboarding=onboarding,
        pending=from_minor(totals["pending"] or 0),
        available=from_minor(totals["available"] or 0),
        refunded=from_minor(totals["refunded"] or 0),
        orders_paid=totals["orders"] or 0,
        notes=notes,
    )


def payout_list_for_vendor(*, vendor: Vendor) -> QuerySet[OrderPayout]:
    """The vendor's own orders' payouts, newest first, each with its order (one query a page)."""
    return OrderPayout.objects.filter(vendor=vendor).select_related("order").order_by("-created_at", "-id")


def payment_get_for_consumer(*, consumer: User, checkout_id: int) -> Payment | None:
    """One of the consumer's own checkouts' payment, with its orders (and their vendors) and refunds; another
    consumer's is not found."""
    return (
        Payment.objects.filter(checkout_id=checkout_id, checkout__consumer=consumer)
        .select_related("checkout")
        .prefetch_related(
            Prefetch(
                "checkout__orders", queryset=Order.objects.select_related("vendor").order_by("vendor__name", "id")
            ),
            "refunds",
        )
        .first()
    )
