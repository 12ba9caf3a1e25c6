"""Scopes: the parts of the marketplace a kept value reads, each with a version that every write to it moves.

A scope is a name with an optional identifier: `vendor:12` (one vendor's page: its profile, products, prices,
stock, regions and running promotions), `directory` (which vendors are listed), `reference` (categories,
regions, interests), `ads` (the running public ads), `consumer:7` (what one consumer sees of their own), ...
Each kind is declared once (`scope_kind`), beside the app that owns its tables, with the models it covers; the
guard tests check that a kept value reads only the tables of the scopes it declares.

Where a version lives:
  - In the shared cache (Redis) for the public kinds: a bump is an INCR, sent when the change is made and again
    when it commits (a value another request computed in between, from the data before the commit, is not kept
    under the new version). A lost bump (Redis down at that moment) is bounded by the values' timeout. A
    version key the cache lost (evicted, flushed) starts again from the clock, never from 1, so a value kept
    under an older version is never read again.
  - In the database for the kinds declared `durable` (a consumer's own pages): bumped by an upsert in the
    writing transaction, so no outage can lose it, and in its own table, not on the user row, so no whole-row
    save of an older user object writes an old version back.
  - Nowhere for the kinds declared `timed` (statistics tables written by jobs): what they show is at most the
    values' timeout late, like the statistics pipeline's own lag.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, transaction

from . import store


@dataclass(frozen=True)
class ScopeKind:
    """One kind of scope: its name (`vendor` for `vendor:12`), the models whose tables it covers (as
    "app_label.ModelName"), and where its versions live."""

    name: str
    models: tuple[str, ...] = ()
    durable: bool = False  # versions in the database (ScopeVersion), bumped in the writing transaction
    timed: bool = False  # no version: shown at most a timeout late
    about: str = ""
    global_scope: bool = False  # a scope with no identifier (`reference`): its name is the scope

    def tables(self) -> set[str]:
        found = set()
        for label in self.models:
            model = apps.get_model(label)
            found.add(model._meta.db_table)
            for m2m in model._meta.local_many_to_many:
                through = m2m.remote_field.through
                if through._meta.auto_created:
                    found.add(through._meta.db_table)
        return found


KINDS: dict[str, ScopeKind] = {}


def scope_kind(
    name: str,
    *,
    models: Sequence[str] = (),
    durable: bool = False,
    timed: bool = False,
    about: str = "",
    global_scope: bool = False,
) -> ScopeKind:
    """Declare a kind of scope (once, from the app that owns its tables; declaring it again adds models)."""
    known = KINDS.get(name)
    if known is not None:
        models = (*known.models, *(m for m in models if m not in known.models))
        durable, timed, about = known.durable or durable, known.timed or timed, known.about or about
        global_scope = known.global_scope or global_scope
    kind = KINDS[name] = ScopeKind(name, tuple(models), durable, timed, about, global_scope)
    return kind


def kind_of(scope: str) -> ScopeKind:
    name = scope.split(":", 1)[0]
    try:
        return KINDS[name]
    except KeyError:
        raise LookupError(f"Scope {scope!r} is of no declared kind (caching.scope_kind).") from None


def _fresh_start() -> int:
    """Where a version the cache lost starts again: later than any it could have reached (the clock in ms)."""
    return int(time.time() * 1000)


def versions(scopes: Iterable[str]) -> dict[str, int]:
    """The current version of each scope (timed scopes have none and are left out): one cache round trip for
    the cached kinds, one query for the durable ones."""
    cached, durable = [], []
    for scope in dict.fromkeys(scopes):
        kind = kind_of(scope)
        if kind.timed:
            continue
        (durable if kind.durable else cached).append(scope)
    result: dict[str, int] = {}
    if cached:
        keys = {store.key(store.SCOPE, scope): scope for scope in cached}
        found = store.get_many(keys)
        for key, scope in keys.items():
            value = found.get(key)
            if value is None:
                start = _fresh_start()
                store.add(key, start, timeout=None)
                value = store.get(key, start)
            result[scope] = int(value)
    if durable:
        from .models import ScopeVersion

        stored = dict(ScopeVersion.objects.filter(scope__in=durable).values_list("scope", "version"))
        for scope in durable:
            result[scope] = stored.get(scope, 0)
    return result


def _bump_cached(scopes: Sequence[str]) -> None:
    """Never raises: a value of the old version outlives a failed bump by its timeout at most."""
    for scope in scopes:
        key = store.key(store.SCOPE, scope)
        try:
            store.incr(key)
        except ValueError:  # no version yet (or it was evicted): any new one invalidates old values
            store.set(key, _fresh_start(), timeout=None)
        except Exception:  # noqa: BLE001 - Redis is for speed: a failed bump is bounded by the timeout
            pass


def changed(*scopes: str) -> None:
    """These scopes changed (or are changing in the current transaction): values that read them are computed
    afresh. Cached versions are bumped now and again on commit; durable ones in this transaction."""
    cached, durable = [], []
    for scope in dict.fromkeys(scopes):
        kind = kind_of(scope)
        if kind.timed:
            continue
        (durable if kind.durable else cached).append(scope)
    if cached:
        _bump_cached(cached)
        transaction.on_commit(lambda: _bump_cached(cached))
    if durable:
        from .models import ScopeVersion

        table = ScopeVersion._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f'INSERT INTO "{table}" (scope, version) SELECT unnest(%s::text[]), 1 '  # noqa: S608 - our table name
                f'ON CONFLICT (scope) DO UPDATE SET version = "{table}".version + 1',
                [sorted(durable)],
            )
