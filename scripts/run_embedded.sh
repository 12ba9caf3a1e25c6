#!/usr/bin/env bash
# The embedded mode (`make run` calls this through `python -m marketplace.embedded run`, which has started the
# embedded PostgreSQL and set DATABASE_URL): migrations, the demo data, then the site, Django's runserver, and
# its clock, a Celery worker with beat embedded that runs the periodic jobs of CELERY_BEAT_SCHEDULE (promotions
# starting and ending on time, the dirty-statistics refresh, the early-warning scan, the reconciles). The
# worker needs no Redis: without REDIS_URL its broker is a local folder (marketplace/settings.py, "Cache and
# Celery"). Requests still run their own tasks in-process; only the worker, started here with
# CELERY_TASK_ALWAYS_EAGER=0, passes beat's jobs through the folder. The worker stops when the site stops.
#
# Usage: scripts/run_embedded.sh [ADDRESS:PORT [RUNSERVER OPTIONS...]]      (default 127.0.0.1:8000)
# Without the wrapper (DATABASE_URL unset) settings.py starts the embedded PostgreSQL itself and leaves it running.
# The worker's log goes to $MARKETPLACE_BROKER_DIR/worker.log (default .celery/worker.log).
set -euo pipefail
cd "$(dirname "$0")/.."

BIN="${BIN:-.venv/bin}"
ADDRESS="${1:-127.0.0.1:8000}"
shift || true
case "$ADDRESS" in *:*) ;; *) ADDRESS="127.0.0.1:$ADDRESS" ;; esac
HOST="${ADDRESS%:*}"
PORT="${ADDRESS##*:}"
# Links in e-mails point at the address served (a site bound to every interface is reached on localhost here).
case "$HOST" in 0.0.0.0|"") HOST=127.0.0.1 ;; "[::]") HOST="[::1]" ;; esac
export DJANGO_SITE_URL="${DJANGO_SITE_URL:-http://$HOST:$PORT}"

"$BIN/python" manage.py migrate --noinput
# The demo data (a second run adds only what is missing); SEED_DEMO=0 serves an empty marketplace.
if [ "${SEED_DEMO:-1}" != "0" ]; then
    "$BIN/python" manage.py seed_demo
fi

BROKER_DIR="${MARKETPLACE_BROKER_DIR:-.celery}"
mkdir -p "$BROKER_DIR/queue" "$BROKER_DIR/control"

# Gossip, mingle and heartbeats broadcast to every worker that ever ran: on a folder broker a stopped
# worker's share would pile up unread, and this mode has one worker anyway.
CELERY_TASK_ALWAYS_EAGER=0 "$BIN/celery" -A marketplace worker --beat --pool=solo \
    --scheduler django_celery_beat.schedulers:DatabaseScheduler \
    --without-gossip --without-mingle --without-heartbeat \
    --loglevel=INFO --logfile="$BROKER_DIR/worker.log" &
WORKER_PID=$!

stop_worker() {
    if kill -0 "$WORKER_PID" 2>/dev/null; then
        kill -TERM "$WORKER_PID" 2>/dev/null || true
        wait "$WORKER_PID" 2>/dev/null || true
    fi
}
trap stop_worker EXIT

echo "Clock: Celery worker and beat running (pid $WORKER_PID, log $BROKER_DIR/worker.log)."
echo "Site: $DJANGO_SITE_URL  (demo accounts in README.md; Ctrl-C stops the site, its clock and the database)"
"$BIN/python" manage.py runserver "$ADDRESS" "$@"
