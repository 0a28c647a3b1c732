# Throw-away PostgreSQL and Redis on free loopback ports, for CI and `make prod-check`.
# Source it, then:  services_start [pg] [redis];  trap services_stop EXIT
# It sets SERVICES_DIR, PG_PORT, PG_URL (postgresql://postgres@127.0.0.1:PORT), REDIS_PORT, REDIS_URL.
# As root, PostgreSQL runs as the postgres user; otherwise as the current user.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$dir" ] || { echo "ERROR: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; return 1; }
  echo "$dir"
}

as_pg() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

services_start_pg() {
  local bin
  bin=$(pg_bin) || return 1
  PG_PORT=$(free_port)
  mkdir -p "$SERVICES_DIR/pg"
  [ "$(id -u)" = "0" ] && chown postgres: "$SERVICES_DIR/pg"
  as_pg "$bin/initdb" -D "$SERVICES_DIR/pg" -A trust -U postgres >/dev/null
  as_pg "$bin/pg_ctl" -D "$SERVICES_DIR/pg" -l "$SERVICES_DIR/pg/server.log" -w \
    -o "-p $PG_PORT -k $SERVICES_DIR/pg -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
  PG_STARTED=1
  PG_URL="postgresql://postgres@127.0.0.1:$PG_PORT"
  export PG_PORT PG_URL
}

services_start_redis() {
  REDIS_PORT=$(free_port)
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
    --daemonize yes --logfile "$SERVICES_DIR/redis.log" --pidfile "$SERVICES_DIR/redis.pid"
  REDIS_STARTED=1
  REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
  export REDIS_PORT REDIS_URL
  # wait until it answers
  for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "ERROR: redis-server did not start (log: $SERVICES_DIR/redis.log)" >&2
  return 1
}

# services_start [pg] [redis]   (both when no argument)
services_start() {
  SERVICES_DIR=$(mktemp -d /tmp/tic-services.XXXXXX)  # not exported: only this shell stops and removes it
  chmod 755 "$SERVICES_DIR"
  local want=("$@")
  [ ${#want[@]} -eq 0 ] && want=(pg redis)
  for service in "${want[@]}"; do
    case "$service" in
      pg) echo "== PostgreSQL (throw-away)"; services_start_pg ;;
      redis) echo "== Redis (throw-away)"; services_start_redis ;;
    esac
  done
}

services_stop() {
  [ -n "${SERVICES_DIR:-}" ] || return 0   # this shell started nothing
  set +e
  [ -n "${REDIS_STARTED:-}" ] && redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1
  [ -n "${PG_STARTED:-}" ] && as_pg "$(pg_bin)/pg_ctl" -D "$SERVICES_DIR/pg" -m fast stop >/dev/null 2>&1
  REDIS_STARTED= PG_STARTED=
  rm -rf "$SERVICES_DIR"
  SERVICES_DIR=
  return 0
}
