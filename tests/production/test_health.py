"""/health/: 200 while the database answers, with Redis and beat reported; 503 without the database."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.db import OperationalError, connection
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from tests.helpers import free_port

pytestmark = [pytest.mark.production, pytest.mark.django_db]


def _beat_ran(minutes_ago: int) -> None:
    every = IntervalSchedule.objects.create(every=30, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.create(
        name="health-test",
        task="portfolios.tasks.stats_refresh_dirty_task",
        interval=every,
        last_run_at=timezone.now() - timedelta(minutes=minutes_ago),
    )


def test_health_database_ok_answers_200(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "redis": "unused", "beat": "unknown"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (make test sets it)")
def test_health_redis_answering_is_ok(client, settings):
    settings.REDIS_URL = os.environ["REDIS_URL"]
    assert client.get("/health/").json()["redis"] == "ok"


def test_health_redis_on_a_dead_port_reports_down_with_200(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["redis"] == "down"
    assert response.json()["database"] == "ok"


def test_health_beat_recent_run_is_ok(client):
    _beat_ran(minutes_ago=1)
    assert client.get("/health/").json()["beat"] == "ok"


def test_health_beat_without_a_run_for_long_is_stale_with_200(client):
    _beat_ran(minutes_ago=30)
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["beat"] == "stale"


def test_health_database_down_answers_503(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["database"] == "down"
    assert response.json()["beat"] == "unknown"
