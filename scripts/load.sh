#!/usr/bin/env bash
# Load: scripts/load.sh [SECONDS] [USERS]   (defaults: 60 s, 20 users)
# Serves the small benchmark database with Odoo's multi-worker server
# (--workers=2) on loopback and drives the portal pages and the ingest method
# with locust, headless, for a bounded time. Prints throughput, p50/p95/p99
# and errors; fails on any error or a p95 above 500 ms.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

SECONDS_TO_RUN="${1:-60}"
USERS="${2:-20}"
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
rm -f "$LOCAL/logs/load-odoo.log"
say "Odoo with --workers=2 on 127.0.0.1:$PORT (log $LOCAL/logs/load-odoo.log)"
"$ODOO_BIN" -c "$CONF" -d "$DB" --db-filter="^$DB\$" --workers=2 --max-cron-threads=0 \
    --limit-time-real=120 --logfile "$LOCAL/logs/load-odoo.log" &
ODOO_PID=$!
trap 'kill "$ODOO_PID" 2>/dev/null; wait "$ODOO_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
    curl -sf -o /dev/null "http://127.0.0.1:$PORT/web/login" && break
    sleep 0.5
done
curl -sf -o /dev/null "http://127.0.0.1:$PORT/web/login" || die "Odoo did not answer on port $PORT"

run_locust() {  # $1: seconds, $2: CSV prefix
    LCRM_LOAD_FIXTURE="$OUT/fixture.json" "$VENV/bin/locust" \
        -f "$ROOT/scripts/lcrm_load/locustfile.py" --headless --users "$USERS" \
        --spawn-rate "$USERS" --run-time "${1}s" --host "http://127.0.0.1:$PORT" \
        --csv "$2" --only-summary --loglevel WARNING >"$2.log" 2>&1 || true
}
# Each worker loads the registry and compiles the pages on its first
# requests: a short unmeasured run first, as a server in service would be.
say "locust: warm-up, then $USERS users for ${SECONDS_TO_RUN}s"
run_locust 5 "$OUT/warmup"
run_locust "$SECONDS_TO_RUN" "$OUT/result"
# Concurrent feeds may collide and be retried by Odoo (logged, and fine);
# a request that ran out of retries is a failure.
RETRIES=$(grep -c "tries left" "$LOCAL/logs/load-odoo.log" || true)
GIVE_UPS=$(grep -c "maximum number of tries" "$LOCAL/logs/load-odoo.log" || true)
echo "serialization retries: $RETRIES, give-ups: $GIVE_UPS"
[ "$GIVE_UPS" = 0 ] || die "$GIVE_UPS request(s) gave up after Odoo's retries"
run_module "$VENV/bin/python" lcrm_load.verdict "$OUT/result_stats.csv" --p95-max 500
