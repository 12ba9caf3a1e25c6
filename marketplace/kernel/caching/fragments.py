"""Rendered cards (a vendor card, a product result, a partner card), kept by what they show, many read in one
round trip.

A list page draws 6 to 24 cards; rendering their templates was most of a page's time at marketplace scale.
Each card is keyed by everything it shows (the values the page already loaded, given by the caller as a
fingerprint), by the source of its template and of every template it includes, and by the language it was
rendered in, so nothing needs invalidating: a card whose data or templates changed has a new key; old keys
expire; a reader of another language gets a card of their own.

A card with a form carries the visitor's CSRF token: it is rendered with TOKEN_MARKER in its place and the
marker is replaced by the visitor's token when served. The marker holds characters that HTML escaping always
rewrites (`<`, `>`), so no text written by a vendor or a consumer can ever produce it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from functools import cache as memoize
from typing import Any

from django.template import Template
from django.template.loader import get_template
from django.template.loader_tags import ExtendsNode, IncludeNode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from . import store

FRAGMENT_SECONDS = 3600
# Stands for the visitor's CSRF token inside a kept card: escaping turns any "<" written as text into "&lt;".
TOKEN_MARKER = mark_safe("<csrf-token-marker>")


def _included(template: Template, seen: set[str]) -> None:
    """The names of `template`'s constant includes and parent, and of theirs, into `seen`."""
    for node_type in (IncludeNode, ExtendsNode):
        for node in template.nodelist.get_nodes_by_type(node_type):
            expression = node.template if node_type is IncludeNode else node.parent_name
            name = getattr(expression, "var", None)
            if isinstance(name, str) and name not in seen:
                seen.add(name)
                _included(get_template(name).template, seen)


@memoize
def source_digest(name: str) -> str:
    """The source of the template `name` and of every template it includes, so a deploy that changes any of
    them renders new cards."""
    names = {name}
    _included(get_template(name).template, names)
    sources = "\\0".join(f"{n}\\0{get_template(n).template.source}" for n in sorted(names))
    return hashlib.blake2b(sources.encode(), digest_size=8).hexdigest()


def _key(kind: str, fingerprint: tuple[Any, ...]) -> str:
    return store.key(store.CARD, kind, hashlib.blake2b(repr(fingerprint).encode(), digest_size=16).hexdigest())


def fragments(
    items: Iterable[Any],
    kind: str,
    template_name: str,
    fingerprint: Callable[[Any], tuple[Any, ...]],
    render: Callable[[Any], str],
) -> list[str]:
    """Each item's card HTML: from the cache where found, rendered (and stored) where not."""
    items = list(items)
    digest = source_digest(template_name)
    language = get_language()
    keys = [_key(kind, (digest, language, *fingerprint(item))) for item in items]
    found = store.get_many(keys)
    missing = {}
    html = []
    for item, key in zip(items, keys, strict=True):
        if key not in found:
            found[key] = missing[key] = render(item)
        html.append(found[key])
    if missing:
        store.set_many(missing, timeout=FRAGMENT_SECONDS)
    return html


def with_token(html: str, token: Any) -> SafeString:
    """Kept cards rendered with TOKEN_MARKER, served with this visitor's CSRF token."""
    return mark_safe(html.replace(TOKEN_MARKER, str(token or "")))  # noqa: S308 - template output; Django's token
