#!/usr/bin/env bash
# A real single-node Apache Kafka broker (KRaft, combined broker + controller) for the tests,
# run on the machine's Java from Apache Kafka's own jars resolved by Maven (kafka/pom.xml).
#
#   deploy/local/kafka.sh start|stop|status
#
# Clients connect to PLAINTEXT://127.0.0.1:${NGUON_TEST_KAFKA_PORT:-59092}; the controller
# listens on 127.0.0.1:${NGUON_TEST_KAFKA_CONTROLLER_PORT:-59093}. Topics are never created
# automatically (the platform creates its own). State and logs live in var/test-kafka
# (NGUON_TEST_KAFKA_STATE_DIR moves them, e.g. for a second broker in a fault test).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

PORT="${NGUON_TEST_KAFKA_PORT:-59092}"
CONTROLLER_PORT="${NGUON_TEST_KAFKA_CONTROLLER_PORT:-59093}"
HEAP_OPTS="${NGUON_TEST_KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
READY_TIMEOUT_SECONDS="${NGUON_TEST_KAFKA_READY_TIMEOUT:-60}"
PYTHON="${PYTHON:-.venv/bin/python}"

HERE="$ROOT/deploy/local/kafka"
LIB="$HERE/lib"
STATE="${NGUON_TEST_KAFKA_STATE_DIR:-$ROOT/var/test-kafka}"
DATA="$STATE/data"
LOGS="$STATE/logs"
PROPS="$STATE/server.properties"
FORMATTED_WITH="$STATE/formatted-with.properties"
PIDFILE="$STATE/kafka.pid"
BOOTSTRAP="127.0.0.1:$PORT"

say() { printf 'kafka.sh: %s\n' "$*"; }
die() { printf 'kafka.sh: error: %s\n' "$*" >&2; exit 1; }

jvm() {
    java -Djava.awt.headless=true \
        -Dlog4j2.configurationFile="$HERE/log4j2.yaml" -Dkafka.logs.dir="$LOGS" \
        -cp "$LIB/*" "$@"
}

# Copies Kafka's jars into lib/ once per version of pom.xml (Maven caches them in ~/.m2).
ensure_jars() {
    local stamp="$LIB/.resolved-from-pom.sha256" want
    want="$(sha256sum "$HERE/pom.xml" | cut -d' ' -f1)"
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
        return 0
    fi
    command -v mvn >/dev/null || die "Maven is missing (apt-get install -y maven, or run 'make test')"
    say "resolving Kafka's jars with Maven into $LIB"
    rm -rf "$LIB"
    mkdir -p "$ROOT/var"
    mvn -q -B --no-transfer-progress -Dstyle.color=never -f "$HERE/pom.xml" \
        dependency:copy-dependencies -DoutputDirectory="$LIB" >"$ROOT/var/kafka-maven.log" 2>&1 \
        || { cat "$ROOT/var/kafka-maven.log" >&2; die "Maven could not resolve deploy/local/kafka/pom.xml"; }
    echo "$want" >"$stamp"
}

write_properties() {
    mkdir -p "$STATE" "$LOGS"
    cat >"$PROPS.new" <<PROPS
# Written by deploy/local/kafka.sh; edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA
auto.create.topics.enable=false
delete.topic.enable=true
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=4
log.retention.hours=24
PROPS
    mv "$PROPS.new" "$PROPS"
}

# Formats the log directory once; again only when the listeners changed (test data is disposable).
ensure_formatted() {
    if [[ -f "$DATA/meta.properties" && -f "$FORMATTED_WITH" ]] && cmp -s "$PROPS" "$FORMATTED_WITH"; then
        return 0
    fi
    say "formatting a new single-node KRaft log directory in $DATA"
    rm -rf "$DATA"
    local cluster_id
    cluster_id="$(jvm kafka.tools.StorageTool random-uuid)"
    jvm kafka.tools.StorageTool format --config "$PROPS" --cluster-id "$cluster_id" --standalone \
        >"$LOGS/format.log" 2>&1 || { cat "$LOGS/format.log" >&2; die "kafka-storage format failed"; }
    cp "$PROPS" "$FORMATTED_WITH"
}

