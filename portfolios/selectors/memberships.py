"""Reads of portfolios and of the statistics tables. Pages never scan memberships for figures."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from marketplace.accounts.models import User
from marketplace.kernel.caching import kept
from marketplace.kernel.privacy import public_facts
from vendors.models import Product, Vendor
from vendors.shown import SHAPE, ProductShown, VendorShown, product_shown, vendor_ref, vendor_shown

from ..models import PartnerMembership, VendorEndReasonStat


def partner_vendor_ids(*, consumer: User) -> set[int]:
    """Ids of the consumer's current partners (empty for anonymous users)."""
    if not consumer.is_authenticated:
        return set()
    return set(PartnerMembership.objects.active().filter(consumer=consumer).values_list("vendor_id", flat=True))


def vendor_public_facts(
    *, vendor: Vendor, rating_average: Decimal | None = None, rating_count: int | None = None
) -> dict[str, object]:
    """The transparent facts every vendor page shows (rule 5), read from the statistics tables, as the public
    may see them (rule 4, marketplace/kernel/privacy.py): every count released (noisy, rounded down to a multiple of
    K, "fewer than K" under K), the top reasons by their released counts, a rating average only from K ratings,
    noisy and in half stars. The rating lives in the shop's sales statistics, above this layer: the shop passes
    it in."""
    stats = getattr(vendor, "stats", None)
    # Every reason given (five at most): the top ones are chosen by their released counts, not the exact ones.
    reasons = list(VendorEndReasonStat.objects.filter(vendor=vendor, ended_90d__gt=0).order_by("reason"))
    return public_facts(
        vendor_id=vendor.pk,
        partner_count=stats.current_partners if stats else 0,
        ended_recent=stats.ended_90d if stats else 0,
        end_reasons=[(r.get_reason_display(), r.ended_90d) for r in reasons],
        rating_average=rating_average,
        rating_count=rating_count,
        recent_days=settings.MARKETPLACE["PUBLIC_FACTS_DAYS"],
        joined=vendor.approved_at or vendor.created_at,
        computed_at=stats.computed_at if stats else None,
    )


def membership_list_for_portfolio(*, consumer: User) -> QuerySet[PartnerMembership]:
    """The consumer's current partners, suspended ones included (marked), with their public figures."""
    return (
        PartnerMembership.objects.active()
        .filter(consumer=consumer)
        .select_related("vendor", "vendor__category", "vendor__stats")
        .order_by("vendor__name", "id")
    )


def membership_list_history(*, consumer: User) -> QuerySet[PartnerMembership]:
    """The consumer's ended partnerships, newest first, each marked `can_reinstate` (no active one now)."""
    active = PartnerMembership.objects.active().filter(consumer=consumer, vendor_id=OuterRef("vendor_id"))
    return (
        PartnerMembership.objects.ended()
        .filter(consumer=consumer)
        .select_related("vendor")
        .annotate(has_active=Exists(active))
        .order_by("-ended_at", "-id")
    )


def product_list_new_from_partners(*, consumer: User, days: int = 30, limit: int = 12) -> QuerySet[Product]:
    """Products that the consumer's current, approved partners added in the last `days` days."""
    # The consumer's approved partners first, then their products by vendor id: joining the vendor table in
    # the products query made PostgreSQL hash every vendor (a scan of all 10k, 11 ms) for 12 rows.
    partner_ids = set(
        PartnerMembership.objects.active()
        .filter(consumer=consumer, vendor__status=Vendor.Status.APPROVED)
        .values_list("vendor_id", flat=True)
    )
    return _products_new_from(partner_ids, days=days, limit=limit).prefetch_related("vendor")


def _products_new_from(partner_ids: Collection[int], *, days: int, limit: int) -> QuerySet[Product]:
    since = timezone.now() - timedelta(days=days)
    return (
        Product.objects.filter(active=True, vendor_id__in=partner_ids, created_at__gte=since)
        .select_related("category")
        .with_unit_price(partner_vendor_ids=partner_ids)
        .order_by("-created_at", "-id")[:limit]
    )


@dataclass(frozen=True)
class MembershipShown:
    """One partnership as My partners shows it to its consumer (a value kept in the shared cache)."""

    pk: int
    vendor: VendorShown
    started_at: datetime
    ended_at: datetime | None
    end_reason: str
    end_reason_display: str
    end_comment: str
    muted: bool
    has_active: bool = False  # an ended one: the consumer has a current partnership with the vendor again

    @property
    def vendor_id(self) -> int:
        return self.vendor.pk

    @property
    def is_active(self) -> bool:
        return self.ended_at is None

    def get_end_reason_display(self) -> str:
        return self.end_reason_display


def _membership_shown(membership: PartnerMembership, *, has_active: bool = False) -> MembershipShown:
    return MembershipShown(
        pk=membership.pk,
        vendor=vendor_shown(membership.vendor, regions=False),
        started_at=membership.started_at,
        ended_at=membership.ended_at,
        end_reason=membership.end_reason,
        end_reason_display=membership.get_end_reason_display(),
        end_comment=membership.end_comment,
        muted=membership.muted,
        has_active=has_active,
    )


