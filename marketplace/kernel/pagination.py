"""Pagination for pages and the API. Lists that can be long (search, the directory) use the look-ahead
paginators: they fetch one row more than a page instead of counting the whole list (no COUNT(*) over a
search or over every vendor), and go at most MAX_PAGES deep, so the OFFSET a request can ask for is bounded."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import Q, QuerySet
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

# 10 pages of 24 are 240 results: past that a shopper refines the search; no request skips more rows.
MAX_PAGES = 10


class BoundedPageNumberPagination(PageNumberPagination):
    """?page=N&page_size=M, with the page size capped so no request can ask for everything at once."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class LookaheadPage(Page):
    """A page that knows whether another follows (it fetched one row more) but not how many there are."""

    paginator: LookaheadPaginator

    def __init__(self, object_list: Sequence[Any], number: int, paginator: LookaheadPaginator, *, more: bool):
        super().__init__(object_list, number, paginator)
        self.more = more

    def __repr__(self) -> str:
        return f"<Page {self.number}>"

    def has_next(self) -> bool:
        return self.more and self.number < self.paginator.max_pages

    @property
    def truncated(self) -> bool:
        """More rows follow, past the last page shown (MAX_PAGES): the shopper narrows the search instead."""
        return self.more and self.number >= self.paginator.max_pages

    def next_page_number(self) -> int:
        return self.paginator.validate_number(self.number + 1)

    def start_index(self) -> int:
        return self.paginator.per_page * (self.number - 1) + 1 if self.object_list else 0

    def end_index(self) -> int:
        return self.paginator.per_page * (self.number - 1) + len(self.object_list)


class LookaheadPaginator(Paginator):
    """Django's Paginator without the COUNT: a page is one query, `LIMIT per_page + 1 OFFSET ...`, and the
    extra row only says that a next page exists. Pages past `max_pages`, or empty pages past the first, are
    invalid (the views answer 404). `count` and `num_pages` are never computed: num_pages is the cap."""

    def __init__(
        self,
        object_list: Any,
        per_page: int,
        orphans: int = 0,
        allow_empty_first_page: bool = True,
        max_pages: int = MAX_PAGES,
    ) -> None:
        super().__init__(object_list, per_page, orphans=0, allow_empty_first_page=allow_empty_first_page)
        self.max_pages = max_pages

    def validate_number(self, number: Any) -> int:
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger("That page number is not an integer.") from exc
        if number < 1:
            raise EmptyPage("That page number is less than 1.")
        if number > self.max_pages:
            raise EmptyPage(f"Only the first {self.max_pages} pages are shown; narrow the search to see more.")
        return number

    def page(self, number: Any) -> LookaheadPage:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage("That page contains no results.")
        return LookaheadPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)

    @property
    def count(self) -> int:  # type: ignore[override]
        raise NotImplementedError("A look-ahead paginator does not count its rows.")

    @property
    def num_pages(self) -> int:  # type: ignore[override]
        return self.max_pages


