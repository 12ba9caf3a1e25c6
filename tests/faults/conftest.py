"""Fault injection for the tests in this folder: Redis (cache, broker and result store) somewhere else."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.test import override_settings

from marketplace.celery import app as celery_app

# Nothing listens on port 1: connections are refused at once, as when Redis is down on its host.
DEAD_REDIS = "redis://127.0.0.1:1/0"


def _drop_celery_connections() -> None:
    """Celery keeps its producer pool and its result store from the URLs it first saw; make it look them up
    again for the URLs configured now (kombu keeps one pool per URL, so the old ones stay usable)."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    celery_app._backend_cache = None
    celery_app._local.backend = None


@contextmanager
def redis_at(url: str) -> Iterator[None]:
    """Point the cache, the Celery broker and its result store at `url`, with tasks really sent to the broker
    (not run in-process); restore the test settings afterwards ("Redis is back")."""
    conf = celery_app.conf
    saved = {name: conf[name] for name in ("task_always_eager", "broker_url", "result_backend")}
    with override_settings(CACHES={"default": {"BACKEND": "marketplace.kernel.cache.RedisCache", "LOCATION": url}}):
        conf.update(task_always_eager=False, broker_url=url, result_backend=url)
        _drop_celery_connections()
        cache.clear()  # the fallback memory of an earlier test must not leak into this one
        try:
            yield
        finally:
            conf.update(saved)
            _drop_celery_connections()


@pytest.fixture(autouse=True)
def _fresh_outage_memory(monkeypatch):
    """Each test meets Redis as if for the first time: no remembered outage of the cache or the broker."""
    monkeypatch.setattr("marketplace.kernel.cache._health", {})
    monkeypatch.setattr("marketplace.kernel.enqueue._broker_down_until", {})
