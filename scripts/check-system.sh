#!/usr/bin/env bash
# Check (and on Debian as root, install) the host packages the platform needs:
# Python 3.11+, Node.js + npm (asset build), bubblewrap and libseccomp2 (grading sandbox),
# git (trainee repositories, served by `git http-backend`).
# pg_dump/pg_restore (flask backup/restore on PostgreSQL) and curl (make prod-check).
# Usage: scripts/check-system.sh [extra Debian packages...]
set -euo pipefail

missing=()
need() { command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }

if ! command -v python3 >/dev/null 2>&1; then
  echo "ERROR: python3 (3.11 or newer) is required. On Debian: apt-get install python3 python3-venv" >&2
  exit 1
fi
if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "ERROR: Python 3.11 or newer is required; found $(python3 --version)." >&2
  exit 1
fi
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
  missing+=("python3-venv")
fi
need node nodejs
need npm npm
need bwrap bubblewrap
need setpriv util-linux
need prlimit util-linux
# Trainee project repositories: the app runs git, including `git http-backend` for clone and push.
need git git
need pg_dump postgresql-client
need pg_restore postgresql-client
need curl curl
# The sandbox's syscall filter is built with libseccomp (through the pyseccomp package).
dpkg -s libseccomp2 >/dev/null 2>&1 || ldconfig -p 2>/dev/null | grep -q 'libseccomp\.so\.2' || missing+=("libseccomp2")
for pkg in "$@"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
# de-duplicate
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "ERROR: missing system packages: ${missing[*]}" >&2
  echo "Install them with:  sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
