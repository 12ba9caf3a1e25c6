"""Whole storefront pages for first-time anonymous visitors, kept in the cache (Redis) for a short while.

Most requests at marketplace scale are anonymous visitors reading the same vendor, product, directory and
search pages. Such a visitor carries no session, so the page is the same for all of them: it is rendered once
and served from the cache until the catalogue changes or PAGE_CACHE_SECONDS pass.

What a cached page may show and for how long:
  - Catalogue, vendor, category and promotion changes bump one version (on commit), and every cached page
    is keyed by it: the next anonymous request renders afresh. A suspended vendor or a withdrawn product is
    gone from the next page. Model saves and deletes bump it through signals (marketplace/shop/apps.py);
    the services' bulk writes and UPDATE statements call `storefront_changed()` themselves.
  - Statistics (partner counts, ratings) and time windows (a promotion's end) are not versioned: they show
    at most PAGE_CACHE_SECONDS late, like the statistics pipeline's own lag.

Only a request with no session, no messages and no read-your-writes pin is served or stored, only a 200
answer that sets no cookie is kept, and the page itself renders no per-visitor token for anonymous
visitors (base.html sends the CSRF header only when signed in). Redis is for speed: when it is down the
cache falls back to this process's memory (marketplace/kernel/cache.py), and while it does no page is served from
the cache nor stored.
With read replicas, a page about to be stored is rendered from the primary: a replica that has not replayed
a change yet would otherwise have its old data kept under the new version.

Signed-in visitors get no whole page, but what their pages show every visitor alike is kept the same way,
under the same version and for as long (`storefront_kept`: a vendor page's data, a product, the featured
vendors, the categories, the ads, the directory's first rows, a product search's first rows, the moderation
queue's applications); their pages add only what is their own (partner prices and marks, the vendors they
ended left out) on every request.
Data keyed by what it is computed from instead of the storefront version (a vendor's insights, keyed by when
its figures were last written: portfolios.selectors.insights.insights_get_kept) is kept the same way (`kept`);
a consumer's My partners page is kept under both the storefront version and their own portfolio_version,
which the database bumps with each change of theirs (portfolios.selectors.portfolio_get_kept,
promotions.selectors.partner_feed_get).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Sequence
from functools import wraps
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from marketplace.kernel.db_router import primary_reads

VERSION_KEY = "storefront:version"
# Cookies that make a visitor someone: a session (signed in, a cart, a pending message), flash messages, and
# the replica router's read-your-writes pin (marketplace/kernel/db_router.py).
PERSONAL_COOKIES = ("messages", "primary_until")


def _seconds() -> int:
    """How long a page may be kept. Only in a cache every process shares: Redis, and 0 while it is unreachable
    (its fallback is one process's memory, where another process's version bump is never seen). A local-memory
    cache serves as one only where a single process serves the site (PAGE_CACHE_IN_MEMORY: the tests)."""
    shared = getattr(cache, "shared", None)
    if not (shared() if shared is not None else settings.MARKETPLACE.get("PAGE_CACHE_IN_MEMORY", False)):
        return 0
    return int(settings.MARKETPLACE.get("PAGE_CACHE_SECONDS", 0))


def _personal(request: HttpRequest) -> bool:
    return any(name in request.COOKIES for name in (settings.SESSION_COOKIE_NAME, *PERSONAL_COOKIES))


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    """A 200 that carries nothing of this visitor: no cookie, no CSRF token, no session or message written."""
    session = getattr(request, "session", None)
    messages = getattr(request, "_messages", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (session is not None and session.modified)
        and not (messages is not None and getattr(messages, "added_new", False))
    )


T = TypeVar("T")


def kept(key: str, compute: Callable[[], T]) -> T:
    """compute(), kept in the shared cache under `key` for PAGE_CACHE_SECONDS: for data whose key names what
    it is computed from (a version, when its figures were last written), so a change shows at once and the
    timeout bounds only what the key does not name. Computed from the primary (a replica behind it would
    otherwise have its old data kept under the new key); computed afresh while no shared cache is up; None
    is never kept (a name nobody has, an unknown slug)."""
    seconds = _seconds()
    if not seconds:
        return compute()
    value = cache.get(key)
    if value is not None:
        return value
    with primary_reads():
        value = compute()
    if value is not None and _seconds():  # Redis may have failed meanwhile
        cache.set(key, value, timeout=seconds)
    return value


def storefront_kept(name: str, compute: Callable[[], T]) -> T:
    """What every visitor sees alike (a vendor page's data, the featured vendors, the running ads), computed
    once per storefront version and kept like the anonymous pages: a catalogue, vendor, category or promotion
    change renews it at once, statistics and time windows show at most PAGE_CACHE_SECONDS late. Signed-in
    pages build on it and add only what is the visitor's own. Computed afresh, from the database, while no
    shared cache is up; None is never kept."""
    if not _seconds():
        return compute()
    # The version is read before the data: a change committed after this read bumps it past this key.
    return kept(f"storefront:kept:{_version()}:{name}", compute)


def storefront_kept_first(
    name: str,
    *,
    count: int,
    keep: int,
    every_visitor: Callable[[], Sequence[T]],
    for_visitor: Callable[[], Sequence[T]],
    vendor_of: Callable[[T], int],
    hidden: Collection[int],
) -> list[T]:
    """The first `count` rows of a list every visitor sees alike but for the vendors hidden from them (ended,
    muted): the first `keep` rows as anyone sees them are kept (storefront_kept) and this visitor's hidden
    vendors left out of those. Only when that leaves fewer than `count` and more rows exist past the kept ones
    is the list read for this visitor alone (`for_visitor`)."""
    kept = storefront_kept(name, lambda: list(every_visitor()[:keep]))
    shown = [row for row in kept if vendor_of(row) not in hidden][:count]
    if len(shown) < count and len(kept) == keep:
        return list(for_visitor()[:count])
    return shown


class StorefrontKeptHead(Generic[T]):
    """One visitor's list (a queryset or StackedQuerySet, `for_visitor`) that is the list every visitor sees
    (`every_visitor`) less the vendors hidden from them: a slice from its start within its first `keep` rows
    (a first page with its look-ahead row) is served from the kept head (storefront_kept_first); any other
    slice is read for this visitor. Paginators and DRF take it as they take a queryset."""

    ordered = True

    def __init__(
        self,
        name: str,
        *,
        keep: int,
        every_visitor: Callable[[], Sequence[T]],
        for_visitor: Any,
        vendor_of: Callable[[T], int],
        hidden: Collection[int],
    ) -> None:
        self.name, self.keep, self.every_visitor, self.for_visitor = name, keep, every_visitor, for_visitor
        self.vendor_of, self.hidden = vendor_of, hidden
        self.model = getattr(for_visitor, "model", None)

    def __getitem__(self, index: slice) -> list[T]:
        if isinstance(index, slice) and not index.start and index.step is None and 0 < (index.stop or 0) <= self.keep:
            return storefront_kept_first(
                self.name,
                count=index.stop,
                keep=self.keep,
                every_visitor=self.every_visitor,
                for_visitor=lambda: self.for_visitor,
                vendor_of=self.vendor_of,
                hidden=self.hidden,
            )
        return self.for_visitor[index]


def _version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return int(version)


def _bump() -> None:
    """Never raises: a page of the old version outlives a failed bump by PAGE_CACHE_SECONDS at most."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet (or the memory fallback lost it): any new one invalidates old pages
        cache.set(VERSION_KEY, _version() + 1, timeout=None)


def storefront_changed() -> None:
    """Something anonymous pages show changed: pages rendered from now on are fresh. Bumped now (this
    transaction's own later reads) and again on commit (a page another request rendered in between, from the
    data before the commit, is not kept under the new version)."""
    if settings.MARKETPLACE.get("PAGE_CACHE_SECONDS", 0):  # also during an outage: the bump may reach Redis
        _bump()
        transaction.on_commit(_bump)


def cache_anonymous_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a GET of this view to a visitor with no session from the cache; store what it renders."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        seconds = _seconds()
        if not seconds or request.method not in ("GET", "HEAD") or _personal(request):
            return view(request, *args, **kwargs)
        digest = hashlib.blake2b(request.get_full_path().encode(), digest_size=16).hexdigest()
        key = f"storefront:page:{_version()}:{digest}"
        cached = cache.get(key)
        if cached is not None:
            content, content_type = cached
            response = HttpResponse(content, content_type=content_type)
            response["X-Page-Cache"] = "hit"
            return response
        with primary_reads():  # rendered once and then kept: from the truth, not a replica behind it
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
        if _storable(request, response) and _seconds():  # Redis may have failed during this request
            cache.set(key, (response.content, response["Content-Type"]), timeout=seconds)
            response["X-Page-Cache"] = "miss"
        return response

    return wrapper
