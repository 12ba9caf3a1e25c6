"""System checks of the project's own configuration (registered by marketplace.accounts' AppConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register

NO_DATABASE = "Production mode (DJANGO_DEBUG=0) needs DATABASE_URL: the embedded PostgreSQL is for development only."


def database_missing() -> bool:
    """Production settings without DATABASE_URL (settings.py puts Django's dummy backend in its place)."""
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.dummy"


@register()
def database_configured(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if database_missing():
        return [
            Error(
                NO_DATABASE,
                hint="Set DATABASE_URL, e.g. postgres://user:password@host:5432/name.",
                id="marketplace.E001",
            )
        ]
    return []
