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
if ! $LCRM db-exists "$DB"; then
    say "database $DB: installing and loading the small scale"
    "$PYTHON" -m odoo -c "$CONF" -d "$DB" -i "$LCRM_ADDONS" --stop-after-init --no-http \
        --logfile "$LOCAL/logs/fuzz-install.log" || die "install failed: see $LOCAL/logs/fuzz-install.log"
    "$PYTHON" "$ROOT/scripts/bench.py" "$CONF" "$DB" small --load-only --output "$OUT/data.json"
fi
if [ ! -x "$VENV/bin/python" ] || ! cmp -s "$ROOT/requirements-fuzz.txt" "$VENV/requirements-fuzz.txt"; then
    say "atheris in $VENV (on top of the python3 that has Odoo)"
    "$PYTHON" -m venv --system-site-packages "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$ROOT/requirements-fuzz.txt"
    cp "$ROOT/requirements-fuzz.txt" "$VENV/requirements-fuzz.txt"
fi
say "fuzzing the portal lists for ${SECONDS_TO_RUN}s (corpus $OUT/corpus)"
cd "$OUT"
"$VENV/bin/python" "$ROOT/scripts/fuzz_portal.py" "$CONF" "$DB" \
    -max_total_time="$SECONDS_TO_RUN" -max_len=1024 -artifact_prefix="$OUT/" \
    -print_final_stats=1 "$OUT/corpus"
