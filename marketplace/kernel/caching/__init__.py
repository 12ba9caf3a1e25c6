"""Caching, in one place: what is kept, under which keys, for how long, and what renews it.

- scopes.py: the parts of the marketplace a kept value reads (`vendor:12`, `directory`, `reference`, `ads`,
  `consumer:7`, ...), each with a version every write to it moves: `changed("vendor:12")`.
- kept.py: kept values, each declared once (`@kept(name, shape=..., scopes=..., rows=..., timed=...)`) with
  the scopes it reads; values are what pages show (frozen dataclasses, tuples, numbers), never model rows.
- feeds.py: which models feed which scopes; each app declares its own (`feeds(Product, lambda p: ...)`) in
  its `cache_scopes.py`, loaded by its AppConfig.ready, and this package connects the signals.
- pages.py: whole anonymous pages, renewed by the scopes of the kept values they showed.
- fragments.py: rendered cards keyed by what they show and by their templates; the per-visitor CSRF token
  goes in through a marker that escaping cannot produce.
- backend.py: the Redis cache backend that falls back to memory while Redis is down (Redis is for speed).
- counters.py: the counters and flags kept for limits (rate limits, budgets, queued jobs).
- store.py: the one module that reads and writes the shared cache; every key is built there, from a
  namespace (`scope`, `kept`, `page`, `card`, `count`) and its parts.

Every key carries the deployment's prefix (CACHES KEY_PREFIX, from the settings), so two deployments
sharing one Redis never read each other's values. docs/deploy.md says which eviction policy Redis needs.
"""

from .feeds import feeds, feeds_m2m
from .fragments import TOKEN_MARKER, fragments, source_digest, with_token
from .kept import REGISTRY, Kept, kept, seconds
from .pages import cache_anonymous_page
from .scopes import KINDS, changed, scope_kind, versions

__all__ = [
    "KINDS",
    "REGISTRY",
    "TOKEN_MARKER",
    "Kept",
    "cache_anonymous_page",
    "changed",
    "feeds",
    "feeds_m2m",
    "fragments",
    "kept",
    "scope_kind",
    "seconds",
    "source_digest",
    "versions",
    "with_token",
]
