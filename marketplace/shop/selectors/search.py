"""Product search, partners first (rule 6): the consumer's partners' products ranked first, then the rest;
the first rows of every search kept for everyone, each visitor's partners put first per request."""

from __future__ import annotations

import hashlib
from functools import cached_property, partial

from django.contrib.auth.models import AnonymousUser
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet, Value

from marketplace.accounts.models import User
from marketplace.kernel.page_cache import storefront_kept
from marketplace.kernel.pagination import StackedQuerySet
from portfolios.selectors import partner_vendor_ids
from portfolios.selectors.memberships import VendorExclusion
from vendors.models import Product

from .storefront import _named_by, _search_parts, _without_ended

# A product search with at most this many matches is kept whole, ranked, for every visitor (a selective search).
SEARCH_KEPT = 48


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
    near_matches: bool = True,
) -> QuerySet[Product] | StackedQuerySet:
    """Purchasable products, the consumer's current partners' first (annotated from_partner), then the rest,
    each group by relevance. `only_partners` keeps only partners' products. A search text that full text
    finds nowhere finds near matches of the names instead (trigram), unless `near_matches` is False. Products
    of vendors the consumer ended (their `exclusion`) appear only when the search names the vendor, annotated
    from_ended_partner.
    On PostgreSQL it is a StackedQuerySet, read by slices (a page): with a query the matches are ranked as
    narrow rows; without one the partners' products and then the others each walk the name index instead of
    sorting every product. No query counts the matches: pages fetch one row more (LookaheadPaginator)."""
    ended = exclusion.ended if exclusion is not None else frozenset()
    # Read with the exclusion when the page has it; one query otherwise (none for anonymous visitors).
    partners = set(exclusion.partners) if exclusion is not None else partner_vendor_ids(consumer=consumer)
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
        if fuzzy is not None and near_matches:  # Keys first: the matches ranked as narrow rows
            return StackedQuerySet(qs, order_by=order).or_else(StackedQuerySet(fuzzy, order_by=order))
        if fuzzy is not None and not only_partners:
            return StackedQuerySet(qs, order_by=order)
        return qs.order_by(*order)
    if partners_first:
        return StackedQuerySet(
            qs, first=Q(vendor_id__in=partners), then=~Q(vendor_id__in=partners), order_by=["name", "id"]
        )
    return qs.order_by(*partners_first, "name", "id")


def product_search_partners_first_kept(
    *,
    consumer: User | AnonymousUser,
    query: str = "",
    only_partners: bool = False,
    exclusion: VendorExclusion,
) -> QuerySet[Product] | StackedQuerySet | PartnersFirstHead:
    """product_search_partners_first for one visitor's page or API list, read from what is kept where it can be
    (PartnersFirstHead)."""
    return PartnersFirstHead(consumer=consumer, query=query, exclusion=exclusion, only_partners=only_partners)


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _product_search_head(query: str) -> tuple[list[Product], bool]:
    """The first SEARCH_KEPT + 1 rows of a product search as anyone sees it, and whether they are near matches
    (full text found nothing: product_search_partners_first's trigram part)."""
    everyone = partial(
        product_search_partners_first, consumer=AnonymousUser(), query=query, exclusion=VendorExclusion()
    )
    rows = list(everyone(near_matches=False)[: SEARCH_KEPT + 1])
    if rows or not query:
        return rows, False
    return list(everyone()[: SEARCH_KEPT + 1]), True


class PartnersFirstHead:
    """One visitor's product search (or the product list with no search text), partners first, read by
    slices as paginators and DRF read a queryset. Apart from partners first, a search finds the same products
    in the same order for every visitor: its first SEARCH_KEPT + 1 ranked rows are kept for everyone
    (marketplace.kernel.page_cache.storefront_kept), and a slice within them is this visitor's current partners'
    products, then the kept rows less their partners' and the vendors they ended, unless the text names them
    (rule 2, marked), each part in the order the database gives (rank, name, id), with their own prices.
    Their partners' products are one query over those partners' products, kept the same way for the search
    text and that set of partners (so a visitor's next page or reload reads neither). The slice is read for
    them from the database (`for_visitor`, built only then) when it reaches past the kept rows, when the name
    test needs the database (text that is not ASCII) and when every match is left out (the database then
    looks for near matches). With `only_partners` the list is their partners' products alone, its first
    SEARCH_KEPT + 1 rows kept the same way."""

    ordered = True
    model = Product

    def __init__(
        self,
        *,
        consumer: User | AnonymousUser,
        query: str,
        exclusion: VendorExclusion,
        only_partners: bool = False,
    ) -> None:
        self.consumer, self.query, self.exclusion = consumer, query.strip(), exclusion
        self.only_partners = only_partners

    @cached_property
    def for_visitor(self) -> QuerySet[Product] | StackedQuerySet:
        return product_search_partners_first(
            consumer=self.consumer, query=self.query, only_partners=self.only_partners, exclusion=self.exclusion
        )

    def __getitem__(self, index: slice) -> list[Product]:
        if not isinstance(index, slice) or index.step is not None or not 0 < (index.stop or 0) <= SEARCH_KEPT + 1:
            return self.for_visitor[index]
        start, stop = index.start or 0, index.stop
        query, exclusion = self.query, self.exclusion
        digest = _digest(query)
        partners = _digest(",".join(map(str, sorted(exclusion.partners))))
        if self.only_partners:  # the list's first SEARCH_KEPT + 1 rows hold any slice that ends within them
            rows = storefront_kept(
                f"product-results:{digest}:only-partners:{partners}",
                lambda: list(self.for_visitor[: SEARCH_KEPT + 1]),
            )
            return rows[start:stop]
        everyone, near = storefront_kept(f"product-results:{digest}", lambda: _product_search_head(query))
        complete = len(everyone) <= SEARCH_KEPT
        others: list[Product] = []
        for product in everyone:
            if product.vendor_id in exclusion.partners:  # their partners' products come first, read below
                continue
            if product.vendor_id in exclusion.ended:  # rule 2, as _without_ended applies it
                named = _named_by(query, product.vendor.name) if query else False
                if named is None:
                    return self.for_visitor[index]
                if not named:
                    continue
                product.from_ended_partner = True
            product.from_partner = False
            others.append(product)
        own: list[Product] = []
        if exclusion.partners:
            own = storefront_kept(
                f"product-results:{digest}:partners:{partners}",
                lambda: list(
                    product_search_partners_first(
                        consumer=self.consumer, query=query, only_partners=True, exclusion=exclusion, near_matches=near
                    )[: SEARCH_KEPT + 1]
                ),
            )
        if everyone and not own and not others:  # every match left out: the database looks for near matches
            return self.for_visitor[index]
        if len(own) + len(others) < stop and not complete:
            return self.for_visitor[index]
        return (own + others)[start:stop]
