"""Wording shared by every template: `{{ vendor.name|possessive }}` writes "Roasters' partners", not
"Roasters's partners". A builtin (settings.TEMPLATES), so no template loads it."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()


@register.filter(needs_autoescape=True)
def possessive(name: object, autoescape: bool = True) -> str:
    """An apostrophe alone after a final s ("Roasters'"), 's otherwise ("Ann's"); the name escaped as any other.
    English only: another language's sentence says whose it is in its own words ("Roasters 的夥伴"), so the name
    comes back as it is."""
    text = "" if name is None else str(name).rstrip()
    if not text:
        return ""
    shown = conditional_escape(text) if autoescape else text
    if not (get_language() or "en").startswith("en"):
        return mark_safe(shown)  # noqa: S308 (the name is escaped)
    return mark_safe(f"{shown}'" if text[-1] in "sS" else f"{shown}'s")  # noqa: S308 (the name is escaped)
