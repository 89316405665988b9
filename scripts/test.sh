#!/usr/bin/env bash
# Command 2: every test on a throwaway database, then lint; ends on
# "N passed, N failed[, N skipped]" and exits non-zero on any failure.
# Read from the bottom: the run is the list of stages there.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

HTTP_PORT="${LCRM_TEST_HTTP_PORT:-8169}"
DB="lcrm_test_$$"
LOGS="$LOCAL/logs"
ODOO_LOG="$LOGS/odoo-test.log"
ODOO_REPORT="$LOGS/odoo-test.json"
UPGRADE_LOG="$LOGS/odoo-upgrade.log"
UPGRADE_REPORT="$LOGS/odoo-upgrade.json"
JUNIT="$LOGS/pytest.xml"
CONF="$LOCAL/odoo-test.conf"
TEST_TAGS="/logistics_crm,/logistics_crm_portal"
rm -f "$ODOO_LOG" "$ODOO_REPORT" "$JUNIT" "$UPGRADE_LOG" "$UPGRADE_REPORT"

# A failed check must not stop the run: its exit status goes to the named
# variable, which the summary reads.
record() {  # $1: variable, $2...: command
    local variable="$1" rc
    shift
    set +e
    "$@"
    rc=$?
    set -e
    printf -v "$variable" %s "$rc"
}

odoo_test_run() {  # $1: totals report, $2: log, $3...: module arguments
    local report="$1" log="$2"
    shift 2
    "$PYTHON" "$ROOT/scripts/odoo_tests.py" "$report" -c "$CONF" -d "$DB" "$@" \
        --test-enable --test-tags "$TEST_TAGS" --stop-after-init --log-level=test 2>&1 | tee "$log"
    return "${PIPESTATUS[0]}"
}

preflight() {
    check_odoo
    $LCRM port-free "$HTTP_PORT" --variable LCRM_TEST_HTTP_PORT
    ensure_debian_command chromium "the browser tests" chromium chromium-browser google-chrome || exit 1
    ensure_pdf_tools || exit 1
    bootstrap
    write_odoo_conf "$CONF" "$HTTP_PORT"
    trap '$LCRM drop-db "$DB" >/dev/null 2>&1 || true' EXIT
}

stage_odoo_tests() {
    say "Odoo test runner on $LCRM_ADDONS (database $DB, log $ODOO_LOG)"
    record ODOO_RC odoo_test_run "$ODOO_REPORT" "$ODOO_LOG" -i "$LCRM_ADDONS" --with-demo
}

# An upgrade must keep every record and pass the tests again: -u both addons
# on the database just tested (demo data and all), then their tests rerun.
stage_upgrade() {
    say "upgrade: -u $LCRM_ADDONS on $DB, then the addons' tests again"
    $LCRM row-counts "$DB" "$LOGS/rows-before-upgrade.json"
    record UPGRADE_RC odoo_test_run "$UPGRADE_REPORT" "$UPGRADE_LOG" -u "$LCRM_ADDONS"
    record ROWS_RC $LCRM same-rows "$DB" "$LOGS/rows-before-upgrade.json"
}

# Any ERROR or CRITICAL line fails the run, even one no test asserted on.
stage_odoo_log() {
    LOG_ERRORS=$(cat "$ODOO_LOG" "$UPGRADE_LOG" | grep -cE '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' || true)
}

stage_pytest() {
    say "pytest-odoo on tests/"
    record PYTEST_RC "$PYTHON" -m pytest "$ROOT/tests" --odoo-config="$CONF" --odoo-database="$DB" \
        -p no:cacheprovider -q --junitxml="$JUNIT"
    if [ "$PYTEST_RC" = 5 ]; then PYTEST_RC=0; fi  # no test collected is not a failure by itself
}

# A smoke run, never judged on time: it must complete and compute its ratios.
stage_bench_smoke() {
    say "benchmark smoke run (small scale)"
    record BENCH_RC "$ROOT/scripts/bench.sh" small
}

# The load run on the same small database: 20 seconds, judged on errors
# and p95 like the full run.
stage_load() {
    say "load run (20 s, 20 users, --workers=2)"
    record LOAD_RC "$ROOT/scripts/load.sh" 20 20
}

stage_lint() {
    say "lint: ruff and pylint-odoo (OCA's mandatory checks for 19.0)"
    local venv="$LOCAL/lint-venv"
    local paths=(logistics_crm logistics_crm_portal tests scripts)
    ensure_venv "$venv" "$ROOT/requirements-lint.txt"
    cd "$ROOT"
    record RUFF_RC "$venv/bin/ruff" check --no-fix "${paths[@]}"
    record FORMAT_RC "$venv/bin/ruff" format --check "${paths[@]}"
    record PYLINT_RC "$venv/bin/pylint" --rcfile=.pylintrc-mandatory logistics_crm logistics_crm_portal
}

stage_readme() {
    record README_RC "$PYTHON" "$ROOT/scripts/gen_readme.py" --check
}

summary() {
    [ "$LOG_ERRORS" = 0 ] || echo "error: $LOG_ERRORS ERROR/CRITICAL line(s) in $ODOO_LOG or $UPGRADE_LOG"
    [ "$ODOO_RC" = 0 ] || echo "error: Odoo's test run exited with $ODOO_RC"
    [ "$UPGRADE_RC" = 0 ] || echo "error: the upgrade run exited with $UPGRADE_RC"
    $LCRM summary --odoo "$ODOO_REPORT" --odoo "$UPGRADE_REPORT" --junit "$JUNIT" \
        --check "odoo-log=$LOG_ERRORS" --check "upgrade-keeps-rows=$ROWS_RC" \
        --check "benchmark-smoke=$BENCH_RC" --check "load=$LOAD_RC" --check "ruff=$RUFF_RC" \
        --check "ruff-format=$FORMAT_RC" --check "pylint-odoo=$PYLINT_RC" \
        --check "readme=$README_RC" | tee "$LOGS/summary.txt"
    grep -q ' 0 failed' "$LOGS/summary.txt" && [ "$ODOO_RC" = 0 ] && [ "$UPGRADE_RC" = 0 ] \
        && [ "$PYTEST_RC" = 0 ]
}

preflight
stage_odoo_tests
stage_upgrade
stage_odoo_log
stage_pytest
stage_bench_smoke
stage_load
stage_lint
stage_readme
summary
