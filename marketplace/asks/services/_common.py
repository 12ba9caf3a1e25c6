"""Small helpers shared by the asks' services."""

from __future__ import annotations

from django.conf import settings


def setting(name: str) -> int:
    return int(settings.MARKETPLACE[name])


def clean_text(value: str | None) -> str:
    """Stripped text with NUL bytes and surrounding blanks removed (templates escape it when shown)."""
    return (value or "").replace("\x00", "").strip()
