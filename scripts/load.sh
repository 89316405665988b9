#!/usr/bin/env bash
# Load: scripts/load.sh [SECONDS] [USERS] [--workers N] [--replica] [--saturate]
#   (defaults: 60 s, 20 users, 2 workers)
# Serves the small benchmark database with Odoo's multi-worker server on
# loopback and drives the portal pages and the ingest method with locust,
# headless, for a bounded time. Prints throughput, p50/p95/p99 and errors;
# fails on any error or a p95 above 500 ms.
# --replica also starts a streaming replica of the cluster (a fresh base
# backup, its own port and socket under .local/) and gives it to Odoo as
# --db_replica_host/--db_replica_port; the run then proves, from each
# server's pg_stat_database, that the read-only portal pages were answered
# by the replica while the tracking feed wrote on the primary, every event
# sent stored once.
# --saturate drops the think time and ramps the users (1, 2, 4, 8...), SECONDS
# per step, until p95 passes 500 ms or a request fails: it prints the
# throughput curve (requests/s, p50 and p95 per step) instead of a verdict.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

POSITIONAL=()
WORKERS=2
REPLICA=0
SATURATE=0
while [ $# -gt 0 ]; do
    case "$1" in
        --workers) WORKERS="${2:?--workers needs a number}"; shift 2 ;;
        --replica) REPLICA=1; shift ;;
        --saturate) SATURATE=1; shift ;;
        -*) die "unknown option $1" ;;
        *) POSITIONAL+=("$1"); shift ;;
    esac
done
SECONDS_TO_RUN="${POSITIONAL[0]:-60}"
USERS="${POSITIONAL[1]:-20}"
PORT="${LCRM_LOAD_HTTP_PORT:-8369}"
DB="${LCRM_LOAD_DB:-lcrm_bench_small}"
OUT="$LOCAL/load"
VENV="$LOCAL/load-venv"
mkdir -p "$OUT"

bootstrap
$LCRM port-free "$PORT" --variable LCRM_LOAD_HTTP_PORT
CONF="$LOCAL/odoo-load.conf"
write_odoo_conf "$CONF" "$PORT"
ensure_bench_db "$CONF" "$DB" load-install.log load-small
ensure_venv "$VENV" "$ROOT/requirements-load.txt"
run_module "$PYTHON" lcrm_load.prepare "$CONF" "$DB" "$OUT/fixture.json"

# The prefork server re-runs its own command for the websocket worker: it needs
# Odoo's console script, not "python3 -m odoo".
ODOO_BIN="$("$PYTHON" -c 'import os, sys; print(os.path.join(os.path.dirname(sys.executable), "odoo"))')"
[ -x "$ODOO_BIN" ] || die "Odoo's console script $ODOO_BIN is missing (pip install -e of Odoo puts it there)."
REPLICA_OPTIONS=()
if [ "$REPLICA" = 1 ]; then
    start_replica
    REPLICA_OPTIONS=(--db_replica_host "$REPLICA_HOST" --db_replica_port "$REPLICA_PORT")
fi
rm -f "$LOCAL/logs/load-odoo.log"
say "Odoo with --workers=$WORKERS on 127.0.0.1:$PORT${REPLICA_OPTIONS[*]:+ and the replica} (log $LOCAL/logs/load-odoo.log)"
"$ODOO_BIN" -c "$CONF" -d "$DB" --db-filter="^$DB\$" --workers="$WORKERS" --max-cron-threads=0 \
    --limit-time-real=120 --logfile "$LOCAL/logs/load-odoo.log" "${REPLICA_OPTIONS[@]}" &
ODOO_PID=$!
cleanup() {
    kill "$ODOO_PID" 2>/dev/null; wait "$ODOO_PID" 2>/dev/null || true
    if [ "$REPLICA" = 1 ]; then stop_replica; fi
}
trap cleanup EXIT
for _ in $(seq 1 120); do
    curl -sf -o /dev/null "http://127.0.0.1:$PORT/web/login" && break
    sleep 0.5
done
curl -sf -o /dev/null "http://127.0.0.1:$PORT/web/login" || die "Odoo did not answer on port $PORT"

