# shellcheck shell=bash
# Bootstrap and helpers shared by every command in scripts/: sourced, not run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.local"
PYTHON="${PYTHON:-python3}"
LCRM_ADDONS="logistics_crm,logistics_crm_portal"
LCRM="$PYTHON $ROOT/scripts/lcrm.py"
mkdir -p "$LOCAL/logs"

say() { echo "==> $*"; }
die() { echo "error: $*" >&2; exit 1; }
is_root() { [ "$(id -u)" = 0 ]; }

check_odoo() {
    command -v "$PYTHON" >/dev/null || die "$PYTHON not found: install Python 3.10+ and Odoo 19.0."
    $LCRM check-odoo
    ODOO_ADDONS_DIR="$($LCRM addons-path)"
}

# Root installs missing Debian packages itself, unless LCRM_NO_APT=1.
can_apt() { is_root && command -v apt-get >/dev/null && [ "${LCRM_NO_APT:-}" != 1 ]; }
# apt-get update only when the first try fails: an old index may not know it.
apt_install() {  # $1: Debian package
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$1" >/dev/null 2>&1 \
        || { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$1" >/dev/null; } \
        || die "could not install Debian's $1 package."
}

# One of COMMANDS on the PATH, else Debian's PACKAGE installed when root; when
# it cannot be, one line saying how and status 1, so the caller decides
# whether going on without it makes sense.
ensure_debian_command() {  # $1: package, $2: what needs it, $3...: commands, any one will do
    local package="$1" purpose="$2" command
    shift 2
    for command in "$@"; do
        command -v "$command" >/dev/null && return 0
    done
    if can_apt; then
        say "installing Debian's $package ($1, for $purpose)"
        apt_install "$package"
    else
        echo "error: $1 is missing for $purpose: install it (Debian: sudo apt-get install $package)." >&2
        return 1
    fi
}

# A tool's own virtualenv from its requirements file, rebuilt when that file
# changed since; extra arguments go to "python3 -m venv".
ensure_venv() {  # $1: folder, $2: requirements file, $3...: venv options
    local venv="$1" requirements="$2" copy
    shift 2
    copy="$venv/$(basename "$requirements")"
    [ -x "$venv/bin/python" ] && cmp -s "$requirements" "$copy" && return 0
    say "virtualenv $venv ($(basename "$requirements"))"
    "$PYTHON" -m venv "$@" "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements" \
        || die "pip could not install $requirements into $venv (see the lines above)."
    cp "$requirements" "$copy"
}

# The tools' Python packages (lcrm_bench, lcrm_load, lcrm_fuzz) live in
# scripts/: run one as a module with that folder on the path.
run_module() {  # $1: interpreter, $2: module, $3...: its arguments
    local python="$1"
    shift
    PYTHONPATH="$ROOT/scripts${PYTHONPATH:+:$PYTHONPATH}" "$python" -m "$@"
}

install_requirements() {
    say "Python requirements (requirements.txt)"
    "$PYTHON" -m pip install --quiet --disable-pip-version-check -r "$ROOT/requirements.txt" \
        || "$PYTHON" -m pip install --quiet --disable-pip-version-check --user -r "$ROOT/requirements.txt" \
        || die "pip could not install requirements.txt (see the lines above)."
}

# --- PostgreSQL ---------------------------------------------------------------
# LCRM_DB_HOST set: use that server. Otherwise an embedded cluster in .local/pg,
# reached by a Unix socket only, so no TCP port can clash with another server.
pg_bin_dir() {
    if [ -n "${LCRM_PG_BIN:-}" ]; then echo "$LCRM_PG_BIN"; return; fi
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [ -z "$dir" ] && command -v pg_ctl >/dev/null; then dir="$(dirname "$(command -v pg_ctl)")"; fi
    echo "$dir"
}

ensure_pg_binaries() {
    PG_BIN="$(pg_bin_dir)"
    if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
        if can_apt; then
            say "installing Debian's postgresql package (server binaries)"
            apt_install postgresql
            PG_BIN="$(pg_bin_dir)"
        fi
        [ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ] || die "PostgreSQL server binaries (initdb, pg_ctl) not found: install Debian's package 'postgresql' (apt-get install postgresql), set LCRM_PG_BIN to their folder, or set LCRM_DB_HOST to use an existing server."
    fi
}

