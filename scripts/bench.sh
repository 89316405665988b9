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
ensure_bench_db "$CONF" "$DB" bench-install.log upgrade
say "benchmark at scale $SCALE (database $DB)"
run_module "$PYTHON" lcrm_bench "$CONF" "$DB" "$SCALE" --output "$LOCAL/bench/$SCALE.json" "$@"
