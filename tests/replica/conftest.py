"""The replica tests' cluster: a PostgreSQL primary and a streaming replica of its own for this test run
(tests/replica/cluster.py), started once per session and removed at its end."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import database_url_of_test_run, free_port
from tests.replica.cluster import (
    PG_BIN,
    PG_USER,
    PRIMARY_CONF,
    Cluster,
    as_postgres,
    as_server_user,
    copy_schema,
    create_database,
)


@pytest.fixture(scope="session")
def replica_cluster(django_db_setup, django_db_blocker) -> Iterator[Cluster]:
    """A primary with this run's schema and a streaming hot-standby replica of it (the data: start_seed)."""
    with django_db_blocker.unblock():
        source_url = database_url_of_test_run()
    root = Path(tempfile.mkdtemp(prefix="marketplace-replica-"))
    if PG_USER:
        shutil.chown(root, user=PG_USER, group=PG_USER)
    cluster = Cluster(root=root, primary_port=free_port(), replica_port=free_port())
    started: list[Path] = []
    try:
        as_postgres([str(PG_BIN / "initdb"), "-A", "trust", "-U", "postgres", "-N", "-D", str(cluster.primary_dir)])
        with (cluster.primary_dir / "postgresql.conf").open("a") as conf:
            conf.write(PRIMARY_CONF.format(port=cluster.primary_port, sockets=root))
        with (cluster.primary_dir / "pg_hba.conf").open("a") as hba:
            hba.write("host replication all 127.0.0.1/32 trust\n")
        cluster.pg_ctl(cluster.primary_dir, "-l", str(root / "primary.log"), "start", "-w", "-t", "60")
        started.append(cluster.primary_dir)

        create_database(cluster)
        copy_schema(source_url, cluster)
        as_postgres(
            [str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(cluster.primary_port), "-U", "postgres"]
            + ["-D", str(cluster.replica_dir), "-R", "-X", "stream", "-c", "fast", "-N"]
        )
        with (cluster.replica_dir / "postgresql.conf").open("a") as conf:
            conf.write(f"port = {cluster.replica_port}\n")
        cluster.start_replica()
        started.append(cluster.replica_dir)
        assert cluster.replica("SELECT pg_is_in_recovery()") == [(True,)]
        yield cluster
    finally:
        for data_dir in reversed(started):
            subprocess.run(
                as_server_user([str(PG_BIN / "pg_ctl"), "-D", str(data_dir), "stop", "-m", "immediate"]),
                capture_output=True,
                timeout=60,
            )
        shutil.rmtree(root, ignore_errors=True)
