#!/usr/bin/env bash
# Command 2: every test on a throwaway database, then lint; ends on
# "N passed, N failed[, N skipped]" and exits non-zero on any failure.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

HTTP_PORT="${LCRM_TEST_HTTP_PORT:-8169}"
DB="lcrm_test_$$"
LOGS="$LOCAL/logs"
ODOO_LOG="$LOGS/odoo-test.log"
ODOO_REPORT="$LOGS/odoo-test.json"
UPGRADE_LOG="$LOGS/odoo-upgrade.log"
UPGRADE_REPORT="$LOGS/odoo-upgrade.json"
JUNIT="$LOGS/pytest.xml"
rm -f "$ODOO_LOG" "$ODOO_REPORT" "$JUNIT" "$UPGRADE_LOG" "$UPGRADE_REPORT"

ensure_chromium() {
    local browser
    for browser in chromium chromium-browser google-chrome; do
        command -v "$browser" >/dev/null && return
    done
    if is_root && command -v apt-get >/dev/null; then
        say "installing Debian's chromium for the browser tests"
        { DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1 \
            || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; }; } \
            || die "could not install Debian's chromium."
    else
        die "Chromium is missing for the browser tests: install it (Debian: sudo apt-get install chromium)."
    fi
}

check_odoo
$LCRM port-free "$HTTP_PORT" --variable LCRM_TEST_HTTP_PORT
ensure_chromium
bootstrap
CONF="$LOCAL/odoo-test.conf"
write_odoo_conf "$CONF" "$HTTP_PORT"
cleanup() { $LCRM drop-db "$DB" >/dev/null 2>&1 || true; }
trap cleanup EXIT

say "Odoo test runner on $LCRM_ADDONS (database $DB, log $ODOO_LOG)"
set +e
"$PYTHON" "$ROOT/scripts/odoo_tests.py" "$ODOO_REPORT" -c "$CONF" -d "$DB" \
    -i "$LCRM_ADDONS" --with-demo --test-enable --test-tags "/logistics_crm,/logistics_crm_portal" \
    --stop-after-init --log-level=test 2>&1 | tee "$ODOO_LOG"
ODOO_RC=${PIPESTATUS[0]}
set -e

# An upgrade must keep every record and pass the tests again: -u both addons
# on the database just tested (demo data and all), then their tests rerun.
say "upgrade: -u $LCRM_ADDONS on $DB, then the addons' tests again"
$LCRM row-counts "$DB" "$LOGS/rows-before-upgrade.json"
set +e
"$PYTHON" "$ROOT/scripts/odoo_tests.py" "$UPGRADE_REPORT" -c "$CONF" -d "$DB" \
    -u "$LCRM_ADDONS" --test-enable --test-tags "/logistics_crm,/logistics_crm_portal" \
    --stop-after-init --log-level=test 2>&1 | tee "$UPGRADE_LOG"
UPGRADE_RC=${PIPESTATUS[0]}
$LCRM same-rows "$DB" "$LOGS/rows-before-upgrade.json"
ROWS_RC=$?
set -e
# Any ERROR or CRITICAL line fails the run, even one no test asserted on.
LOG_ERRORS=$(cat "$ODOO_LOG" "$UPGRADE_LOG" | grep -cE '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' || true)

say "pytest-odoo on tests/"
set +e
"$PYTHON" -m pytest "$ROOT/tests" --odoo-config="$CONF" --odoo-database="$DB" \
    -p no:cacheprovider -q --junitxml="$JUNIT"
PYTEST_RC=$?
set -e
[ "$PYTEST_RC" = 5 ] && PYTEST_RC=0  # no test collected is not a failure by itself

# A smoke run, never judged on time: it must complete and compute its ratios.
say "benchmark smoke run (small scale)"
set +e
"$ROOT/scripts/bench.sh" small
BENCH_RC=$?
set -e

# The load run on the same small database: 20 seconds, judged on errors
# and p95 like the full run.
say "load run (20 s, 20 users, --workers=2)"
set +e
"$ROOT/scripts/load.sh" 20 20
LOAD_RC=$?
set -e

say "lint: ruff and pylint-odoo (OCA's mandatory checks for 19.0)"
LINT_VENV="$LOCAL/lint-venv"
if [ ! -x "$LINT_VENV/bin/pylint" ] || ! cmp -s "$ROOT/requirements-lint.txt" "$LINT_VENV/requirements-lint.txt"; then
    "$PYTHON" -m venv "$LINT_VENV"
    "$LINT_VENV/bin/pip" install --quiet --disable-pip-version-check -r "$ROOT/requirements-lint.txt"
    cp "$ROOT/requirements-lint.txt" "$LINT_VENV/requirements-lint.txt"
fi
cd "$ROOT"
LINT_PATHS=(logistics_crm logistics_crm_portal tests scripts)
set +e
"$LINT_VENV/bin/ruff" check --no-fix "${LINT_PATHS[@]}"; RUFF_RC=$?
"$LINT_VENV/bin/ruff" format --check "${LINT_PATHS[@]}"; FORMAT_RC=$?
"$LINT_VENV/bin/pylint" --rcfile=.pylintrc-mandatory logistics_crm logistics_crm_portal; PYLINT_RC=$?
"$PYTHON" scripts/gen_readme.py --check; README_RC=$?
set -e

[ "$LOG_ERRORS" = 0 ] || echo "error: $LOG_ERRORS ERROR/CRITICAL line(s) in $ODOO_LOG or $UPGRADE_LOG"
[ "$ODOO_RC" = 0 ] || echo "error: Odoo's test run exited with $ODOO_RC"
[ "$UPGRADE_RC" = 0 ] || echo "error: the upgrade run exited with $UPGRADE_RC"
$LCRM summary --odoo "$ODOO_REPORT" --odoo "$UPGRADE_REPORT" --junit "$JUNIT" \
    --check "odoo-log=$LOG_ERRORS" --check "upgrade-keeps-rows=$ROWS_RC" --check "benchmark-smoke=$BENCH_RC" --check "load=$LOAD_RC" --check "ruff=$RUFF_RC" \
    --check "ruff-format=$FORMAT_RC" --check "pylint-odoo=$PYLINT_RC" --check "readme=$README_RC" | tee "$LOGS/summary.txt"
grep -q ' 0 failed' "$LOGS/summary.txt" && [ "$ODOO_RC" = 0 ] && [ "$UPGRADE_RC" = 0 ] \
    && [ "$PYTEST_RC" = 0 ]
