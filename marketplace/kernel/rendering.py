"""`{% url %}` with `reverse()` remembered: a builtin library (settings.TEMPLATES) whose `url` tag replaces Django's.

Measured on the lists at bench scale (bench data, production settings, in-process): a `{% url %}` cost about 40 µs
(`reverse()` walks the namespaces and reads three thread-locals); a page's header and footer alone reverse some
twenty links, and a list of twenty rows twenty more. The answer depends only on what the key names: the view name,
the arguments (plain ints and strings only; anything else, a model instance whose str() is its name or a lazy
string, is reversed every time, as Django does), the current app, the language, the script prefix and the URLconf.
A bounded LRU: a link to one of 200,000 products costs one `reverse()` and pushes out the least used. A changed
setting (a test's override_settings of ROOT_URLCONF …) forgets them all. The syntax is Django's, parsed by Django.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import Context, defaulttags
from django.template.base import Parser, Token
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.translation import get_language

register = template.Library()

# Values whose text in a URL is their str() and can never change: a model instance (its str() may be its name)
# or a lazy string is reversed every time.
_PLAIN = (int, str)


@lru_cache(maxsize=8192)
def reversed_kept(
    view_name: str,
    args: tuple[Any, ...],
    kwargs: tuple[tuple[str, Any], ...],
    current_app: str | None,
    language: str | None,
    script_prefix: str,
    urlconf: str | None,
) -> str:
    """reverse() for one key; `language` and `script_prefix` are in the key because reverse() reads them."""
    return reverse(view_name, urlconf=urlconf, args=args, kwargs=dict(kwargs), current_app=current_app)


class KeptURLNode(defaulttags.URLNode):
    def render(self, context: Context) -> str:
        args = tuple(arg.resolve(context) for arg in self.args)
        kwargs = tuple((name, value.resolve(context)) for name, value in self.kwargs.items())
        view_name = self.view_name.resolve(context)
        if not isinstance(view_name, str) or any(
            type(value) not in _PLAIN for value in (*args, *(value for _name, value in kwargs))
        ):
            return super().render(context)
        try:  # as Django's URLNode finds it
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        try:
            url = reversed_kept(
                view_name, args, kwargs, current_app, get_language(), get_script_prefix(), get_urlconf()
            )
        except NoReverseMatch:
            if self.asvar is None:
                raise
            url = ""
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser: Parser, token: Token) -> KeptURLNode:
    """Django's `{% url %}` (the same syntax, parsed by Django), rendered through `reversed_kept`."""
    node = defaulttags.url(parser, token)
    return KeptURLNode(node.view_name, node.args, node.kwargs, node.asvar)


@receiver(setting_changed, dispatch_uid="kernel-rendering-forget")
def _forget(**_kwargs: object) -> None:
    reversed_kept.cache_clear()