pid_of_broker() {
    [[ -f "$PIDFILE" ]] || return 1
    local pid
    pid="$(cat "$PIDFILE")"
    [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "kafka.Kafka $PROPS" || return 1
    echo "$pid"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Ready means a real client can connect and read the cluster's metadata.
wait_until_ready() {
    local pid="$1"
    [[ -x "$PYTHON" ]] || die "no python at '$PYTHON' (run 'make .venv' or set PYTHON=...)"
    say "waiting for $BOOTSTRAP to answer (up to ${READY_TIMEOUT_SECONDS} s)"
    "$PYTHON" - "$BOOTSTRAP" "$pid" "$READY_TIMEOUT_SECONDS" <<'PY' || {
import logging
import os
import sys
import time

from kafka import KafkaAdminClient

logging.disable(logging.CRITICAL)
bootstrap, pid, timeout = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
started = time.monotonic()
while True:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        print("kafka.sh: the broker process exited", file=sys.stderr)
        os._exit(1)
    try:
        with KafkaAdminClient(
            bootstrap_servers=bootstrap, bootstrap_timeout_ms=1000, request_timeout_ms=5000
        ) as admin:
            admin.list_topics()
    except Exception as error:  # noqa: BLE001 - any failure means "not yet"
        elapsed = time.monotonic() - started
        if elapsed > timeout:
            print(f"kafka.sh: not ready after {elapsed:.0f} s: {error!r}", file=sys.stderr)
            os._exit(1)
        print(f"kafka.sh: ... not yet ({elapsed:.0f} s): {type(error).__name__}", flush=True)
        time.sleep(0.5)
    else:
        print(f"kafka.sh: ready after {time.monotonic() - started:.1f} s", flush=True)
        os._exit(0)
PY
        tail -n 40 "$LOGS/server.log" "$LOGS/stdout.log" >&2 2>/dev/null || true
        die "the broker did not become ready (logs in $LOGS)"
    }
}

start() {
    local pid
    if pid="$(pid_of_broker)"; then
        say "already running (pid $pid) on $BOOTSTRAP"
        wait_until_ready "$pid"
        return 0
    fi
    rm -f "$PIDFILE"
    command -v java >/dev/null || die "Java is missing (apt-get install -y openjdk-17-jre-headless, or run 'make test')"
    if port_in_use "$PORT" || port_in_use "$CONTROLLER_PORT"; then
        die "port $PORT or $CONTROLLER_PORT is already taken (set NGUON_TEST_KAFKA_PORT / NGUON_TEST_KAFKA_CONTROLLER_PORT)"
    fi
    ensure_jars
    write_properties
    ensure_formatted
    say "starting Kafka on $BOOTSTRAP (logs: $LOGS/server.log)"
    # shellcheck disable=SC2086 # HEAP_OPTS is a list of JVM flags
    setsid nohup java $HEAP_OPTS -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError \
        -Djava.awt.headless=true \
        -Dlog4j2.configurationFile="$HERE/log4j2.yaml" -Dkafka.logs.dir="$LOGS" \
        -cp "$LIB/*" kafka.Kafka "$PROPS" \
        >"$LOGS/stdout.log" 2>&1 </dev/null &
    echo $! >"$PIDFILE"
    # The background child is a forked shell until it execs java: give it a moment to become one.
    local tries=0
    until pid="$(pid_of_broker)"; do
        tries=$((tries + 1))
        if ((tries > 50)) || ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
            cat "$LOGS/stdout.log" >&2
            die "the broker did not start"
        fi
        sleep 0.1
    done
    wait_until_ready "$pid"
}

stop() {
    local pid waited=0
    if ! pid="$(pid_of_broker)"; then
        rm -f "$PIDFILE"
        say "not running"
        return 0
    fi
    say "stopping (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do
        if ((waited >= 60)); then
            say "still running after 30 s; killing it"
            kill -KILL "$pid" 2>/dev/null || true
            break
        fi
        sleep 0.5
        waited=$((waited + 1))
    done
    rm -f "$PIDFILE"
    say "stopped"
}

status() {
    local pid
    if pid="$(pid_of_broker)"; then
        say "running (pid $pid) on $BOOTSTRAP"
    else
        say "not running"
        return 3
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *)
        echo "usage: $0 start|stop|status" >&2
        exit 2
        ;;
esac
