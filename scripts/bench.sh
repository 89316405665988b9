#!/usr/bin/env bash
# Benchmark: scripts/bench.sh [small|large] [--seed N] [--runs N]
# Creates the database lcrm_bench_<scale> with both addons (no demo data),
# loads the scale once, then prints each operation through the addons next
# to the equivalent raw SQL; figures also go to .local/bench/<scale>.json.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

SCALE="${1:-small}"
shift || true
case "$SCALE" in small|large) ;; *) die "scale must be small or large, not '$SCALE'." ;; esac
DB="lcrm_bench_$SCALE"

bootstrap
CONF="$LOCAL/odoo-bench.conf"
write_odoo_conf "$CONF" "${LCRM_BENCH_HTTP_PORT:-8269}"
mkdir -p "$LOCAL/bench"
if $LCRM db-exists "$DB"; then
    say "database $DB: upgrading $LCRM_ADDONS (the loaded data stays)"
    MODULE_ARGS=(-u "$LCRM_ADDONS")
else
    say "database $DB: installing $LCRM_ADDONS"
    MODULE_ARGS=(-i "$LCRM_ADDONS")
fi
"$PYTHON" -m odoo -c "$CONF" -d "$DB" "${MODULE_ARGS[@]}" --stop-after-init \
    --no-http --logfile "$LOCAL/logs/bench-install.log" \
    || die "installing the addons failed: see $LOCAL/logs/bench-install.log"
say "benchmark at scale $SCALE (database $DB)"
"$PYTHON" "$ROOT/scripts/bench.py" "$CONF" "$DB" "$SCALE" \
    --output "$LOCAL/bench/$SCALE.json" "$@"
