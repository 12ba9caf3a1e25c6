"""Reads of the shop floor. Each selector owns its joins, so a page runs the same queries for 5 rows or 500.

Public figures (partner counts, ratings, end reasons) come only from the statistics tables.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, OuterRef, Prefetch, Q, QuerySet, Value

from marketplace.accounts.models import User
from marketplace.pagination import StackedQuerySet
from marketplace.privacy import public_facts_from
from portfolios.models import PartnerMembership, VendorEndReasonStat
from portfolios.selectors import partner_vendor_ids
from portfolios.selectors.memberships import VendorExclusion
from promotions.models import Promotion
from promotions.selectors.feedback import feedback_list_for_consumer
from promotions.services import promotion_best_for_orders
from vendors.models import Product, Vendor
from vendors.selectors import vendor_list_public

from .models import CartItem, Order, ServiceRating

MAX_COMPARE = 4


class VendorSort:
    RELEVANCE = ""
    PARTNERS = "partners"
    RATING = "rating"
    NEWEST = "newest"
    NAME = "name"
    CHOICES = [
        (PARTNERS, "Most partners"),
        (RATING, "Best rated"),
        (NEWEST, "Newest"),
        (NAME, "Name"),
    ]


def _search_parts(
    qs: QuerySet[Any], *, query: str, fields: dict[str, str], name_field: str
) -> tuple[QuerySet[Any], QuerySet[Any] | None]:
    """The rows matching `query`, annotated `rank`, and on PostgreSQL the fuzzy matches to show instead when
    there are none. PostgreSQL: full text on the stored, GIN-indexed `search` vector (kept by triggers,
    weighted as `fields` say: vendors migration 0003), then trigram matches on `name_field` through its
    trigram index; StackedQuerySet.or_else reads the second only when the first has no row. SQLite (the
    embedded mode): a plain icontains over `fields`, no fuzzy part. No query: `qs` unchanged."""
    query = query.strip()
    if not query:
        return qs, None
    if not settings.IS_POSTGRES:
        condition = Q()
        for path in fields:
            condition |= Q(**{f"{path}__icontains": query})
        return qs.filter(condition).annotate(rank=Value(0.0)), None
    search_query = SearchQuery(query, search_type="websearch", config="english")
    matches = qs.filter(search=search_query).annotate(rank=SearchRank(F("search"), search_query))
    # Word similarity (pg_trgm's %>, threshold 0.6): a typo in one word of a long name ("cofee" in "Roasted
    # coffee beans") is close. Plain similarity (%) was measured at 8k index candidates to recheck for a
    # two-word typo on 200k products (50 ms), word similarity at none (1 ms).
    fuzzy = qs.filter(**{f"{name_field}__trigram_word_similar": query})
    return matches, fuzzy.annotate(rank=TrigramWordSimilarity(query, name_field))


def _stacked(listing: QuerySet[Any] | StackedQuerySet) -> StackedQuerySet:
    if isinstance(listing, StackedQuerySet):
        return listing
    return StackedQuerySet(listing, order_by=list(listing.query.order_by))


def _without_ended(
    qs: QuerySet[Any], *, ended: frozenset[int], id_field: str, name_field: str, query: str
) -> QuerySet[Any]:
    """Rule 2: rows of vendors the consumer ended are left out, unless the consumer is looking for the vendor
    by name (the search text is part of its name), so an ended vendor is never suggested yet stays findable."""
    if not ended:
        return qs
    ended_rows = Q(**{f"{id_field}__in": ended})
    query = query.strip()
    if query:
        return qs.exclude(ended_rows & ~Q(**{f"{name_field}__icontains": query}))
    return qs.exclude(ended_rows)


def vendor_list_directory(
    *,
    search: str = "",
    category: str | None = None,
    region: str | None = None,
    sort: str = "",
    exclusion: VendorExclusion | None = None,
) -> QuerySet[Vendor] | StackedQuerySet:
    """Approved vendors for the directory and the API: searched, filtered by category and region served,
    sorted by partner count, rating, newest or name (by relevance when searching and no sort is chosen).
    Vendors the consumer ended (their `exclusion`) appear only when the search names them. On PostgreSQL the
    partner, rating and relevance orders are StackedQuerySets, read by slices (see _by_partner_count); no
    query counts the directory."""
    qs = vendor_list_public(category=category or None).select_related("sales_stats")
    if exclusion is not None:
        qs = _without_ended(qs, ended=exclusion.ended, id_field="pk", name_field="name", query=search)
    if region:
        qs = qs.filter(Exists(Vendor.regions.through.objects.filter(vendor_id=OuterRef("pk"), region__code=region)))
    matches, fuzzy = _search_parts(
        qs, query=search, fields={"name": "A", "category__name": "B", "description": "C"}, name_field="name"
    )
    searching = bool(search.strip())
    listing = _vendor_order(matches, sort=sort, searching=searching)
    if fuzzy is None:
        return listing
    return _stacked(listing).or_else(_stacked(_vendor_order(fuzzy, sort=sort, searching=searching)))


def _vendor_order(qs: QuerySet[Vendor], *, sort: str, searching: bool) -> QuerySet[Vendor] | StackedQuerySet:
    if sort == VendorSort.PARTNERS:
        return _by_partner_count(qs)
    if sort == VendorSort.RATING:
        return _by_rating(qs)
    if sort == VendorSort.NEWEST:
        return qs.order_by(F("approved_at").desc(nulls_last=True), "-id")
    if searching and sort != VendorSort.NAME:
        if settings.IS_POSTGRES:  # keys first: the statistics tables are joined for the page shown only
            return StackedQuerySet(qs, order_by=["-rank", "name", "id"])
        return qs.order_by("-rank", "name", "id")
    return qs.order_by("name", "id")


def _by_partner_count(qs: QuerySet[Vendor]) -> QuerySet[Vendor] | StackedQuerySet:
    """Most partners first. On PostgreSQL the vendors with a statistics row walk its current_partners index
    (stats_current_partners_idx), stacked before those the statistics job has not reached yet (no row: the
    NULLS LAST of the plain order), so no request sorts every approved vendor; read it by slices."""
    if not settings.IS_POSTGRES:
        return qs.order_by(F("stats__current_partners").desc(nulls_last=True), "name", "id")
    return StackedQuerySet(
        qs,
        first=Q(stats__isnull=False),
        order_by=[F("stats__current_partners").desc(), "name", "id"],
        then=Q(stats__isnull=True),
        then_order_by=["name", "id"],
    )


def _by_rating(qs: QuerySet[Vendor]) -> QuerySet[Vendor] | StackedQuerySet:
    """Best rated first, the unrated last. On PostgreSQL the rated vendors are ordered by their key alone and
    stacked before the rest, so the sort is over narrow rows and the unrated part is read only when reached."""
    order = [F("sales_stats__rating_average").desc(), F("sales_stats__rating_count").desc(), "name", "id"]
    if not settings.IS_POSTGRES:
        return qs.order_by(
            F("sales_stats__rating_average").desc(nulls_last=True),
            F("sales_stats__rating_count").desc(nulls_last=True),
            "name",
            "id",
        )
    return StackedQuerySet(
        qs,
        first=Q(sales_stats__rating_average__isnull=False),
        order_by=order,
        then=Q(sales_stats__rating_average__isnull=True),
        then_order_by=[F("sales_stats__rating_count").desc(nulls_last=True), "name", "id"],
    )


def vendor_get_for_page(*, slug: str) -> Vendor | None:
    """One approved vendor with its statistics rows and its top end reasons prefetched."""
    return (
        vendor_list_public()
        .select_related("sales_stats")
        .prefetch_related(_top_reasons_prefetch())
        .filter(slug=slug)
        .first()
    )


def _top_reasons_prefetch() -> Prefetch:
    return Prefetch(
        "end_reason_stats",
        queryset=VendorEndReasonStat.objects.filter(ended_90d__gt=0).order_by("-ended_90d", "reason"),
        to_attr="recent_end_reasons",
    )


def vendor_facts(*, vendor: Vendor) -> dict[str, Any]:
    """The public facts of a vendor fetched by vendor_get_for_page or vendor_list_compare (no extra query),
    already suppressed (rule 4: marketplace.privacy), so no page or API can show a figure under K."""
    stats = getattr(vendor, "stats", None) if _has_related(vendor, "stats") else None
    sales = getattr(vendor, "sales_stats", None) if _has_related(vendor, "sales_stats") else None
    reasons = getattr(vendor, "recent_end_reasons", [])[:3]
    return public_facts_from(
        {
            "partner_count": stats.current_partners if stats else 0,
            "ended_recent": stats.ended_90d if stats else 0,
            "recent_days": settings.MARKETPLACE["PUBLIC_FACTS_DAYS"],
            "top_end_reasons": [(r.get_reason_display(), r.ended_90d) for r in reasons],
            "rating_average": sales.rating_average if sales else None,
            "rating_count": sales.rating_count if sales else 0,
            "computed_at": stats.computed_at if stats else None,
            "joined": vendor.approved_at or vendor.created_at,
        }
    )


def _has_related(obj: Any, name: str) -> bool:
    try:
        getattr(obj, name)
    except ObjectDoesNotExist:  # the statistics job has not written this vendor's row yet
        return False
    return True


def vendor_list_compare(*, slugs: list[str]) -> list[Vendor]:
    """Two to four approved vendors side by side, in the order asked, with their public facts' rows."""
    wanted = list(OrderedDict.fromkeys(s for s in slugs if s))[:MAX_COMPARE]
    vendors = {
        v.slug: v
        for v in vendor_list_public()
        .select_related("sales_stats")
        .prefetch_related(_top_reasons_prefetch())
        .filter(slug__in=wanted)
    }
    return [vendors[s] for s in wanted if s in vendors]


