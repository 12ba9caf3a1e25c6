"""The one module that talks to the shared cache. Every key the project keeps is built here, from a namespace
and its parts, and every read and write of them goes through these functions; the rest of the package says
what to keep, this module says how it is stored.

Namespaces (the first part of every key, after the deployment's KEY_PREFIX, which Django adds):
  - `scope:`  the version of a scope (scopes.py): a number, INCR'd by every write to what the scope covers;
  - `kept:`   a kept value with the versions it was computed under (kept.py);
  - `page:`   a whole anonymous page with the versions of what it showed (pages.py);
  - `card:`   one rendered card, keyed by what it shows and by its templates (fragments.py);
  - `count:`  counters, flags and remembered figures kept for limits (counters.py).

Redis is for speed, never correctness: the backend (backend.py) serves from this process's memory while Redis
is unreachable, and `shared()` says whether what is written here is seen by every process (only then may
pages and values be kept, see kept.seconds).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.cache import cache

SCOPE = "scope"
KEPT = "kept"
PAGE = "page"
CARD = "card"
COUNT = "count"
NAMESPACES = (SCOPE, KEPT, PAGE, CARD, COUNT)


def key(namespace: str, *parts: object) -> str:
    """The key of `parts` in `namespace`: `kept:vendor-page:3:en:…`."""
    if namespace not in NAMESPACES:
        raise ValueError(f"Unknown cache namespace {namespace!r}; one of {', '.join(NAMESPACES)}.")
    return f"{namespace}:" + ":".join(str(part) for part in parts)


def shared() -> bool:
    """Whether a value written now is seen by every process serving the site: Redis while it answers; a
    local-memory cache only where one process serves the site (PAGE_CACHE_IN_MEMORY: the tests)."""
    answers = getattr(cache, "shared", None)
    if answers is not None:
        return bool(answers())
    return bool(settings.MARKETPLACE.get("PAGE_CACHE_IN_MEMORY", False))


def get(key: str, default: Any = None) -> Any:
    return cache.get(key, default)


def get_many(keys: Iterable[str]) -> dict[str, Any]:
    return cache.get_many(list(keys))


def set(key: str, value: Any, *, timeout: int | None) -> None:  # noqa: A001 - the cache's own verb
    cache.set(key, value, timeout=timeout)


def set_many(values: Mapping[str, Any], *, timeout: int | None) -> None:
    cache.set_many(dict(values), timeout=timeout)


def add(key: str, value: Any, *, timeout: int | None) -> bool:
    """Store `value` unless the key holds one: True for the one caller that stored it."""
    return bool(cache.add(key, value, timeout=timeout))


def incr(key: str) -> int:
    """Add one to the number under `key`; ValueError when there is none (never set, expired or evicted)."""
    return int(cache.incr(key))


def delete(key: str) -> None:
    cache.delete(key)
