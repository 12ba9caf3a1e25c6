"""The health endpoint, `/health/`, for load balancers, orchestrators and operators.

It answers JSON `{"database": ..., "redis": ..., "beat": ...}`:
- database: "ok" or "down" (a `SELECT 1` on the default database);
- redis: "ok", "down" (no answer to PING within a second) or "unused" (no REDIS_URL: the embedded mode);
- beat: "ok", "stale" (no periodic job started for BEAT_STALE_AFTER) or "unknown" (no periodic job has
  run yet, or the database cannot be asked).

Only the database decides the status code: 200 when it answers, 503 when it does not. Without the
database no page can be served, so this instance should be taken out of rotation and restarted. Redis is
for speed, never correctness (pages render without the cache; statistics delayed by a broker outage are
reconciled later), and beat is a separate process: failing the web health check for either would take
every web instance out of rotation at once, turning a degraded service into no service, while restarting
web would fix neither. They are reported in the body for monitoring to alert on.
"""

from __future__ import annotations

from datetime import timedelta

import redis
from django.conf import settings
from django.db import Error as DatabaseError
from django.db import connection
from django.db.models import Max
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django_celery_beat.models import PeriodicTask

# Beat stores each job's last_run_at when it syncs (every 3 minutes) and the shortest job runs every
# 30 seconds, so a live beat is never more than about 4 minutes behind; 10 leaves room for a slow start.
BEAT_STALE_AFTER = timedelta(minutes=10)
REDIS_TIMEOUT_SECONDS = 1.0


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "down"
    return "ok"


def redis_status() -> str:
    if not settings.REDIS_URL:
        return "unused"
    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_connect_timeout=REDIS_TIMEOUT_SECONDS, socket_timeout=REDIS_TIMEOUT_SECONDS
    )
    try:
        client.ping()
    except (redis.RedisError, OSError):
        return "down"
    finally:
        client.close()
    return "ok"


def beat_status() -> str:
    """django-celery-beat records when it last started each periodic job: its latest is beat's heartbeat."""
    try:
        last_run = PeriodicTask.objects.filter(enabled=True).aggregate(last=Max("last_run_at"))["last"]
    except DatabaseError:
        return "unknown"
    if last_run is None:
        return "unknown"
    return "ok" if timezone.now() - last_run <= BEAT_STALE_AFTER else "stale"


@method_decorator(never_cache, name="dispatch")
class HealthView(View):
    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest) -> JsonResponse:
        database = database_status()
        body = {
            "database": database,
            "redis": redis_status(),
            "beat": beat_status() if database == "ok" else "unknown",
        }
        return JsonResponse(body, status=200 if database == "ok" else 503)
