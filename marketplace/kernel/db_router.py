"""Read replicas: which database each query goes to, and which requests may read from a replica.

With DATABASE_REPLICA_URLS set (settings, "Scaling out") there are replica connections "replica_0", ...
beside the primary "default". The rule is one per-request decision, not one per model:

- `ReplicaReadsMiddleware` lets a request read from a replica only when it is a GET or HEAD of a page on
  REPLICA_READ_VIEWS (browse, search, public vendor facts, insights) and its client has not changed anything
  in the last MARKETPLACE["READ_YOUR_WRITES_SECONDS"] (read-your-writes: every POST, PUT, PATCH or DELETE
  answered below 400 sets a signed "primary until T" cookie). It picks one usable replica for the whole
  request and records it in a context variable.
- `ReplicaRouter` sends a read there only while that variable is set and no transaction is open on the
  primary; every write, every read inside a transaction, identity rows (sessions, users, API tokens) and
  everything outside a request (Celery tasks, the statistics jobs, management commands) go to the primary.
- A replica is usable when it answers and is at most DATABASE_REPLICA_MAX_LAG_SECONDS behind, measured at most
  once every DATABASE_REPLICA_CHECK_SECONDS per process and kept in memory. One that is down or lagging is
  skipped (its pages read the primary), never an error.

Without replicas the router answers None for everything and the middleware is not installed: nothing changes.
The router, the middleware and the replica checks live in one module because they share the per-request
variable (and project modules outside the apps do not import each other, tests/foundation/test_layers.py).
"""

from __future__ import annotations

import itertools
import logging
import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db import Error as DatabaseError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

# The pages whose reads may come from a replica: what anyone browses, searches and looks up, and a vendor's
# insights (computed from the statistics tables, which the Celery jobs rewrite anyway).
REPLICA_READ_VIEWS = frozenset(
    {
        "shop:home",
        "shop:vendor-list",
        "shop:vendor-detail",
        "shop:search",
        "shop:product-detail",
        "sell:insights",
        "api:vendor-list",
        "api:vendor-detail",
        "api:product-list",
        "api:sell-insights",
    }
)
READ_METHODS = frozenset({"GET", "HEAD"})
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# Who the visitor is is always read from the primary: a session or API token created a moment ago (a login, a
# new token used from a script that keeps no cookie) that has not reached a replica would sign them out.
PRIMARY_ONLY_MODELS = frozenset({"sessions.session", "accounts.user", "accounts.apitoken"})

PIN_COOKIE = "primary_until"
PIN_SALT = "marketplace.kernel.db_router.read-your-writes"

# On a replica that has replayed all it received, now() - pg_last_xact_replay_timestamp() is the time since
# the primary's last commit, not lag: an idle primary would make every replica look stale. So a replica that
# is not behind what it received counts as 0 s behind. (So does one cut off from its primary: that shows in
# the primary's pg_stat_replication, which monitoring watches; docs/deploy.md.)
LAG_SQL = (
    "SELECT CASE WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0 "
    "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
)

_request_replica: ContextVar[str | None] = ContextVar("marketplace_request_replica", default=None)


def replica_aliases() -> list[str]:
    return getattr(settings, "REPLICA_DATABASES", [])


def replica_lag_seconds(alias: str) -> float:
    """How far the replica `alias` is behind the primary, in seconds. Raises a DatabaseError when it is down."""
    with connections[alias].cursor() as cursor:
        cursor.execute(LAG_SQL)
        (lag,) = cursor.fetchone()
    return float(lag or 0)


