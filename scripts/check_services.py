"""Stop `make test` early, with a clear message, when PostgreSQL or Redis does not answer."""

import os
import sys

import environ
import psycopg2
import redis

HELP = "Start them (docker compose up -d postgres redis), or unset DATABASE_URL and REDIS_URL to test on embedded ones."


def main() -> int:
    db_url = os.environ["DATABASE_URL"]
    redis_url = os.environ["REDIS_URL"]
    problems = []
    db = environ.Env.db_url_config(db_url)
    try:
        psycopg2.connect(
            dbname="postgres",
            user=db.get("USER") or None,
            password=db.get("PASSWORD") or None,
            host=db.get("HOST") or None,
            port=db.get("PORT") or None,
            connect_timeout=3,
        ).close()
    except psycopg2.Error as exc:
        problems.append(f"PostgreSQL at {db_url} does not answer: {str(exc).strip()}")
    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        problems.append(f"Redis at {redis_url} does not answer: {exc}")
    if problems:
        print("make test needs PostgreSQL and Redis.", *problems, HELP, sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
