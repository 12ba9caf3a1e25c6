"""The "Scaling out" settings, each read in a fresh interpreter from its own environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'databases': s.DATABASES, 'replicas': s.REPLICA_DATABASES, 'routers': s.DATABASE_ROUTERS, "
    "'middleware': s.MIDDLEWARE}, default=str))"
)
PRIMARY = "postgres://postgres@db.internal:5432/marketplace"


def _settings(**env: str) -> dict:  # type: ignore[type-arg]
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_URL", "CELERY_"))}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "marketplace.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_settings_without_replicas_change_nothing():
    found = _settings(DATABASE_URL=PRIMARY)
    assert list(found["databases"]) == ["default"] and found["replicas"] == []
    assert not any("db_router" in m for m in found["middleware"])
    assert found["databases"]["default"]["CONN_MAX_AGE"] == 60
    # No server-side cursors in any mode (settings.py: form choices would declare a cursor WITH HOLD per page).
    assert found["databases"]["default"]["DISABLE_SERVER_SIDE_CURSORS"] is True


def test_settings_with_replicas_and_pgbouncer():
    found = _settings(
        DATABASE_URL=PRIMARY,
        DATABASE_REPLICA_URLS="postgres://postgres@replica-a:5432/marketplace,postgres://postgres@replica-b/marketplace",
        DATABASE_POOLER="pgbouncer",
    )
    assert found["replicas"] == ["replica_0", "replica_1"]
    replica = found["databases"]["replica_1"]
    assert replica["HOST"] == "replica-b" and replica["NAME"] == "marketplace"
    assert replica["TEST"]["MIRROR"] == "default"  # the test suite reads and writes one database
    assert replica["OPTIONS"]["connect_timeout"] == 2
    assert found["routers"] == ["marketplace.kernel.db_router.ReplicaRouter"]
    assert found["middleware"][-1] == "marketplace.kernel.db_router.ReplicaReadsMiddleware"
    for alias in ("default", "replica_0", "replica_1"):
        assert found["databases"][alias]["DISABLE_SERVER_SIDE_CURSORS"] is True
        assert found["databases"][alias]["CONN_MAX_AGE"] == 0


def test_settings_refuse_an_unknown_pooler():
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_URL", "CELERY_"))}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "marketplace.settings",
            "DATABASE_URL": PRIMARY,
            "DATABASE_POOLER": "pgpool",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "DATABASE_POOLER='pgpool'" in result.stderr
