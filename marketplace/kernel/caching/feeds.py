"""Which models feed which scopes: each app declares its own, beside its models (`<app>/cache_scopes.py`,
imported by its AppConfig.ready), and this module connects the signals. A save or delete of a declared model
bumps the scopes its function names for that row (caching.changed: now and on commit). Writes that send no
signal (bulk writes, UPDATE statements) call caching.changed themselves, in the service that makes them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save

from .scopes import changed

# {model: [function of a row -> scopes]}: read by the guard tests and docs.
FED: dict[type[models.Model], list[Callable[[Any], Iterable[str]]]] = {}


def feeds(model: type[models.Model], scopes: Callable[[Any], Iterable[str]]) -> None:
    """Saving or deleting a `model` row bumps `scopes(row)`."""
    FED.setdefault(model, []).append(scopes)

    def bump(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
        if not raw:
            changed(*scopes(instance))

    uid = f"caching:{model._meta.label}:{scopes.__module__}.{getattr(scopes, '__qualname__', id(scopes))}"
    post_save.connect(bump, sender=model, weak=False, dispatch_uid=uid + ":save")
    post_delete.connect(bump, sender=model, weak=False, dispatch_uid=uid + ":delete")


def feeds_m2m(through: type[models.Model], scopes: Callable[[Any, str, bool, Any], Iterable[str]]) -> None:
    """A change of the many-to-many `through` bumps `scopes(instance, action, reverse, pk_set)`."""
    FED.setdefault(through, []).append(lambda row: ())

    def bump(sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any) -> None:
        found = list(scopes(instance, action, reverse, pk_set))
        if found:
            changed(*found)

    uid = f"caching:{through._meta.label}:{scopes.__module__}.{getattr(scopes, '__qualname__', id(scopes))}"
    m2m_changed.connect(bump, sender=through, weak=False, dispatch_uid=uid)