@dataclass(frozen=True)
class Portfolio:
    """What My partners shows of one consumer's own portfolio."""

    memberships: tuple[MembershipShown, ...]  # current partners, suspended ones included, by vendor name
    history: tuple[MembershipShown, ...]  # ended partnerships, newest first, each marked `has_active`
    new_products: tuple[ProductShown, ...]  # product_list_new_from_partners

    def vendor_scopes(self) -> set[str]:
        return {f"vendor:{m.vendor.pk}" for m in (*self.memberships, *self.history)}


def portfolio_get(*, consumer: User, days: int = 30, limit: int = 12) -> Portfolio:
    """membership_list_for_portfolio, membership_list_history and product_list_new_from_partners for the My
    partners page from one read of the consumer's memberships (with vendor, category and statistics), and
    the new products with the vendors already read. Two queries, whatever the portfolio's size."""
    rows = list(
        PartnerMembership.objects.filter(consumer=consumer)
        .select_related("vendor", "vendor__category", "vendor__stats")
        .order_by("vendor__name", "id")
    )
    current = [m for m in rows if m.ended_at is None]
    partners = {m.vendor_id for m in current}
    history = sorted((m for m in rows if m.ended_at is not None), key=lambda m: (m.ended_at, m.pk), reverse=True)
    approved = {m.vendor_id: vendor_ref(m.vendor) for m in current if m.vendor.status == Vendor.Status.APPROVED}
    new_products = list(_products_new_from(set(approved), days=days, limit=limit)) if approved else []
    return Portfolio(
        memberships=tuple(_membership_shown(m) for m in current),
        history=tuple(_membership_shown(m, has_active=m.vendor_id in partners) for m in history),
        new_products=tuple(product_shown(p, vendor=approved[p.vendor_id]) for p in new_products),
    )


@kept(
    "my-partners",
    shape=SHAPE + 1,
    scopes=lambda consumer_id: (f"consumer:{consumer_id}", "reference"),
    rows=Portfolio.vendor_scopes,
    timed=("statistics",),
)
def portfolio_get_shown(*, consumer_id: int) -> Portfolio:
    """portfolio_get, for the kept value of one consumer (by id: the key names no user row)."""
    return portfolio_get(consumer=User(pk=consumer_id))


def portfolio_get_kept(*, consumer: User) -> Portfolio:
    """portfolio_get for the My partners page and the partner feed API, kept (marketplace.kernel.caching) until
    the consumer's own scope moves (every change to their memberships, feedback and deliveries, in its own
    transaction) or a scope of a vendor it shows does. The 30 days of new products show at most the timeout
    late."""
    return portfolio_get_shown.get(consumer_id=consumer.pk)


@dataclass(frozen=True)
class VendorExclusion:
    """The vendors one consumer has excluded (rule 2) or muted (rule 3), read once per request.

    `ended_on` maps each vendor the consumer ended, and has not reinstated, to when they last ended it: no ad,
    featured slot, suggestion or partner-price teaser of theirs reaches the consumer, who still finds them by
    name, marked. `muted` holds current partners whose promotions the consumer muted: their ads are hidden too.
    """

    ended_on: Mapping[int, datetime] = field(default_factory=dict)
    muted: frozenset[int] = frozenset()
    # The consumer's current partners (what partner_vendor_ids returns), read in the same query.
    partners: frozenset[int] = frozenset()

    @property
    def ended(self) -> frozenset[int]:
        return frozenset(self.ended_on)

    @property
    def ads_hidden(self) -> frozenset[int]:
        """Vendors whose public ads this consumer is not shown: the ended and the muted."""
        return self.ended | self.muted


def vendor_ids_excluded_for_visit(*, consumer: User | AnonymousUser) -> VendorExclusion:
    """vendor_ids_excluded_for for a page of this request, with `consumer` the request's user: one indexed read
    of their own memberships per request (none for anonymous visitors), so every change of theirs shows on
    their next page. Not kept: a kept copy would cost the same read of the version that guards it."""
    if not consumer.is_authenticated:
        return VendorExclusion()
    return vendor_ids_excluded_for(consumer=consumer)


def vendor_ids_excluded_for(*, consumer: User | AnonymousUser) -> VendorExclusion:
    """The consumer's exclusion set, and their current partners, from one plain read of their own memberships
    (none for anonymous visitors): ended partnerships with no active one since, and current partnerships they
    muted. Pages filter with it as `exclude(vendor_id__in=...)`, so no page adds a query per row; a page that
    has it reads the partners from it instead of asking partner_vendor_ids again."""
    if not consumer.is_authenticated:
        return VendorExclusion()
    memberships = PartnerMembership.objects.filter(consumer=consumer).order_by()  # any order: read into sets
    rows = list(memberships.values_list("vendor_id", "ended_at", "muted"))
    partners = frozenset(vendor_id for vendor_id, ended_at, _ in rows if ended_at is None)
    muted = frozenset(vendor_id for vendor_id, ended_at, is_muted in rows if ended_at is None and is_muted)
    ended_on: dict[int, datetime] = {}
    for vendor_id, ended_at, _ in rows:
        if ended_at is not None and vendor_id not in partners:  # reinstated since: not excluded
            if vendor_id not in ended_on or ended_at > ended_on[vendor_id]:
                ended_on[vendor_id] = ended_at
    return VendorExclusion(ended_on=ended_on, muted=muted, partners=partners)