class ReplicaHealth:
    """Per process: whether each replica was usable when last checked, re-checked at most every
    DATABASE_REPLICA_CHECK_SECONDS. Threads of one process share it; two checking at once only check twice."""

    def __init__(
        self, measure: Callable[[str], float] = replica_lag_seconds, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._measure = measure
        self._clock = clock
        self._checked: dict[str, tuple[float, bool]] = {}

    def usable(self, alias: str) -> bool:
        now = self._clock()
        checked = self._checked.get(alias)
        if checked is not None and now - checked[0] < float(settings.DATABASE_REPLICA_CHECK_SECONDS):
            return checked[1]
        limit = float(settings.DATABASE_REPLICA_MAX_LAG_SECONDS)
        try:
            lag = self._measure(alias)
        except DatabaseError as exc:
            logger.warning("Replica %s does not answer (%s): reading from the primary.", alias, exc)
            _close_quietly(alias)
            ok = False
        else:
            ok = lag <= limit
            if not ok:
                logger.warning("Replica %s is %.1f s behind (limit %.1f s): reading the primary.", alias, lag, limit)
        self._checked[alias] = (now, ok)
        return ok

    def mark_down(self, alias: str) -> None:
        self._checked[alias] = (self._clock(), False)


health = ReplicaHealth()
_rotation = itertools.count()


def _close_quietly(alias: str) -> None:
    try:
        connections[alias].close()
    except DatabaseError:
        pass


def _connection_answers(alias: str) -> bool:
    """Open (or health-check, with CONN_HEALTH_CHECKS) the replica connection now, so a replica that went down
    since its last check is found here, before the page reads from it."""
    try:
        connections[alias].cursor().close()
    except DatabaseError as exc:
        logger.warning("Replica %s does not answer (%s): reading from the primary.", alias, exc)
        _close_quietly(alias)
        return False
    return True


def replica_choose() -> str | None:
    """A usable replica for one request (requests take turns over the replicas), or None for the primary."""
    aliases = replica_aliases()
    if not aliases:
        return None
    start = next(_rotation) % len(aliases)
    for alias in aliases[start:] + aliases[:start]:
        if health.usable(alias):
            if _connection_answers(alias):
                return alias
            health.mark_down(alias)
    return None


def request_replica() -> str | None:
    """The replica the current request reads from (None: the primary)."""
    return _request_replica.get()


@contextmanager
def primary_reads() -> Iterator[None]:
    """Within this block the current request reads the primary, even if it was given a replica: for what is
    rendered once and then kept (marketplace/kernel/caching), so a lagging replica's data is never stored."""
    token = _request_replica.set(None)
    try:
        yield
    finally:
        _request_replica.reset(token)


def read_your_writes_seconds() -> int:
    return int(settings.MARKETPLACE.get("READ_YOUR_WRITES_SECONDS", 5))


def pinned_to_primary(request: HttpRequest) -> bool:
    """True while the client's signed "primary until T" cookie says it changed something moments ago."""
    # A missing, forged or expired cookie reads as None.
    until = request.get_signed_cookie(PIN_COOKIE, default=None, salt=PIN_SALT, max_age=read_your_writes_seconds())
    try:
        return until is not None and float(until) > time.time()
    except ValueError:
        return False


def pin_to_primary(response: HttpResponse) -> None:
    """Send this client's reads to the primary for the next READ_YOUR_WRITES_SECONDS."""
    seconds = read_your_writes_seconds()
    response.set_signed_cookie(
        PIN_COOKIE,
        f"{time.time() + seconds:.3f}",
        salt=PIN_SALT,
        max_age=math.ceil(seconds),
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


class ReplicaReadsMiddleware:
    """Decides, per request, whether its reads may come from a replica (see the module docstring), and pins a
    client that has just changed something to the primary. Installed only when replicas are configured."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            response = self.get_response(request)
        finally:
            token: Token[str | None] | None = getattr(request, "_replica_token", None)
            if token is not None:
                _request_replica.reset(token)
                request._replica_token = None  # type: ignore[attr-defined]
        if request.method in WRITE_METHODS and response.status_code < 400:
            pin_to_primary(response)
        return response

    def process_view(self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any) -> None:
        match = request.resolver_match
        if (
            request.method in READ_METHODS
            and match is not None
            and match.view_name in REPLICA_READ_VIEWS
            and not pinned_to_primary(request)
        ):
            alias = replica_choose()
            if alias is not None:
                request._replica_token = _request_replica.set(alias)  # type: ignore[attr-defined]
        return None


class ReplicaRouter:
    """DATABASE_ROUTERS: reads of a replica-allowed request go to its replica, everything else to the primary.

    Writes always name the primary, so a row read from a replica is saved to the primary, not back to where it
    came from (Django's fallback without a router answer)."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        if not replica_aliases():
            return None
        alias = _request_replica.get()
        if (
            alias is None
            or model._meta.label_lower in PRIMARY_ONLY_MODELS
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return DEFAULT_DB_ALIAS
        return alias

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        return DEFAULT_DB_ALIAS if replica_aliases() else None

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        # Replicas are copies of the primary: a row read from one may point at a row read from another.
        return True if replica_aliases() else None

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        return False if db in replica_aliases() else None
