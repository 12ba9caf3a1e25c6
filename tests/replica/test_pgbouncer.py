"""The project behind Debian's PgBouncer in transaction mode (DATABASE_POOLER=pgbouncer), as compose runs it.

PgBouncer (installed by scripts/ensure_pgbouncer.sh) runs on a free port in front of this run's test database,
handing its server connections out in turn, so one client's consecutive transactions use different servers as
they would under load. gunicorn serves the project through it: pages read, a form writes, the vendor's CSV
export streams with QuerySet.iterator(), and PgBouncer's own statistics show the transactions went through its
pool. Without the pooler setting (server-side cursors on) the directory itself fails here: "cursor does not
exist", the cursor having been declared on another server connection.
"""

from __future__ import annotations

import importlib
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest
import requests
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection

from portfolios.models import PartnerMembership
from tests.factories import ProductFactory, UserFactory, VendorFactory
from tests.helpers import free_port, wait_until
from tests.replica.cluster import Site, project_environment, start_gunicorn, stop_site, wait_for_site

pytestmark = [pytest.mark.production, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PGBOUNCER = "/usr/sbin/pgbouncer"
POOL_SIZE = 3
CONFIG = """
[databases]
{name} = host={host} port={port} dbname={name}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {listen}
unix_socket_dir =
auth_type = trust
auth_file = {folder}/users.txt
admin_users = {user}
pool_mode = transaction
default_pool_size = {pool}
; Two server connections taken in turn: consecutive transactions of one client land on different servers, as
; they do under load, so anything that relies on server-side state between transactions (a cursor) breaks here.
min_pool_size = 2
server_round_robin = 1
max_client_conn = 100
ignore_startup_parameters = extra_float_digits
logfile = {folder}/pgbouncer.log
pidfile = {folder}/pgbouncer.pid
"""


def _admin(port: int, command: str) -> list[dict[str, object]]:
    """A command on PgBouncer's admin console (the "pgbouncer" database), rows as dicts."""
    conn = psycopg2.connect(
        host="127.0.0.1", port=port, user=connection.settings_dict["USER"], dbname="pgbouncer", connect_timeout=5
    )
    try:
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute(command)
            names = [column.name for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        conn.close()


@pytest.fixture
def pgbouncer(transactional_db) -> Iterator[int]:
    assert os.path.exists(PGBOUNCER), "PgBouncer is missing: `make test` installs it (scripts/ensure_pgbouncer.sh)"
    db = connection.settings_dict
    folder = Path(tempfile.mkdtemp(prefix="marketplace-pgbouncer-"))
    switch_user: list[str] = []
    if os.geteuid() == 0:  # PgBouncer refuses to run as root: it switches to postgres itself
        postgres = pwd.getpwnam("postgres")
        os.chown(folder, postgres.pw_uid, postgres.pw_gid)
        switch_user = ["-u", "postgres"]
    port = free_port()
    (folder / "users.txt").write_text(f'"{db["USER"]}" ""\n')
    (folder / "pgbouncer.ini").write_text(
        CONFIG.format(
            name=db["NAME"],
            host=db["HOST"] or "127.0.0.1",
            port=db["PORT"] or 5432,
            listen=port,
            folder=folder,
            user=db["USER"],
            pool=POOL_SIZE,
        )
    )
    process = subprocess.Popen(
        [PGBOUNCER, *switch_user, str(folder / "pgbouncer.ini")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )

    def answers() -> bool:
        assert process.poll() is None, (folder / "pgbouncer.log").read_text(errors="replace")
        try:
            _admin(port, "SHOW VERSION")
        except psycopg2.OperationalError:
            return False
        return True

    try:
        wait_until(answers, timeout=30, what="PgBouncer answering")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


def _signed_in(session: requests.Session, user) -> requests.Session:  # type: ignore[no-untyped-def]
    store = importlib.import_module(settings.SESSION_ENGINE).SessionStore()
    store.update(
        {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
    )
    store.create()
    session.cookies.set("sessionid", store.session_key)
    return session


@pytest.fixture
def pooled_site(pgbouncer: int, tmp_path: Path) -> Iterator[Site]:
    db = connection.settings_dict
    site = start_gunicorn(
        tmp_path / "gunicorn.log",
        project_environment(f"postgres://{db['USER']}@127.0.0.1:{pgbouncer}/{db['NAME']}", DATABASE_POOLER="pgbouncer"),
    )
    try:
        wait_for_site(site)
        yield site
    finally:
        stop_site(site)


def test_pages_and_writes_go_through_pgbouncer_in_transaction_mode(pgbouncer, pooled_site):
    owner = UserFactory(email="pantry-owner@test.example", password=None)
    vendor = VendorFactory(owner=owner, name="Pooled Pantry", slug="pooled-pantry")
    ProductFactory(vendor=vendor, name="Pooled Peppercorns")
    consumer = UserFactory(email="pooled-shopper@test.example", password=None)
    site = pooled_site
    before = {row["database"]: row["total_xact_count"] for row in _admin(pgbouncer, "SHOW STATS")}

    anonymous = requests.Session()
    listing = anonymous.get(f"{site.url}/vendors/", timeout=30)
    assert listing.status_code == 200 and "Pooled Pantry" in listing.text
    assert "Pooled Peppercorns" in anonymous.get(f"{site.url}/vendors/pooled-pantry/", timeout=30).text

    shopper = _signed_in(requests.Session(), consumer)
    assert shopper.get(f"{site.url}/portfolio/", timeout=30).status_code == 200
    added = shopper.post(
        f"{site.url}/portfolio/add/{vendor.pk}/",
        data={"csrfmiddlewaretoken": shopper.cookies["csrftoken"]},
        allow_redirects=False,
        timeout=30,
    )
    assert added.status_code == 302
    assert PartnerMembership.objects.filter(consumer=consumer, vendor=vendor, ended_at__isnull=True).exists()
    assert "Pooled Pantry" in shopper.get(f"{site.url}/portfolio/", timeout=30).text

    seller = _signed_in(requests.Session(), owner)
    export = seller.get(f"{site.url}/sell/products/export.csv", timeout=30)
    assert export.status_code == 200 and "Pooled Peppercorns" in export.text

    pools = [row for row in _admin(pgbouncer, "SHOW POOLS") if row["database"] == connection.settings_dict["NAME"]]
    assert [row["pool_mode"] for row in pools] == ["transaction"]
    after = {row["database"]: row["total_xact_count"] for row in _admin(pgbouncer, "SHOW STATS")}
    name = connection.settings_dict["NAME"]
    assert after[name] - before.get(name, 0) >= 6  # every page above ran its transactions through the pool
    servers = [row for row in _admin(pgbouncer, "SHOW SERVERS") if row["database"] == name]
    assert len(servers) <= POOL_SIZE