def product_list_for_vendor_page(*, vendor: Vendor) -> QuerySet[Product]:
    return vendor.products.filter(active=True).select_related("category").order_by("name", "id")


def product_get_for_page(*, pk: int) -> Product | None:
    """A purchasable product of an approved vendor (others answer 404)."""
    return Product.objects.purchasable().select_related("vendor", "category").filter(pk=pk).first()


def _partner_flag(partners: set[int]) -> ExpressionWrapper | Value:
    """`vendor_id IN (the consumer's partners)`: a short list read once, not a subquery per product."""
    if not partners:
        return Value(False)
    return ExpressionWrapper(Q(vendor_id__in=partners), output_field=BooleanField())


def product_search_partners_first(
    *,
    consumer: User | AnonymousUser,
    query: str = "",
    only_partners: bool = False,
    exclusion: VendorExclusion | None = None,
) -> QuerySet[Product] | StackedQuerySet:
    """Purchasable products, the consumer's current partners' first (annotated from_partner), then the rest,
    each group by relevance. `only_partners` keeps only partners' products. Products of vendors the consumer
    ended (their `exclusion`) appear only when the search names the vendor, annotated from_ended_partner.
    On PostgreSQL it is a StackedQuerySet, read by slices (a page): with a query the matches are ranked as
    narrow rows; without one the partners' products and then the others each walk the name index instead of
    sorting every product. No query counts the matches: pages fetch one row more (LookaheadPaginator)."""
    ended = exclusion.ended if exclusion is not None else frozenset()
    partners = partner_vendor_ids(consumer=consumer)  # one query; none for anonymous visitors
    qs = (
        Product.objects.purchasable()
        .with_unit_price(partner_vendor_ids=partners)
        .select_related("vendor", "category")
        .annotate(
            from_partner=_partner_flag(partners),
            from_ended_partner=(
                ExpressionWrapper(Q(vendor_id__in=ended), output_field=BooleanField()) if ended else Value(False)
            ),
        )
    )
    qs = _without_ended(qs, ended=ended, id_field="vendor_id", name_field="vendor__name", query=query)
    if only_partners:
        qs = qs.filter(vendor_id__in=partners)
    qs, fuzzy = _search_parts(
        qs, query=query, fields={"name": "A", "vendor__name": "B", "description": "C"}, name_field="name"
    )
    partners_first = ["-from_partner"] if partners and not only_partners else []
    if query.strip():
        order = [*partners_first, "-rank", "name", "id"]
        if fuzzy is not None:  # PostgreSQL. Keys first: the matches are ranked as narrow rows, 25 rows fetched
            return StackedQuerySet(qs, order_by=order).or_else(StackedQuerySet(fuzzy, order_by=order))
        return qs.order_by(*order)
    if partners_first and settings.IS_POSTGRES:
        return StackedQuerySet(
            qs, first=Q(vendor_id__in=partners), then=~Q(vendor_id__in=partners), order_by=["name", "id"]
        )
    return qs.order_by(*partners_first, "name", "id")


