"""The cache backend for the services mode: Redis, falling back to this process's memory when Redis is down.

Redis is for speed, never correctness (DESIGN.md), yet Django's own RedisCache raises on every call once Redis
stops answering, and the cache sits in the path of every request that throttles or rate-limits: DRF's API
throttles, django-allauth's login and sign-up limits, sorl-thumbnail's key-value store. Each would answer
500 while the database, which holds everything that matters, is fine.

This RedisCache keeps them working: a call that finds Redis unreachable (connection refused or reset,
timed out, a read-only replica) is served by a local-memory cache of this process instead, so limits still
hold (per process, not across the fleet) rather than letting every request through or refusing them all.
After a failure the process stays on memory for RETRY_AFTER_SECONDS before asking Redis again, so an
outage costs one timeout per process per interval rather than one per call, and says so in the log once
per LOG_EVERY_SECONDS. When Redis answers again the memory copy is emptied, so nothing written during the
outage can outlive it and shadow Redis in the next one. A key deleted during the outage keeps its old value
in Redis until its own timeout: every key this project caches carries one.

A Redis that refuses writes for want of memory (an OOM reply under `maxmemory` with the `noeviction` policy)
is treated as down too: the site serves fresh pages rather than errors (docs/deploy.md says which eviction
policy to run instead). Errors that are not about reaching Redis (a WRONGTYPE reply, a value that cannot be
pickled) still raise.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import OutOfMemoryError, ReadOnlyError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# Redis is unreachable or cannot take writes: the failures an outage, a failover or a full memory produce.
REDIS_DOWN = (RedisConnectionError, RedisTimeoutError, ReadOnlyError, OutOfMemoryError, OSError)
RETRY_AFTER_SECONDS = 5.0
LOG_EVERY_SECONDS = 60.0
# A healthy Redis next to the web server answers in well under a millisecond; without these a Redis host
# that stops answering (rather than refusing) would hold a request for the operating system's TCP timeout.
DEFAULT_SOCKET_TIMEOUTS = {"socket_connect_timeout": 1.0, "socket_timeout": 1.0}
# Throttle and rate-limit histories are one small entry per client; LocMemCache's default of 300 would cull
# live clients' histories under load and let them past their limits.
FALLBACK_MAX_ENTRIES = 5000


@dataclass
class _RedisHealth:
    """What this process knows of one Redis location, shared by every thread's cache instance."""

    down_until: float = 0.0
    last_warning: float = float("-inf")
    in_outage: bool = False

    def usable(self) -> bool:
        return time.monotonic() >= self.down_until

    def failed(self, location: str, exc: Exception) -> None:
        now = time.monotonic()
        self.down_until = now + RETRY_AFTER_SECONDS
        self.in_outage = True
        if now - self.last_warning >= LOG_EVERY_SECONDS:
            self.last_warning = now
            logger.warning(
                "Redis cache at %s is unreachable (%s: %s): serving the cache from this process's memory, "
                "asking Redis again every %.0f s.",
                location,
                type(exc).__name__,
                exc,
                RETRY_AFTER_SECONDS,
            )


_health: dict[str, _RedisHealth] = {}
_health_lock = threading.Lock()


def _without_password(location: str) -> str:
    """The Redis address as logs may show it: a password in the URL is replaced by ***."""
    parts = urlsplit(location)
    if parts.password is None:
        return location
    host = f"[{parts.hostname}]" if ":" in (parts.hostname or "") else parts.hostname
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def _health_of(location: str) -> _RedisHealth:
    with _health_lock:
        return _health.setdefault(location, _RedisHealth())


class OneClientPerPool(RedisCacheClient):
    """Django's RedisCacheClient, which builds a new redis.Redis for every call, with one client per connection
    pool instead. Building one is not free in redis-py 8 (it fills a table of some 250 reply callbacks, about a
    third of each cache call's Python time); a client is safe to share, as each command borrows a connection
    from the pool."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None or client.connection_pool is not pool:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    """Django's RedisCache whose calls fall back to a per-process LocMemCache while Redis is unreachable."""

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        params = {**params, "OPTIONS": {**DEFAULT_SOCKET_TIMEOUTS, **params.get("OPTIONS", {})}}
        super().__init__(server, params)
        self._class = OneClientPerPool
        self._location = server if isinstance(server, str) else ",".join(server)
        self._health = _health_of(self._location)
        self._shown_location = ",".join(_without_password(url) for url in self._servers)
        fallback_params = {key: value for key, value in params.items() if key != "OPTIONS"}
        fallback_params["OPTIONS"] = {"MAX_ENTRIES": FALLBACK_MAX_ENTRIES}
        # LocMemCache instances of one name share their storage, so every thread sees the same fallback.
        self._fallback = LocMemCache(f"redis-fallback:{self._location}", fallback_params)

    def shared(self) -> bool:
        """True while calls reach Redis, the cache every process shares; False while they fall back to memory."""
        return self._health.usable() and not self._health.in_outage

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        health = self._health
        if health.usable():
            try:
                result = getattr(super(), name)(*args, **kwargs)
            except REDIS_DOWN as exc:
                health.failed(self._shown_location, exc)
            else:
                if health.in_outage:
                    health.in_outage = False
                    self._fallback.clear()
                    logger.warning("Redis cache at %s answers again: back on Redis.", self._shown_location)
                return result
        return getattr(self._fallback, name)(*args, **kwargs)

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._call("add", key, value, timeout, version)

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._call("get", key, default, version)

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self._call("set", key, value, timeout, version)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._call("touch", key, timeout, version)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._call("delete", key, version)

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        return self._call("get_many", keys, version)

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._call("has_key", key, version)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        return self._call("incr", key, delta, version)

    def set_many(self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> list[Any]:
        return self._call("set_many", data, timeout, version)

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        self._call("delete_many", keys, version)

    def clear(self) -> bool:
        self._fallback.clear()
        return self._call("clear")
