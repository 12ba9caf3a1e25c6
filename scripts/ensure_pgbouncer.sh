#!/usr/bin/env bash
# The connection-pooler test (tests/replica/test_pgbouncer.py) runs Debian's PgBouncer in front of the test
# database: install it when missing if we are root, otherwise stop and say which command to run.
set -euo pipefail

if [ -x /usr/sbin/pgbouncer ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  echo "PgBouncer is missing: installing Debian's pgbouncer package for the connection-pooler test." >&2
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends pgbouncer
else
  echo "The connection-pooler test needs Debian's PgBouncer at /usr/sbin/pgbouncer. Install it with:" >&2
  echo "    sudo apt-get install -y pgbouncer" >&2
  exit 1
fi