# --- Cart ---------------------------------------------------------------------------------------------


@dataclass
class CartLine:
    item: CartItem
    unit_price: Decimal
    price_changed: bool
    available: bool
    enough_stock: bool

    @property
    def product(self) -> Product:
        return self.item.product

    @property
    def quantity(self) -> int:
        return self.item.quantity

    @property
    def line_total(self) -> Decimal:
        return self.unit_price * self.item.quantity


@dataclass
class CartVendorGroup:
    vendor: Vendor
    is_partner: bool
    lines: list[CartLine] = field(default_factory=list)

    @property
    def subtotal(self) -> Decimal:
        return sum((line.line_total for line in self.lines), Decimal("0.00"))


@dataclass
class Cart:
    groups: list[CartVendorGroup]

    @property
    def lines(self) -> list[CartLine]:
        return [line for group in self.groups for line in group.lines]

    @property
    def total(self) -> Decimal:
        return sum((g.subtotal for g in self.groups), Decimal("0.00"))

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def has_problems(self) -> bool:
        return any(line.price_changed or not line.available or not line.enough_stock for line in self.lines)

    @property
    def is_empty(self) -> bool:
        return not self.groups


def cart_get(*, consumer: User) -> Cart:
    """The consumer's cart grouped by vendor, at today's prices, with every line's problems marked. Two queries."""
    partners = partner_vendor_ids(consumer=consumer)
    items = (
        CartItem.objects.filter(consumer=consumer)
        .select_related("product", "product__vendor")
        .order_by("product__vendor__name", "product__vendor_id", "added_at", "id")
    )
    groups: dict[int, CartVendorGroup] = {}
    for item in items:
        product = item.product
        vendor = product.vendor
        is_partner = vendor.pk in partners
        unit_price = product.unit_price_for(is_partner=is_partner)
        group = groups.setdefault(vendor.pk, CartVendorGroup(vendor=vendor, is_partner=is_partner))
        group.lines.append(
            CartLine(
                item=item,
                unit_price=unit_price,
                price_changed=unit_price != item.unit_price_seen,
                available=product.active and vendor.status == Vendor.Status.APPROVED,
                enough_stock=product.stock >= item.quantity,
            )
        )
    return Cart(groups=list(groups.values()))