class LookaheadPagination(BoundedPageNumberPagination):
    """The API's look-ahead pages: `?page=N&page_size=M` (M at most 100, N at most MAX_PAGES) answered with
    `next`, `previous` and `results`, and no `count`: no request counts the whole search or directory."""

    django_paginator_class = LookaheadPaginator
    last_page_strings: tuple[str, ...] = ()
    template = None

    def get_paginated_response(self, data: Any) -> Response:
        return Response({"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data})

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        full = super().get_paginated_response_schema(schema)
        full["properties"].pop("count")
        full["required"] = ["results"]
        return full


class StackedQuerySet:
    """A list read a slice at a time in two queries: the slice's primary keys, from the rows of `base`
    matching `first` in `order_by` (then, if given, those matching `then` in `then_order_by`), and then the
    slice's rows by primary key, with base's select_related, annotations and prefetches.

    The keys query joins only what the filters and the order need, so a search that matches hundreds of rows
    sorts narrow rows and joins the statistics tables for the 25 shown, not for every match. With two parts,
    each is its own ORDER BY ... LIMIT, so an index serves each (a partial order, "partners first" or
    "NULLS LAST", would otherwise sort the whole table), and the second is not read at all while the first
    fills the slice (its LIMIT is then 0). `or_else(other)` reads `other` instead when this list has no row at
    all (a search's fuzzy matches when full text finds nothing), at the cost of one query that found nothing."""

    ordered = True

    def __init__(
        self,
        base: QuerySet[Any],
        *,
        order_by: Sequence[Any],
        first: Q | None = None,
        then: Q | None = None,
        then_order_by: Sequence[Any] | None = None,
    ) -> None:
        self.base, self.first, self.then = base, first or Q(), then
        self.order_by = list(order_by)
        self.then_order_by = list(order_by if then_order_by is None else then_order_by)
        self.model = base.model
        self.fallback: StackedQuerySet | None = None

    def _copy(self, base: QuerySet[Any], fallback: StackedQuerySet | None) -> StackedQuerySet:
        copy = StackedQuerySet(
            base, order_by=self.order_by, first=self.first, then=self.then, then_order_by=self.then_order_by
        )
        copy.fallback = fallback
        return copy

    def or_else(self, fallback: StackedQuerySet) -> StackedQuerySet:
        return self._copy(self.base, fallback)

    def prefetch_related(self, *lookups: Any) -> StackedQuerySet:
        fallback = self.fallback.prefetch_related(*lookups) if self.fallback is not None else None
        return self._copy(self.base.prefetch_related(*lookups), fallback)

    def __iter__(self) -> Iterator[Any]:
        raise TypeError("Slice a StackedQuerySet (it is read a page at a time), do not iterate over it.")

    def __getitem__(self, index: slice) -> list[Any]:
        if not isinstance(index, slice) or index.stop is None or index.step is not None:
            raise TypeError("A StackedQuerySet is read by slices with an end, such as [0:25].")
        start, stop = index.start or 0, index.stop
        if stop <= start:
            return []
        ids = self._keys(start, stop)
        if not ids and self.fallback is not None and (start == 0 or not self._keys(0, 1)):
            return self.fallback[start:stop]
        rows = {row.pk: row for row in self.base.filter(pk__in=ids)} if ids else {}
        return [rows[pk] for pk in ids if pk in rows]  # a row deleted between the two queries is skipped

    def _keys(self, start: int, stop: int) -> list[Any]:
        keys = self.keys_sql(start, stop)
        if keys is None:
            return []
        with connections[self.base.db].cursor() as cursor:
            cursor.execute(*keys)
            return [pk for (pk,) in cursor.fetchall()]

    def explain(self, start: int = 0, stop: int = 25, *, analyze: bool = False) -> str:
        """The plan of the keys query for this slice (the rows query is a lookup by primary key)."""
        keys = self.keys_sql(start, stop)
        if keys is None:
            return "(matches nothing: no query)"
        sql, params = keys
        with connections[self.base.db].cursor() as cursor:
            cursor.execute(f"EXPLAIN {'(ANALYZE, BUFFERS) ' if analyze else ''}{sql}", params)
            return "\n".join(row[0] for row in cursor.fetchall())

    def keys_sql(self, start: int, stop: int) -> tuple[str, tuple[Any, ...]] | None:
        """The keys query of a slice, or None when it can match nothing (as `pk__in=[]`)."""

        def part(condition: Q | None, order_by: list[Any]) -> tuple[str, tuple[Any, ...]] | None:
            if condition is None:
                return None
            keys = self.base.filter(condition).order_by(*order_by).values_list("pk", flat=True)
            try:
                return keys.query.sql_with_params()
            except EmptyResultSet:
                return None

        first, then = part(self.first, self.order_by), part(self.then, self.then_order_by)
        if first is None or then is None:
            only = first or then
            if only is None:
                return None
            return f"{only[0]} LIMIT %s OFFSET %s", (*only[1], stop - start, start)
        (first_sql, first_params), (then_sql, then_params) = first, then
        query = f"""
            WITH first_part AS MATERIALIZED (
                SELECT t.pk, row_number() OVER () AS position FROM ({first_sql} LIMIT %s) t (pk)
            ), then_part AS (
                SELECT t.pk, row_number() OVER () AS position
                FROM ({then_sql} LIMIT GREATEST(%s - (SELECT count(*) FROM first_part), 0)) t (pk)
            )
            SELECT pk FROM (
                SELECT pk, 0 AS part, position FROM first_part
                UNION ALL SELECT pk, 1 AS part, position FROM then_part
            ) stacked ORDER BY part, position OFFSET %s LIMIT %s"""
        return query, (*first_params, stop, *then_params, stop, start, stop - start)
