"""Whole storefront pages for first-time anonymous visitors, kept in the shared cache.

Most requests at marketplace scale are anonymous visitors reading vendor, product, directory and search
pages. Such a visitor carries no session, so the page is the same for all of them: it is rendered once and
served from the cache until a scope it showed moves or its timeout passes.

What a kept page may show and for how long:
  - A page is kept only when everything it read from the database came through kept values (kept.py): the
    scopes of each (with their versions) become the page's, so exactly the writes of what it shows renew it.
    A page that read anything else (a search past its kept rows, a comparison) is served but not kept.
  - The key names the view, its URL arguments and only the query parameters the view reads (`params`), in a
    fixed order; a request with any other parameter (`?utm=...`) is served fresh and nothing is kept for it.
  - The key names the language the page was rendered in (LocaleMiddleware chose it from the visitor's
    language cookie or Accept-Language), so a page kept in one language is never served to a reader of another.

Only a request with no session, no messages and no read-your-writes pin is served or stored, only a 200
answer that sets no cookie is kept, and the page itself renders no per-visitor token for anonymous visitors
(base.html sends the CSRF header only when signed in). `X-Page-Cache` (hit or miss) is sent only with DEBUG
on: elsewhere it would tell a visitor whether someone else read that page (or searched that text) lately.
Redis is for speed: while it is down the cache falls back to this process's memory (backend.py), and while it
does no page is served from the cache nor stored.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from marketplace.kernel.db_router import primary_reads

from . import store
from .kept import computing, recording, seconds
from .scopes import KINDS, versions

# Cookies that make a visitor someone: a session (signed in, a cart, a pending message), flash messages, and
# the replica router's read-your-writes pin (marketplace/kernel/db_router.py).
PERSONAL_COOKIES = ("messages", "primary_until")


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


class _OutsideReads:
    """The queries run outside any kept value's compute while a page renders: each is either covered by a
    scope with no identifier that holds every table it reads (a form's categories and regions: `reference`),
    whose version, read before the render, becomes the page's, or it makes the page one not to keep."""

    def __init__(self, covering: dict[str, tuple[str, set[str]]]) -> None:
        self.covering = covering  # {scope: (scope, its tables)} for the scopes with no identifier
        self.scopes: set[str] = set()
        self.uncovered = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if not computing():
            tables = set(_TABLE.findall(sql))
            for scope, (_name, covered) in self.covering.items():
                if tables and tables <= covered:
                    self.scopes.add(scope)
                    break
            else:
                self.uncovered += 1
        return execute(sql, params, many, context)


_TABLE = re.compile(r'(?:FROM|JOIN)\s+"(\w+)"')


def _covering() -> dict[str, tuple[str, set[str]]]:
    return {name: (name, kind.tables()) for name, kind in KINDS.items() if kind.global_scope}


def _key(request: HttpRequest, name: str, params: Iterable[str], kwargs: dict[str, Any]) -> str | None:
    """The page's key, or None when the request carries a parameter the view does not read."""
    allowed = set(params)
    if any(param not in allowed for param in request.GET):
        return None
    shown = [(param, request.GET.getlist(param)) for param in sorted(allowed) if param in request.GET]
    text = repr((name, get_language(), sorted(kwargs.items()), shown))
    return store.key(store.PAGE, hashlib.blake2b(text.encode(), digest_size=16).hexdigest())


def _tell(response: HttpResponse, outcome: str) -> None:
    if settings.DEBUG:
        response["X-Page-Cache"] = outcome


def cache_anonymous_page(
    *, params: Iterable[str] = ()
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Serve a GET of this view to a visitor with no session from the cache; keep what it renders when all it
    read came from kept values. `params`: the query parameters the view reads (any other: not kept)."""
    params = tuple(params)

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        name = f"{view.__module__}.{view.__qualname__}"

        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            timeout = seconds()
            if not timeout or request.method not in ("GET", "HEAD") or _personal(request) or args:
                return view(request, *args, **kwargs)
            key = _key(request, name, params, kwargs)
            if key is None:
                return view(request, *args, **kwargs)
            entry = store.get(key)
            if entry is not None:
                deps, content, content_type = entry
                if versions(deps) == deps:
                    response = HttpResponse(content, content_type=content_type)
                    _tell(response, "hit")
                    return response
            covering = _covering()
            before = versions(covering)
            found: dict[str, int] = {}
            token = recording().set(found)
            outside = _OutsideReads(covering)
            try:
                with primary_reads(), connections["default"].execute_wrapper(outside):
                    response = view(request, *args, **kwargs)
                    if hasattr(response, "render") and callable(response.render):
                        response = response.render()
            finally:
                recording().reset(token)
            if not outside.uncovered and _storable(request, response) and seconds():  # Redis may have failed
                found.update({scope: before[scope] for scope in outside.scopes if scope in before})
                store.set(key, (found, response.content, response["Content-Type"]), timeout=timeout)
                _tell(response, "miss")
            return response

        return wrapper

    return decorate