# PostgreSQL refuses to run as root: then the cluster belongs to an unprivileged user.
pg_run_as() {
    if is_root; then
        runuser -u "$PG_OS_USER" -- "$@"
    else
        "$@"
    fi
}

choose_pg_dir() {
    PG_DIR="$LOCAL/pg"
    PG_OS_USER="$(id -un)"
    if is_root; then
        PG_OS_USER="${LCRM_PG_OS_USER:-postgres}"
        id "$PG_OS_USER" >/dev/null 2>&1 || PG_OS_USER=nobody
        mkdir -p "$PG_DIR"
        chown "$PG_OS_USER" "$PG_DIR"
        if ! runuser -u "$PG_OS_USER" -- test -w "$PG_DIR"; then
            # A parent folder (e.g. /root) is closed to that user: keep the cluster
            # in a private folder of /var/tmp named after this checkout instead.
            PG_DIR="/var/tmp/logistics-crm-pg-$(echo "$ROOT" | cksum | cut -d' ' -f1)"
            mkdir -p "$PG_DIR"
            chown "$PG_OS_USER" "$PG_DIR"
            chmod 700 "$PG_DIR"
            say "$LOCAL is not reachable by user $PG_OS_USER: cluster kept in $PG_DIR"
        fi
    fi
    mkdir -p "$PG_DIR"
}

start_postgres() {
    LCRM_DB_USER="${LCRM_DB_USER:-odoo}"
    LCRM_DB_PASSWORD="${LCRM_DB_PASSWORD:-}"
    if [ -n "${LCRM_DB_HOST:-}" ]; then
        LCRM_DB_PORT="${LCRM_DB_PORT:-5432}"
        say "PostgreSQL: using $LCRM_DB_HOST:$LCRM_DB_PORT as $LCRM_DB_USER"
        export LCRM_DB_HOST LCRM_DB_PORT LCRM_DB_USER LCRM_DB_PASSWORD
        return
    fi
    ensure_pg_binaries
    choose_pg_dir
    LCRM_DB_PORT="${LCRM_DB_PORT:-54320}"
    LCRM_DB_HOST="$PG_DIR/run"
    local data="$PG_DIR/data"
    if [ ! -s "$data/PG_VERSION" ]; then
        say "PostgreSQL: creating the cluster in $data"
        pg_run_as mkdir -p "$data" "$PG_DIR/run"
        pg_run_as "$PG_BIN/initdb" -D "$data" -U "$LCRM_DB_USER" --auth=trust -E UTF8 \
            --locale=C.UTF-8 >"$LOCAL/logs/initdb.log" 2>&1 \
            || die "initdb failed: see $LOCAL/logs/initdb.log"
    fi
    pg_run_as mkdir -p "$PG_DIR/run"
    if pg_run_as "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        say "PostgreSQL: cluster already running ($data)"
    else
        say "PostgreSQL: starting the cluster ($data)"
        pg_run_as "$PG_BIN/pg_ctl" -D "$data" -l "$PG_DIR/postgresql.log" -w -t 60 \
            -o "-p $LCRM_DB_PORT -k $PG_DIR/run -c listen_addresses='' -c synchronous_commit=off" \
            start >/dev/null || die "PostgreSQL did not start: see $PG_DIR/postgresql.log"
    fi
    export LCRM_DB_HOST LCRM_DB_PORT LCRM_DB_USER LCRM_DB_PASSWORD
}

stop_postgres() {
    [ -z "${LCRM_DB_HOST:-}" ] || { say "LCRM_DB_HOST is set: that server is not ours to stop."; return; }
    PG_BIN="$(pg_bin_dir)"
    [ -n "$PG_BIN" ] || die "PostgreSQL server binaries not found: nothing to stop."
    choose_pg_dir
    if [ -s "$PG_DIR/data/PG_VERSION" ] && pg_run_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1; then
        pg_run_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null
        say "PostgreSQL stopped ($PG_DIR/data)"
    else
        say "PostgreSQL is not running ($PG_DIR/data)"
    fi
}

