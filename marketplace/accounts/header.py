"""The cached facts of the page header (has a shop, moderates; read in marketplace/context_processors.py), and
their forgetting when they change (marketplace/shop/receivers.py)."""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction

# A forget lost to a cache outage lasts this long at most; the header's links are only links either way.
HEADER_FACTS_SECONDS = 60


def header_facts_key(user_id: int) -> str:
    return f"header-facts:{user_id}"


def header_facts_forget(user_id: int) -> None:
    """The user's shop or groups changed: their next page reads the header's facts afresh (now, and again on
    commit, so facts another request read in between, from the data before the commit, are not kept)."""
    key = header_facts_key(user_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))
