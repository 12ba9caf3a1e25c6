"""Counters, flags and remembered answers kept for limits (not for pages): the budget of audience previews
(kernel/privacy.py), failed API tokens per address (accounts/authentication.py), the one queued statistics
refresh (portfolios/tasks.py). Their keys are in store.py's `count` namespace, like every other key of the
cache. They hold numbers, digests and released (already noised) figures only; an outage forgets them, which
costs a limit for a while, never correctness (each caller says what it forgets)."""

from __future__ import annotations

from typing import Any

from . import store


def key(name: str, *parts: object) -> str:
    return store.key(store.COUNT, name, *parts)


def count_up(name: str, *parts: object, timeout: int) -> int:
    """Add one to the counter (created for `timeout` seconds if absent) and return its new value."""
    counter = key(name, *parts)
    if store.add(counter, 1, timeout=timeout):
        return 1
    try:
        return store.incr(counter)
    except ValueError:  # expired between add and incr: start a new window
        store.add(counter, 1, timeout=timeout)
        return 1


def read(name: str, *parts: object, default: Any = None) -> Any:
    return store.get(key(name, *parts), default)


def remember(name: str, *parts: object, value: Any, timeout: int) -> None:
    store.set(key(name, *parts), value, timeout=timeout)


def claim(name: str, *parts: object, timeout: int) -> bool:
    """Set the flag unless it is set: True for the one caller that set it."""
    return store.add(key(name, *parts), 1, timeout=timeout)


def forget(name: str, *parts: object) -> None:
    store.delete(key(name, *parts))