@dataclass
class CheckoutVendorPreview:
    """One vendor's order as checkout would place it now: the promotion it would apply and the total."""

    group: CartVendorGroup
    promotion: Promotion | None
    discount: Decimal

    @property
    def vendor(self) -> Vendor:
        return self.group.vendor

    @property
    def subtotal(self) -> Decimal:
        return self.group.subtotal

    @property
    def total(self) -> Decimal:
        return self.subtotal - self.discount


@dataclass
class CheckoutPreview:
    """What placing the order now would charge, per vendor and in all, with the promotion code given."""

    cart: Cart
    vendors: list[CheckoutVendorPreview]
    code: str = ""

    @property
    def discount(self) -> Decimal:
        return sum((v.discount for v in self.vendors), Decimal("0.00"))

    @property
    def total(self) -> Decimal:
        return self.cart.total - self.discount

    @property
    def code_applied(self) -> bool:
        """The code given unlocks a promotion that checkout would apply."""
        return bool(self.code) and any(v.promotion is not None and v.promotion.code for v in self.vendors)


def promotion_ids_used_up(*, consumer: User, vendor_ids: list[int]) -> set[int]:
    """Running promotions of these vendors that this consumer may not redeem again: they reached their own
    uses (uses_per_consumer, once by default) or everyone's together (max_uses). One query, over the
    redemptions of the running promotions of the vendors in a cart only."""
    rows = (
        Promotion.objects.running()
        .filter(vendor_id__in=vendor_ids)
        .annotate(mine=Count("redemptions", filter=Q(redemptions__consumer=consumer)), everyone=Count("redemptions"))
        .filter(Q(mine__gte=F("uses_per_consumer")) | Q(max_uses__isnull=False, everyone__gte=F("max_uses")))
        .values_list("pk", flat=True)
    )
    return set(rows)


def checkout_preview(*, consumer: User, code: str = "") -> CheckoutPreview:
    """The cart with, per vendor, the best promotion and discount checkout_place would apply now: the same
    rule (promotions.services.promotion_best_for_orders) on the same subtotals. Three queries; writes nothing."""
    cart = cart_get(consumer=consumer)
    code = code.strip()
    vendor_ids = [g.vendor.pk for g in cart.groups]
    used_up = promotion_ids_used_up(consumer=consumer, vendor_ids=vendor_ids) if vendor_ids else set()
    best = promotion_best_for_orders(
        consumer=consumer, subtotals={g.vendor.pk: g.subtotal for g in cart.groups}, code=code, used_up=used_up
    )
    vendors = [
        CheckoutVendorPreview(group=g, promotion=best[g.vendor.pk][0], discount=best[g.vendor.pk][1])
        for g in cart.groups
    ]
    return CheckoutPreview(cart=cart, vendors=vendors, code=code)


