#!/usr/bin/env bash
# `make prod-check`: start the production stack on loopback — PostgreSQL, Redis, gunicorn (3 workers),
# a Celery grading worker and Celery beat — run migrations, the curriculum sync and `flask demo`,
# drive a trainee's journey over HTTP (scripts/prod_journey.py), then stop everything (also on failure).
#
# PostgreSQL and Redis: PROD_CHECK_PG_URL (a server, e.g. postgresql://postgres@127.0.0.1:5432) and
# PROD_CHECK_REDIS_URL (redis://127.0.0.1:6379) when given (CI), else throw-away ones (scripts/services.sh).
# A fresh database is created on that server and dropped at the end; Redis databases 14 and 15 are used.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
BIN="$PWD/$VENV/bin"
[ -x "$BIN/python" ] || BIN=$(cd "$VENV/bin" && pwd)
# shellcheck source=scripts/services.sh
source scripts/services.sh
START=$(date +%s)

WORK=$(mktemp -d /tmp/tic-prod-check.XXXXXX)
chmod 755 "$WORK"
PIDS=()
DB_NAME="tic_prod_check_$$"
DB_CREATED=

cleanup() {
  local status=$?
  trap '' INT TERM   # a second Ctrl-C must not cut the clean-up short
  set +e
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  if [ "$status" != 0 ]; then
    echo "== prod-check FAILED; last log lines:"
    for log in "$WORK"/*.log; do echo "--- $log"; tail -n 25 "$log"; done
  fi
  [ -n "$DB_CREATED" ] && psql "$PG_SERVER/postgres" -qc "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" >/dev/null 2>&1
  services_stop
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

want=()
[ -n "${PROD_CHECK_PG_URL:-}" ] || want+=(pg)
[ -n "${PROD_CHECK_REDIS_URL:-}" ] || want+=(redis)
if [ ${#want[@]} -gt 0 ]; then services_start "${want[@]}"; fi
PG_SERVER=${PROD_CHECK_PG_URL:-$PG_URL}
REDIS_SERVER=${PROD_CHECK_REDIS_URL:-${REDIS_URL%/0}}

psql "$PG_SERVER/postgres" -qc "CREATE DATABASE $DB_NAME" >/dev/null
DB_CREATED=1
PORT=$(free_port)
BASE="http://127.0.0.1:$PORT"

export TIC_ENV=production
export TIC_SECRET_KEY
TIC_SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')
export TIC_DATABASE_URL="$PG_SERVER/$DB_NAME"
export TIC_RUNNER=celery TIC_REDIS_URL="$REDIS_SERVER/15" TIC_RATELIMIT_STORAGE_URL="$REDIS_SERVER/14"
export TIC_TRUSTED_PROXIES=127.0.0.1 TIC_LOG_FORMAT=json TIC_KERNEL_POOL_SIZE=1
export TIC_EXTERNAL_URL="$BASE"
export PROMETHEUS_MULTIPROC_DIR="$WORK/metrics"
mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
redis-cli -u "$REDIS_SERVER/15" flushdb >/dev/null
redis-cli -u "$REDIS_SERVER/14" flushdb >/dev/null

echo "== $(date +%T) migrations, curriculum, demo data"
"$BIN/flask" --app wsgi db upgrade >"$WORK/setup.log" 2>&1
echo "   $(date +%T) migrated"
"$BIN/flask" --app wsgi curriculum sync >>"$WORK/setup.log" 2>&1
echo "   $(date +%T) curriculum synced"
"$BIN/flask" --app wsgi demo >>"$WORK/setup.log" 2>&1

echo "== $(date +%T) gunicorn (3 workers) on $BASE, Celery worker, Celery beat"
# The app logs JSON lines to stderr: all three share one log file, as journald would.
LOG="$WORK/stack.log"
"$BIN/gunicorn" -c deploy/gunicorn.conf.py --bind "127.0.0.1:$PORT" --workers 3 wsgi:app >>"$LOG" 2>&1 &
PIDS+=($!)
"$BIN/celery" -A tic_academy.jobs.celery_app worker --concurrency=1 --loglevel=INFO \
  --hostname="prodcheck-$$@%h" --without-mingle --without-gossip >>"$LOG" 2>&1 &
PIDS+=($!)
"$BIN/celery" -A tic_academy.jobs.celery_app beat --loglevel=INFO --schedule="$WORK/beat-schedule" >>"$LOG" 2>&1 &
PIDS+=($!)

for _ in $(seq 150); do
  curl -fsS "$BASE/healthz" >/dev/null 2>&1 && break
  for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null || { echo "a process of the stack exited early"; exit 1; }; done
  sleep 0.2
done
curl -fsS "$BASE/healthz" >/dev/null
echo "== $(date +%T) the journey"
"$BIN/python" scripts/prod_journey.py "$BASE" "$LOG"
grep -q "beat: Starting" "$LOG" || { echo "Celery beat did not start"; exit 1; }
echo "== $(date +%T) prod-check passed in $(( $(date +%s) - START )) s"
