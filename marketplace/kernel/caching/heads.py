"""One visitor's list built on the first rows every visitor sees alike, kept: the one idiom for lists that are
the same for everyone but for what is the visitor's own (the directory, the running ads, product search).

A visitor's list is `own` (their own first rows, read by the caller's own kept value: their partners'
products) followed by the kept rows less the vendors `hidden` from them (their partners, already in `own`;
the vendors they ended or muted). A slice from the list's start within the kept rows is served from them;
any other slice, or a slice when a kept row is of a vendor in `ask` (the rule for it lives in the database's
query only: rule 2's "unless the text names the vendor"), is read from `for_visitor`, the visitor's own
query. Paginators and DRF take it as they take a queryset.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class KeptHead(Generic[T]):
    ordered = True

    def __init__(
        self,
        *,
        everyone: Callable[[], Sequence[T]],
        keep: int,
        for_visitor: Any,
        vendor_of: Callable[[T], int],
        hidden: Collection[int] = (),
        own: Callable[[], Sequence[T]] | None = None,
        ask: Collection[int] = (),
        complete: Callable[[Sequence[T]], bool] | None = None,
        model: Any = None,
    ) -> None:
        """`everyone`: the kept first rows (at most `keep`; fewer when the whole list is shorter, unless
        `complete` says otherwise); `for_visitor`: a queryset (or StackedQuerySet) of the visitor's list, or a
        function building one (built only when read)."""
        self.everyone, self.keep, self._for_visitor = everyone, keep, for_visitor
        self.vendor_of, self.hidden, self.own, self.ask = vendor_of, frozenset(hidden), own, frozenset(ask)
        self.complete = complete
        self.model = model or getattr(for_visitor, "model", None)  # ListView names its template after it

    @property
    def for_visitor(self) -> Any:
        if callable(self._for_visitor) and not hasattr(self._for_visitor, "__getitem__"):
            self._for_visitor = self._for_visitor()
        return self._for_visitor

    def __getitem__(self, index: slice) -> list[T]:
        if not isinstance(index, slice) or index.step is not None or not 0 < (index.stop or 0) <= self.keep:
            return list(self.for_visitor[index])
        start, stop = index.start or 0, index.stop
        rows = list(self.everyone())
        if any(self.vendor_of(row) in self.ask for row in rows):
            return list(self.for_visitor[index])
        own = list(self.own()) if self.own is not None else []
        if len(own) >= self.keep and stop > len(own):  # their own rows go on past what was read of them
            return list(self.for_visitor[index])
        shown = own + [row for row in rows if self.vendor_of(row) not in self.hidden]
        complete = self.complete(rows) if self.complete is not None else len(rows) < self.keep
        if (len(shown) < stop and not complete) or (rows and not shown):  # short, or every row left out
            return list(self.for_visitor[index])
        return shown[start:stop]
