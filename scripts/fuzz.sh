#!/usr/bin/env bash
# Long fuzz run: scripts/fuzz.sh [SECONDS]   (default 600)
# Coverage-guided fuzzing (atheris/libFuzzer) of the portal lists' search,
# filter, sort and page parameters on the small benchmark database. CI runs
# the Hypothesis version of the same property (test_portal_routes.py); this
# one is for a longer run. Crashes and the inputs that cause them are
# printed, and saved under .local/fuzz/.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

SECONDS_TO_RUN="${1:-600}"
DB="${LCRM_FUZZ_DB:-lcrm_bench_small}"
OUT="$LOCAL/fuzz"
VENV="$LOCAL/fuzz-venv"
mkdir -p "$OUT/corpus"

bootstrap
CONF="$LOCAL/odoo-fuzz.conf"
write_odoo_conf "$CONF" "${LCRM_FUZZ_HTTP_PORT:-8469}"
ensure_bench_db "$CONF" "$DB" fuzz-install.log load-small
# On top of the python3 that has Odoo: atheris instruments Odoo itself.
ensure_venv "$VENV" "$ROOT/requirements-fuzz.txt" --system-site-packages
say "fuzzing the portal lists for ${SECONDS_TO_RUN}s (corpus $OUT/corpus)"
cd "$OUT"
run_module "$VENV/bin/python" lcrm_fuzz "$CONF" "$DB" \
    -max_total_time="$SECONDS_TO_RUN" -max_len=1024 -artifact_prefix="$OUT/" \
    -print_final_stats=1 "$OUT/corpus"
