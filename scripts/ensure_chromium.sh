#!/usr/bin/env bash
# Browser tests drive Debian's Chromium at /usr/bin/chromium (Playwright cannot download browsers here):
# install it when missing if we are root, otherwise stop and say which command to run.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  echo "Chromium is missing: installing Debian's chromium package for the browser tests." >&2
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
else
  echo "The browser tests need Debian's Chromium at /usr/bin/chromium. Install it with:" >&2
  echo "    sudo apt-get install -y chromium" >&2
  exit 1
fi