RUN_ID="$(date +%s)"
run_locust() {  # $1: seconds, $2: CSV prefix, $3: users (default USERS)
    local users="${3:-$USERS}"
    rm -f "$2.feed"
    LCRM_LOAD_FIXTURE="$OUT/fixture.json" LCRM_LOAD_NO_THINK="$SATURATE" \
        LCRM_LOAD_RUN="$RUN_ID-$(basename "$2")" LCRM_LOAD_FEED_LOG="$2.feed" "$VENV/bin/locust" \
        -f "$ROOT/scripts/lcrm_load/locustfile.py" --headless --users "$users" \
        --spawn-rate "$users" --run-time "${1}s" --host "http://127.0.0.1:$PORT" \
        --csv "$2" --only-summary --loglevel WARNING >"$2.log" 2>&1 || true
}
# Each worker loads the registry and compiles the pages on its first
# requests: a short unmeasured run first, as a server in service would be.
say "locust: warm-up, then $USERS users for ${SECONDS_TO_RUN}s"
run_locust 5 "$OUT/warmup"
if [ "$SATURATE" = 1 ]; then
    say "saturation: no think time, ${SECONDS_TO_RUN}s per step, --workers=$WORKERS${REPLICA_OPTIONS[*]:+ with the replica}"
    STEP_USERS=1
    while [ "$STEP_USERS" -le 256 ]; do
        # What the machine spends the step on, sampled every second beside it.
        run_module "$PYTHON" lcrm_load.sampler "$SECONDS_TO_RUN" --psql "$PG_BIN/psql" \
            --database "$DB" --user "$LCRM_DB_USER" --server "$LCRM_DB_HOST:$LCRM_DB_PORT" \
            ${REPLICA_OPTIONS[*]:+--server "$REPLICA_HOST:$REPLICA_PORT"} >"$OUT/step-$STEP_USERS.cpu" &
        SAMPLER_PID=$!
        run_locust "$SECONDS_TO_RUN" "$OUT/step-$STEP_USERS" "$STEP_USERS"
        wait "$SAMPLER_PID" || true
        SATURATED=0
        run_module "$VENV/bin/python" lcrm_load.curve "$OUT/step-${STEP_USERS}_stats.csv" \
            "$STEP_USERS" --p95-max 500 || SATURATED=1
        cat "$OUT/step-$STEP_USERS.cpu"
        if [ "$SATURATED" = 1 ]; then say "saturated at $STEP_USERS users"; exit 0; fi
        STEP_USERS=$((STEP_USERS * 2))
    done
    exit 0
fi
# What each server did during the measured run: transactions, rows read and
# written (pg_stat_database).
db_counters() {  # $1: host, $2: port
    pg_sql "$1" "$2" "$DB" "SELECT xact_commit + xact_rollback, tup_returned + tup_fetched,
        tup_inserted FROM pg_stat_database WHERE datname = current_database()"
}
if [ "$REPLICA" = 1 ]; then
    # pg_stat_database is refreshed at the end of each statement's transaction:
    # snapshots are read in a new session each time.
    PRIMARY_BEFORE="$(db_counters "$LCRM_DB_HOST" "$LCRM_DB_PORT")"
    REPLICA_BEFORE="$(db_counters "$REPLICA_HOST" "$REPLICA_PORT")"
fi
run_locust "$SECONDS_TO_RUN" "$OUT/result"
# Concurrent feeds may collide and be retried by Odoo (logged, and fine);
# a request that ran out of retries is a failure.
RETRIES=$(grep -c "tries left" "$LOCAL/logs/load-odoo.log" || true)
GIVE_UPS=$(grep -c "maximum number of tries" "$LOCAL/logs/load-odoo.log" || true)
echo "serialization retries: $RETRIES, give-ups: $GIVE_UPS"
[ "$GIVE_UPS" = 0 ] || die "$GIVE_UPS request(s) gave up after Odoo's retries"
run_module "$VENV/bin/python" lcrm_load.verdict "$OUT/result_stats.csv" --p95-max 500
if [ "$REPLICA" = 1 ]; then
    # A server process flushes its statistics at the end of a busy second,
    # an idle one (Odoo's pooled connections, after the run) within 10 s.
    sleep 11
    # The run's events as stored: its external ids carry the run's name.
    pg_sql "$LCRM_DB_HOST" "$LCRM_DB_PORT" "$DB" "SELECT external_id
        FROM logistics_shipment_event WHERE external_id LIKE 'load-$RUN_ID-result-%'" \
        >"$OUT/result.stored"
    run_module "$VENV/bin/python" lcrm_load.replica "$OUT/result_stats.csv" \
        --primary "$PRIMARY_BEFORE" "$(db_counters "$LCRM_DB_HOST" "$LCRM_DB_PORT")" \
        --replica "$REPLICA_BEFORE" "$(db_counters "$REPLICA_HOST" "$REPLICA_PORT")" \
        --feed-log "$OUT/result.feed" --stored "$OUT/result.stored"
fi
