#!/usr/bin/env bash
# Keep the retention schedule of docs/deploy.md under ROOT (default /var/backups/tic-academy):
#   daily/   the last 7 nightly backups
#   weekly/  Sunday's backup, the last 5 weeks
#   monthly/ the 1st of the month's backup, the last 12 months
# Promotion copies (hard links) the newest daily backup; run it after `flask backup ROOT/daily`.
set -euo pipefail
ROOT=${1:-/var/backups/tic-academy}
mkdir -p "$ROOT/daily" "$ROOT/weekly" "$ROOT/monthly"

newest=$(ls -1d "$ROOT"/daily/tic-backup-* 2>/dev/null | grep -v '\.partial$' | sort | tail -1 || true)
if [ -n "$newest" ]; then
  name=$(basename "$newest")
  [ "$(date -u +%u)" = "7" ] && [ ! -e "$ROOT/weekly/$name" ] && cp -al "$newest" "$ROOT/weekly/$name"
  [ "$(date -u +%d)" = "01" ] && [ ! -e "$ROOT/monthly/$name" ] && cp -al "$newest" "$ROOT/monthly/$name"
fi

keep() {  # keep DIR COUNT: remove all but the newest COUNT complete backups (and stale .partial folders)
  local dir=$1 count=$2
  ls -1d "$dir"/tic-backup-* 2>/dev/null | grep -v '\.partial$' | sort | head -n "-$count" | xargs -r rm -rf
  find "$dir" -maxdepth 1 -name 'tic-backup-*.partial' -mmin +720 -exec rm -rf {} +
}
keep "$ROOT/daily" 7
keep "$ROOT/weekly" 5
keep "$ROOT/monthly" 12
