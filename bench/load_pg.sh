#!/usr/bin/env bash
# bench/load.py on the production shape: a throw-away PostgreSQL cluster and Redis (scripts/services.sh),
# grading through a Celery worker; both removed afterwards.
# Run from the project root: bash bench/load_pg.sh [--minutes N] [other bench/load.py options]
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
# shellcheck source=../scripts/services.sh
source scripts/services.sh
trap services_stop EXIT
services_start pg redis
psql "$PG_URL/postgres" -qc "CREATE DATABASE tic_load" >/dev/null
status=0
TIC_DATABASE_URL="$PG_URL/tic_load" TIC_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0" \
  "$PYTHON" bench/load.py --runner celery "$@" || status=$?
# Every connection the stack opened is a PostgreSQL process started (fork, authentication, catalogue reads).
echo "PostgreSQL sessions opened on the bench database: $(psql "$PG_URL/postgres" -tAc \
  "SELECT sessions FROM pg_stat_database WHERE datname = 'tic_load'")"
exit $status
