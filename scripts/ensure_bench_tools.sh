#!/usr/bin/env bash
# `make bench` loads the site with Debian's wrk: install it when missing if we are root, otherwise stop and
# say which command to run.
set -euo pipefail

if command -v wrk >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  echo "wrk is missing: installing Debian's wrk package for the benchmark." >&2
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk
else
  echo "The benchmark needs wrk. Install it with:" >&2
  echo "    sudo apt-get install -y wrk" >&2
  exit 1
fi
