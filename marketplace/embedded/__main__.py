"""`python -m marketplace.embedded run|start|stop|url`: see the package's docstring."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys

from . import HOST, _pid_alive, data_dir
from .postgres import _pgdata, postgres_ensure, postgres_stop, postgres_url
from .redis import redis_ensure, redis_stop


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
    parser = argparse.ArgumentParser(
        prog="python -m marketplace.embedded", description="The embedded PostgreSQL and Redis of the project."
    )
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