# A streaming replica of our cluster, on loopback: a fresh base backup of the
# primary (pg_basebackup -R writes its standby settings), its own port and
# socket folder beside the primary's. Sets REPLICA_HOST and REPLICA_PORT.
start_replica() {
    [ -n "${PG_DIR:-}" ] || die "a replica needs this project's own cluster (LCRM_DB_HOST is set)."
    REPLICA_DIR="$PG_DIR/replica"
    REPLICA_PORT="${LCRM_REPLICA_PORT:-54321}"
    REPLICA_HOST="$REPLICA_DIR/run"
    stop_replica
    pg_run_as rm -rf "$REPLICA_DIR/data"
    pg_run_as mkdir -p "$REPLICA_DIR/data" "$REPLICA_HOST"
    pg_run_as chmod 700 "$REPLICA_DIR/data"
    say "PostgreSQL replica: base backup of the primary into $REPLICA_DIR/data"
    pg_run_as "$PG_BIN/pg_basebackup" -h "$LCRM_DB_HOST" -p "$LCRM_DB_PORT" -U "$LCRM_DB_USER" \
        -D "$REPLICA_DIR/data" -R -X stream -c fast >"$LOCAL/logs/basebackup.log" 2>&1 \
        || die "pg_basebackup failed: see $LOCAL/logs/basebackup.log"
    pg_run_as "$PG_BIN/pg_ctl" -D "$REPLICA_DIR/data" -l "$REPLICA_DIR/postgresql.log" -w -t 120 \
        -o "-p $REPLICA_PORT -k $REPLICA_HOST -c listen_addresses='' -c hot_standby=on" \
        start >/dev/null || die "the replica did not start: see $REPLICA_DIR/postgresql.log"
    [ "$(pg_sql "$REPLICA_HOST" "$REPLICA_PORT" postgres "SELECT pg_is_in_recovery()")" = t ] \
        || die "the replica is not in recovery: it is no standby"
    say "PostgreSQL replica: streaming on port $REPLICA_PORT (socket $REPLICA_HOST)"
}

stop_replica() {
    local data="${REPLICA_DIR:-$PG_DIR/replica}/data"
    if [ -s "$data/PG_VERSION" ] && pg_run_as "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        pg_run_as "$PG_BIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null
    fi
}

pg_sql() {  # $1: host (socket folder), $2: port, $3: database, $4: query
    "$PG_BIN/psql" -h "$1" -p "$2" -U "$LCRM_DB_USER" -d "$3" -AtXq -c "$4"
}

# --- Odoo ---------------------------------------------------------------------
write_odoo_conf() {  # $1: config file, $2: HTTP port
    cat >"$1" <<CONF
[options]
addons_path = $ROOT,$ODOO_ADDONS_DIR
data_dir = $LOCAL/filestore
db_host = $LCRM_DB_HOST
db_port = $LCRM_DB_PORT
db_user = $LCRM_DB_USER
http_interface = 127.0.0.1
http_port = $2
CONF
    if [ -n "${LCRM_DB_PASSWORD:-}" ]; then echo "db_password = $LCRM_DB_PASSWORD" >>"$1"; fi
}

# The benchmark's database (both addons, no demo data), shared by the
# benchmark, load and fuzz runs. A missing one is installed; "upgrade" also
# brings an existing one to the addons' current code (the loaded data stays);
# "load-small" loads the small scale into a new one, where the benchmark
# loads its own scale itself (with its --seed).
ensure_bench_db() {  # $1: config, $2: database, $3: log name, $4: upgrade|load-small
    local conf="$1" db="$2" log="$LOCAL/logs/$3" mode="$4" modules
    if $LCRM db-exists "$db"; then
        [ "$mode" = upgrade ] || return 0
        say "database $db: upgrading $LCRM_ADDONS (the loaded data stays)"
        modules=(-u "$LCRM_ADDONS")
    else
        say "database $db: installing $LCRM_ADDONS"
        modules=(-i "$LCRM_ADDONS")
    fi
    "$PYTHON" -m odoo -c "$conf" -d "$db" "${modules[@]}" --stop-after-init --no-http \
        --logfile "$log" || die "installing the addons failed: see $log"
    if [ "$mode" = load-small ]; then
        say "database $db: loading the small scale"
        run_module "$PYTHON" lcrm_bench "$conf" "$db" small --load-only
    fi
}

# What PDF reports need (wkhtmltopdf) and what the tests read them with
# (pdftotext): installed by both README commands.
ensure_pdf_tools() {
    local rc=0
    ensure_debian_command wkhtmltopdf "PDF reports" wkhtmltopdf || rc=1
    ensure_debian_command poppler-utils "reading PDF reports in the tests" pdftotext || rc=1
    return "$rc"
}

bootstrap() {
    check_odoo
    install_requirements
    start_postgres
}
