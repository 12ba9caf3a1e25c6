"""Kept values: what a page shows every visitor alike (or one consumer on each visit), computed once and kept
in the shared cache, each declared once with the scopes it reads.

    @kept("vendor-page", shape=1, scopes=lambda slug: ("reference",), rows=lambda page: page.scopes(),
          timed=("statistics",))
    def vendor_page(*, slug: str) -> VendorPage | None: ...

    vendor_page.get(slug="demo-coffee")   # kept
    vendor_page(slug="demo-coffee")       # computed afresh, nothing kept

The value is what the page shows: frozen dataclasses, tuples, strings and numbers; never a model instance
(a guard test computes every declaration and fails on one). The key is built by store.py alone (its `kept`
namespace): the declaration's name, the version of its value's shape (bump `shape` when the dataclass
changes, so a deploy never reads the old code's values), the active language (a value may hold translated
text) and the arguments. Stored beside the value are the versions of every scope it read:
  - `scopes`: known from the arguments, read before computing (a change committed after that read moves the
    version past the one stored);
  - `rows`: known only from the value (the vendors of a list's rows, the vendor of a product), read right
    after computing; a change that commits in the few milliseconds between is shown at most `timeout` late;
  - `timed`: kinds with no version (statistics), shown at most `timeout` late.
A read fetches the entry and the current versions of the scopes stored with it (two round trips) and serves
it only when none moved. None is never kept (a slug nobody has, a product gone).

While a page is rendered for its whole-page cache (pages.py), every kept value it reads adds its scopes to
the page's own, so the page is renewed by exactly the writes of what it shows.
"""

from __future__ import annotations

import contextvars
import hashlib
from collections.abc import Callable, Iterable
from typing import Any, Generic, ParamSpec, TypeVar

from django.conf import settings
from django.utils.translation import get_language

from marketplace.kernel.db_router import primary_reads

from . import store
from .scopes import versions

P = ParamSpec("P")
T = TypeVar("T")

def seconds() -> int:
    """How long a value may be kept. Only in a cache every process shares: Redis, and 0 while it is unreachable
    (its fallback is one process's memory, where another process's bump is never seen). A local-memory cache
    serves as one only where a single process serves the site (PAGE_CACHE_IN_MEMORY: the tests)."""
    if not store.shared():
        return 0
    return int(settings.MARKETPLACE.get("PAGE_CACHE_SECONDS", 0))


# The scopes (with the versions they had) of every kept value read while a page renders for the page cache,
# and whether anything was read from the database outside a kept value (the page is then not kept).
_recording: contextvars.ContextVar[dict[str, int] | None] = contextvars.ContextVar("kept_recording", default=None)
_computing: contextvars.ContextVar[int] = contextvars.ContextVar("kept_computing", default=0)


def recording() -> contextvars.ContextVar[dict[str, int] | None]:
    return _recording


def computing() -> bool:
    return _computing.get() > 0


def _record(deps: dict[str, int]) -> None:
    found = _recording.get()
    if found is not None:
        found.update(deps)


def _digest(args: dict[str, Any]) -> str:
    return hashlib.blake2b(repr(sorted(args.items())).encode(), digest_size=16).hexdigest()


class Kept(Generic[P, T]):
    """One declared kept value (see the module's docstring)."""

    def __init__(
        self,
        name: str,
        compute: Callable[P, T],
        *,
        shape: int,
        scopes: Callable[..., Iterable[str]] | None = None,
        rows: Callable[[Any], Iterable[str]] | None = None,
        timed: Iterable[str] = (),
        timeout: int | None = None,
        example: Callable[[], dict[str, Any]] | None = None,
    ) -> None:
        self.name, self.compute, self.shape = name, compute, shape
        self.static_scopes, self.row_scopes = scopes, rows
        self.timed = tuple(timed)
        self.timeout = timeout
        self.example = example  # arguments the guard tests compute it with (tests/kernel/test_caching_guards.py)
        self.__doc__ = compute.__doc__
        self.__wrapped__ = compute

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> T:
        return self.compute(*args, **kwargs)

    def key(self, **kwargs: Any) -> str:
        # Keyed by the active language too: a value may hold translated text (a choice's label, a lazy string
        # made text), and one language's words must never reach a reader of the other.
        return store.key(store.KEPT, self.name, f"s{self.shape}", get_language(), _digest(kwargs))

    def scopes_of(self, value: Any, **kwargs: Any) -> list[str]:
        found = list(self.static_scopes(**kwargs)) if self.static_scopes else []
        if self.row_scopes is not None and value is not None:
            found += list(self.row_scopes(value))
        return found

    def _compute(self, kwargs: dict[str, Any]) -> T:
        token = _computing.set(_computing.get() + 1)
        try:
            with primary_reads():  # kept: from the truth, not a replica behind it
                return self.compute(**kwargs)  # type: ignore[call-arg]
        finally:
            _computing.reset(token)

    def get(self, **kwargs: Any) -> T:
        """The value for these arguments: kept while no scope it read has moved, else computed and kept."""
        timeout = self.timeout or seconds()
        if not seconds():
            return self.compute(**kwargs)  # type: ignore[call-arg]
        key = self.key(**kwargs)
        entry = store.get(key)
        if entry is not None:
            deps, value = entry
            if not deps or versions(deps) == deps:
                _record(deps)
                return value
        before = versions(self.static_scopes(**kwargs)) if self.static_scopes else {}
        value = self._compute(kwargs)
        if value is None:
            _record(before)
            return value
        deps = {**before, **versions(self.row_scopes(value) if self.row_scopes else ())}
        _record(deps)
        if seconds():  # Redis may have failed meanwhile
            store.set(key, (deps, value), timeout=timeout)
        return value


REGISTRY: dict[str, Kept[Any, Any]] = {}


def kept(
    name: str,
    *,
    shape: int,
    scopes: Callable[..., Iterable[str]] | None = None,
    rows: Callable[[Any], Iterable[str]] | None = None,
    timed: Iterable[str] = (),
    timeout: int | None = None,
    example: Callable[[], dict[str, Any]] | None = None,
) -> Callable[[Callable[P, T]], Kept[P, T]]:
    """Declare a kept value (see the module's docstring). Each name is declared once."""

    def declare(compute: Callable[P, T]) -> Kept[P, T]:
        if name in REGISTRY and REGISTRY[name].compute.__qualname__ != compute.__qualname__:
            raise ValueError(f"The kept value {name!r} is declared twice.")
        value = REGISTRY[name] = Kept(
            name, compute, shape=shape, scopes=scopes, rows=rows, timed=timed, timeout=timeout, example=example
        )
        return value

    return declare
