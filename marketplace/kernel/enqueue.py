"""Queue Celery tasks from request paths (after commit) without ever failing the request.

The tasks queued from requests only bring derived figures up to date. What must not be lost is already in
the database when they are queued: a portfolio change marks its vendor dirty inside its own transaction,
and Celery beat refreshes dirty vendors every 30 seconds and reconciles everything hourly. So when the
broker cannot be reached the right answer is to log and go on: the consumer's change is saved, and telling
them it failed (a 500 after the commit) would be untrue.

Two costs of a broker outage are kept off the request:
- the result store. These tasks are fire-and-forget (nobody waits for their result), so they are queued
  with `ignore_result`: Celery then neither subscribes to the result (which, with Redis down, retries for
  about 20 seconds and raises RuntimeError) nor stores one;
- the wait. Publishing retries once (a connection pooled before a Redis restart is stale; the retry gets a
  fresh one), then gives up; after a failure this process does not try that broker again for
  RETRY_AFTER_SECONDS, so an outage costs one failed publish per process per interval, not one per request.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from celery import Task
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# The broker (or the result store behind it) cannot be reached: kombu wraps transport errors in its
# OperationalError; redis-py's and the socket's own can surface from the Redis transport directly.
BROKER_ERRORS = (KombuOperationalError, RedisError, OSError)
RETRY_AFTER_SECONDS = 10.0
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}

# Per broker URL: until when (time.monotonic()) this process leaves it alone after a failed publish.
_broker_down_until: dict[str, float] = {}


def enqueue_safely(task: Task, *args: Any, **kwargs: Any) -> bool:
    """Queue `task(*args, **kwargs)`, fire-and-forget. Never raises a broker failure to the caller.

    Returns True when the broker took the message (or the task ran in-process, in eager mode), False when
    it was dropped because the broker is unreachable; the drop is logged. Call it only for tasks whose work
    a periodic job also does (or that mark their work in the database first), since a dropped task is not
    retried. Errors raised by an eager task itself still propagate, as they would from the worker's log.
    """
    app = task.app
    if app.conf.task_always_eager:
        task.apply_async(args=args, kwargs=kwargs, ignore_result=True)
        return True
    broker = str(app.conf.broker_url or "")
    if time.monotonic() < _broker_down_until.get(broker, 0.0):
        logger.info("Broker still marked unreachable: %s not queued; the periodic jobs catch up.", task.name)
        return False
    try:
        task.apply_async(args=args, kwargs=kwargs, ignore_result=True, retry=True, retry_policy=PUBLISH_RETRY_POLICY)
    except BROKER_ERRORS as exc:
        _broker_down_until[broker] = time.monotonic() + RETRY_AFTER_SECONDS
        logger.warning(
            "Could not queue %s (%s: %s): the broker is unreachable; not trying it again for %.0f s, "
            "the periodic jobs catch up.",
            task.name,
            type(exc).__name__,
            exc,
            RETRY_AFTER_SECONDS,
        )
        return False
    _broker_down_until.pop(broker, None)
    return True
