"""The replica decision in-process: which requests may read a replica, read-your-writes, skipped replicas.

No replica database exists in this process, so the replica's answers (its lag, or its failure) are stubbed
and the router's choices are recorded instead of queried; tests/replica/test_replica.py runs the real thing.
"""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.core import signing
from django.db import OperationalError, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import resolve

from marketplace.accounts.models import User
from marketplace.kernel import db_router
from portfolios.models import VendorStats
from vendors.models import Vendor

ROUTER = db_router.ReplicaRouter()


@pytest.fixture
def replicas(settings, monkeypatch):
    """One configured replica, answering 0 s behind unless a test says otherwise."""
    settings.REPLICA_DATABASES = ["replica_0"]
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 10.0
    settings.DATABASE_REPLICA_CHECK_SECONDS = 3.0
    lags: list[object] = [0.0]
    clock = [1000.0]

    def measure(alias: str) -> float:
        lag = lags[0]
        if isinstance(lag, Exception):
            raise lag
        return float(lag)  # type: ignore[arg-type]

    monkeypatch.setattr(db_router, "health", db_router.ReplicaHealth(measure=measure, clock=lambda: clock[0]))
    monkeypatch.setattr(db_router, "_connection_answers", lambda alias: True)
    monkeypatch.setattr(db_router, "_close_quietly", lambda alias: None)
    return lags, clock


def serve(method: str, path: str, *, status: int = 200, cookies: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    """Run a request through the middleware as Django's handler does, recording where the view's reads go."""
    request = getattr(RequestFactory(), method.lower())(path)
    request.COOKIES.update(cookies or {})
    request.resolver_match = resolve(path.split("?")[0])
    seen: dict[str, str | None] = {}
    middleware = db_router.ReplicaReadsMiddleware(lambda req: view(req))

    def view(req):  # type: ignore[no-untyped-def]
        middleware.process_view(req, None, (), {})
        seen["vendor"] = ROUTER.db_for_read(Vendor)
        seen["stats"] = ROUTER.db_for_read(VendorStats)
        seen["session"] = ROUTER.db_for_read(Session)
        seen["user"] = ROUTER.db_for_read(User)
        seen["write"] = ROUTER.db_for_write(Vendor)
        return HttpResponse(status=status)

    response = middleware(request)
    return seen, response


def test_router_without_replicas_leaves_every_choice_to_django(settings):
    settings.REPLICA_DATABASES = []
    assert ROUTER.db_for_read(Vendor) is None
    assert ROUTER.db_for_write(Vendor) is None
    assert ROUTER.allow_migrate("default", "vendors") is None


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/vendors/",
        "/vendors/bean-there/",
        "/search/?q=tea",
        "/products/1/",
        "/sell/insights/",
        "/api/v1/vendors/",
        "/api/v1/vendors/bean-there/",
        "/api/v1/products/",
        "/api/v1/sell/insights/",
    ],
)
def test_browse_search_and_insights_pages_read_the_replica(replicas, path):
    seen, _ = serve("GET", path)
    assert seen["vendor"] == "replica_0" and seen["stats"] == "replica_0"
    # Who is asking, and every write, stay on the primary even there.
    assert seen["session"] == seen["user"] == seen["write"] == "default"
    assert db_router.request_replica() is None  # nothing left behind for the next request on this thread


@pytest.mark.parametrize("path", ["/portfolio/", "/cart/", "/orders/", "/sell/products/", "/api/v1/cart/", "/health/"])
def test_other_pages_read_the_primary(replicas, path):
    seen, _ = serve("GET", path)
    assert seen["vendor"] == "default"


def test_a_write_answered_below_400_pins_the_client_to_the_primary_for_a_few_seconds(replicas, settings):
    settings.MARKETPLACE = {**settings.MARKETPLACE, "READ_YOUR_WRITES_SECONDS": 5}
    seen, response = serve("POST", "/vendors/", status=302)
    assert seen["vendor"] == "default"  # a POST never reads a replica
    cookie = response.cookies[db_router.PIN_COOKIE]
    assert cookie["max-age"] == 5 and cookie["httponly"]

    seen, _ = serve("GET", "/vendors/", cookies={db_router.PIN_COOKIE: cookie.value})
    assert seen["vendor"] == "default"


def test_a_refused_write_does_not_pin_and_a_forged_or_past_pin_is_ignored(replicas):
    _, response = serve("POST", "/vendors/", status=400)
    assert db_router.PIN_COOKIE not in response.cookies

    forged, _ = serve("GET", "/vendors/", cookies={db_router.PIN_COOKIE: "99999999999"})
    assert forged["vendor"] == "replica_0"
    signer = signing.get_cookie_signer(salt=db_router.PIN_COOKIE + db_router.PIN_SALT)
    past, _ = serve("GET", "/vendors/", cookies={db_router.PIN_COOKIE: signer.sign("1000.0")})
    assert past["vendor"] == "replica_0"


def test_a_replica_too_far_behind_or_down_is_skipped_and_rechecked_later(replicas):
    lags, clock = replicas
    lags[0] = 11.0  # limit 10 s
    assert serve("GET", "/vendors/")[0]["vendor"] == "default"
    lags[0] = 0.0
    assert serve("GET", "/vendors/")[0]["vendor"] == "default"  # the last check stands for 3 s
    clock[0] += 3.5
    assert serve("GET", "/vendors/")[0]["vendor"] == "replica_0"

    lags[0] = OperationalError("connection refused")
    clock[0] += 3.5
    assert serve("GET", "/vendors/")[0]["vendor"] == "default"


def test_a_replica_that_stopped_answering_since_its_check_is_skipped(replicas, monkeypatch):
    monkeypatch.setattr(db_router, "_connection_answers", lambda alias: False)
    assert serve("GET", "/vendors/")[0]["vendor"] == "default"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reads_inside_a_transaction_go_to_the_primary(replicas):
    """Reads in a service's transaction (checking stock before selling it, say) must see the primary's rows."""
    token = db_router._request_replica.set("replica_0")
    try:
        assert ROUTER.db_for_read(Vendor) == "replica_0"
        with transaction.atomic():
            assert ROUTER.db_for_read(Vendor) == "default"
    finally:
        db_router._request_replica.reset(token)
    assert ROUTER.db_for_read(Vendor) == "default"  # outside a request (Celery, commands): the primary


def test_replicas_are_never_migrated(replicas):
    assert ROUTER.allow_migrate("replica_0", "vendors") is False
    assert ROUTER.allow_migrate("default", "vendors") is None
