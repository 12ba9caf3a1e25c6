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
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, TrigramSimilarity
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Greatest

from marketplace.accounts.models import User
from portfolios.models import PartnerMembership, VendorEndReasonStat
from portfolios.selectors import partner_vendor_ids
from vendors.models import Product, Vendor
from vendors.selectors import vendor_list_public

from .models import CartItem, Order, ServiceRating
from .pricing import product_unit_price

# Below this trigram similarity a name is not a fuzzy match: 0.2 catches "cofee" for "Coffee" and little noise.
TRIGRAM_THRESHOLD = 0.2
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


def _search_filter(qs: QuerySet[Any], *, query: str, fields: dict[str, str], name_field: str) -> QuerySet[Any]:
    """Full-text plus trigram search on PostgreSQL, ranked; a plain icontains on SQLite (embedded mode)."""
    query = query.strip()
    if not query:
        return qs
    if not settings.IS_POSTGRES:
        condition = Q()
        for path in fields:
            condition |= Q(**{f"{path}__icontains": query})
        return qs.filter(condition).annotate(rank=Value(0.0))
    vector = None
    for path, weight in fields.items():
        part = SearchVector(path, weight=weight, config="english")
        vector = part if vector is None else vector + part
    search_query = SearchQuery(query, search_type="websearch", config="english")
    return (
        qs.annotate(
            search_rank=SearchRank(vector, search_query),
            name_similarity=TrigramSimilarity(name_field, query),
        )
        .filter(Q(search_rank__gt=0) | Q(name_similarity__gt=TRIGRAM_THRESHOLD))
        .annotate(rank=Greatest(F("search_rank"), F("name_similarity")))
    )


def vendor_list_directory(
    *, search: str = "", category: str | None = None, region: str | None = None, sort: str = ""
) -> QuerySet[Vendor]:
    """Approved vendors for the directory and the API: searched, filtered by category and region served,
    sorted by partner count, rating, newest or name (by relevance when searching and no sort is chosen)."""
    qs = vendor_list_public(category=category or None).select_related("sales_stats")
    if region:
        qs = qs.filter(Exists(Vendor.regions.through.objects.filter(vendor_id=OuterRef("pk"), region__code=region)))
    qs = _search_filter(
        qs, query=search, fields={"name": "A", "category__name": "B", "description": "C"}, name_field="name"
    )
    if sort == VendorSort.PARTNERS:
        return qs.order_by(F("stats__current_partners").desc(nulls_last=True), "name", "id")
    if sort == VendorSort.RATING:
        return qs.order_by(
            F("sales_stats__rating_average").desc(nulls_last=True),
            F("sales_stats__rating_count").desc(nulls_last=True),
            "name",
            "id",
        )
    if sort == VendorSort.NEWEST:
        return qs.order_by(F("approved_at").desc(nulls_last=True), "-id")
    if search.strip() and sort != VendorSort.NAME:
        return qs.order_by("-rank", "name", "id")
    return qs.order_by("name", "id")


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
    """The public facts of a vendor fetched by vendor_get_for_page or vendor_list_compare (no extra query)."""
    stats = getattr(vendor, "stats", None) if _has_related(vendor, "stats") else None
    sales = getattr(vendor, "sales_stats", None) if _has_related(vendor, "sales_stats") else None
    reasons = getattr(vendor, "recent_end_reasons", [])[:3]
    return {
        "partner_count": stats.current_partners if stats else 0,
        "ended_recent": stats.ended_90d if stats else 0,
        "recent_days": settings.MARKETPLACE["PUBLIC_FACTS_DAYS"],
        "top_end_reasons": [(r.get_reason_display(), r.ended_90d) for r in reasons],
        "rating_average": sales.rating_average if sales else None,
        "rating_count": sales.rating_count if sales else 0,
        "computed_at": stats.computed_at if stats else None,
        "joined": vendor.approved_at or vendor.created_at,
    }


def _has_related(obj: Any, name: str) -> bool:
    try:
        getattr(obj, name)
    except ObjectDoesNotExist:  # the statistics job has not written this vendor's row yet
        return False
    return True


def vendor_rating(*, vendor: Vendor) -> dict[str, object]:
    """Average service rating of one vendor and how many ratings it rests on, from the sales statistics."""
    facts = vendor_facts(vendor=vendor)
    return {"average": facts["rating_average"], "count": facts["rating_count"]}


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


def _partner_flag(consumer: User | AnonymousUser) -> Exists | Value:
    if not consumer.is_authenticated:
        return Value(False)
    return Exists(PartnerMembership.objects.active().filter(consumer=consumer, vendor_id=OuterRef("vendor_id")))


def product_search_partners_first(
    *, consumer: User | AnonymousUser, query: str = "", only_partners: bool = False
) -> QuerySet[Product]:
    """Purchasable products, the consumer's current partners' first (annotated from_partner), then the rest,
    each group by relevance. `only_partners` keeps only partners' products."""
    qs = (
        Product.objects.purchasable()
        .select_related("vendor", "category")
        .annotate(from_partner=_partner_flag(consumer))
    )
    qs = _search_filter(
        qs, query=query, fields={"name": "A", "vendor__name": "B", "description": "C"}, name_field="name"
    )
    if only_partners:
        qs = qs.filter(from_partner=True)
    if query.strip():
        return qs.order_by("-from_partner", "-rank", "name", "id")
    return qs.order_by("-from_partner", "name", "id")


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
        unit_price = product_unit_price(product=product, is_partner=is_partner)
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


def cart_count(*, consumer: User) -> int:
    return CartItem.objects.filter(consumer=consumer).count()


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


def order_list_for_checkout(*, checkout_id: int) -> QuerySet[Order]:
    return (
        Order.objects.filter(checkout_id=checkout_id)
        .select_related("vendor", "rating", "redemption", "redemption__promotion")
        .prefetch_related("lines")
        .order_by("vendor__name", "id")
    )


# --- Account data export (the top layer sees every table) --------------------------------------------


def account_export_data(*, user: User) -> dict[str, Any]:
    """Everything the marketplace holds about this consumer, as plain JSON-ready data."""
    profile = getattr(user, "profile", None)
    memberships = PartnerMembership.objects.filter(consumer=user).select_related("vendor").order_by("started_at", "id")
    orders = order_list_for_consumer(consumer=user)
    ratings = ServiceRating.objects.filter(consumer=user).select_related("vendor").order_by("created_at")
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
    }