# --- Orders -------------------------------------------------------------------------------------------


def order_list_for_consumer(*, consumer: User) -> QuerySet[Order]:
    """The consumer's own orders, newest first, with vendor, lines, rating and redemption in bounded queries."""
    return (
        Order.objects.filter(consumer=consumer)
        .select_related("vendor", "rating", "redemption", "redemption__promotion")
        .prefetch_related("lines")
        .order_by("-created_at", "-id")
    )


def order_get_for_consumer(*, consumer: User, pk: int) -> Order | None:
    """One of the consumer's own orders; another consumer's order is simply not found."""
    return order_list_for_consumer(consumer=consumer).filter(pk=pk).first()


def order_list_for_vendor(*, vendor: Vendor, status: str = "") -> QuerySet[Order]:
    """A vendor's own orders, newest first, lines prefetched; `status` filters when it is a known state."""
    qs = Order.objects.filter(vendor=vendor).prefetch_related("lines").order_by("-created_at", "-id")
    return qs.filter(status=status) if status in Order.Status.values else qs


# --- Account data export (the top layer sees every table) --------------------------------------------


def account_export_data(*, user: User) -> dict[str, Any]:
    """Everything the marketplace holds about this consumer, as plain JSON-ready data."""
    profile = getattr(user, "profile", None)
    memberships = PartnerMembership.objects.filter(consumer=user).select_related("vendor").order_by("started_at", "id")
    orders = order_list_for_consumer(consumer=user)
    ratings = ServiceRating.objects.filter(consumer=user).select_related("vendor").order_by("created_at")
    feedback = feedback_list_for_consumer(consumer=user)
    return {
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "date_joined": user.date_joined.isoformat(),
        },
        "profile": _profile_data(profile),
        "partnerships": [
            {
                "vendor": m.vendor.name,
                "vendor_slug": m.vendor.slug,
                "started_at": m.started_at.isoformat(),
                "ended_at": m.ended_at.isoformat() if m.ended_at else None,
                "end_reason": m.end_reason,
                "end_comment": m.end_comment,
                "muted": m.muted,
            }
            for m in memberships
        ],
        "orders": [
            {
                "id": o.pk,
                "vendor": o.vendor.name,
                "status": o.status,
                "created_at": o.created_at.isoformat(),
                "ship_to_name": o.ship_to_name,
                "ship_to_address": o.ship_to_address,
                "subtotal": str(o.subtotal),
                "discount": str(o.discount),
                "total": str(o.total),
                "lines": [
                    {"product": line.product_name, "unit_price": str(line.unit_price), "quantity": line.quantity}
                    for line in o.lines.all()
                ],
            }
            for o in orders
        ],
        "ratings": [
            {
                "order": r.order_id,
                "vendor": r.vendor.name,
                "score": r.score,
                "comment": r.comment,
                "created_at": r.created_at.isoformat(),
            }
            for r in ratings
        ],
        "promotion_feedback": [
            {
                "promotion": f.promotion.title,
                "vendor": f.promotion.vendor.name,
                "verdict": f.verdict,
                "reason": f.reason,
                "updated_at": f.updated_at.isoformat(),
            }
            for f in feedback
        ],
    }


def _profile_data(profile: Any) -> dict[str, Any]:
    if profile is None:
        return {}
    return {
        "region": profile.region.name if profile.region else None,
        "age_band": profile.age_band,
        "interests": [i.name for i in profile.interests.all()],
        "share_region": profile.share_region,
        "share_age_band": profile.share_age_band,
        "share_interests": profile.share_interests,
        "weekly_promotion_cap": profile.weekly_promotion_cap,
        "digest_frequency": profile.digest_frequency,
        "digest_confirmed_at": profile.digest_confirmed_at.isoformat() if profile.digest_confirmed_at else None,
        "digest_sent_at": profile.digest_sent_at.isoformat() if profile.digest_sent_at else None,
    }
