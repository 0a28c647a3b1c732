#!/usr/bin/env bash
# bench/dashboards.py on a throw-away PostgreSQL cluster (scripts/services.sh), removed afterwards.
# Run from the project root: bash bench/dashboards_pg.sh [--runs N]
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
# shellcheck source=../scripts/services.sh
source scripts/services.sh
trap services_stop EXIT
services_start pg
psql "$PG_URL/postgres" -qc "CREATE DATABASE tic_bench" >/dev/null
TIC_BENCH_DATABASE_URL="$PG_URL/tic_bench" "$PYTHON" bench/dashboards.py "$@"
