#!/usr/bin/env bash
# Command 1: serve the demo on http://127.0.0.1:${LCRM_HTTP_PORT:-8069}.
# Creates the demo database with both addons, their demo data and Simplified
# Chinese, or upgrades them when it exists. Ctrl-C stops Odoo;
# scripts/stop-db.sh stops PostgreSQL. The server's log goes to the terminal
# and to .local/logs/demo.log.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

HTTP_PORT="${LCRM_HTTP_PORT:-8069}"
DB="${LCRM_DEMO_DB:-logistics_crm_demo}"
DEMO_LOG="$LOCAL/logs/demo.log"

check_odoo
$LCRM port-free "$HTTP_PORT" --variable LCRM_HTTP_PORT
# Odoo serves without them; only printing a PDF fails, so say it and go on.
ensure_pdf_tools || echo "warning: the demo runs, but PDF reports need the package(s) above." >&2
bootstrap
CONF="$LOCAL/odoo-demo.conf"
write_odoo_conf "$CONF" "$HTTP_PORT"

if $LCRM db-exists "$DB"; then
    say "database $DB exists: upgrading $LCRM_ADDONS"
    MODULE_ARGS=(-u "$LCRM_ADDONS")
else
    say "database $DB: creating it with $LCRM_ADDONS and demo data"
    MODULE_ARGS=(-i "$LCRM_ADDONS" --with-demo)
fi
# The addons ship zh_CN: load it so a user can switch to it in Preferences.
# en_US comes first: on a new database Odoo makes the first one the default.
"$PYTHON" -m odoo -c "$CONF" -d "$DB" "${MODULE_ARGS[@]}" --load-language=en_US,zh_CN \
    --stop-after-init --logfile "$LOCAL/logs/demo-install.log" \
    || die "installing the addons failed: see $LOCAL/logs/demo-install.log"

cat <<MSG

  Logistics CRM demo: http://127.0.0.1:$HTTP_PORT/odoo   (database $DB)
    back office  logistics / logistics   (Logistics CRM User)
    administrator admin / admin          (Logistics CRM Manager)
    portal       portal / portal         (customer contact, http://127.0.0.1:$HTTP_PORT/my)
  Languages: English, Simplified Chinese (back office: your avatar > My Preferences
    > Language; portal: the footer's language menu).
  Log: terminal and $DEMO_LOG.
  Ctrl-C stops Odoo; scripts/stop-db.sh stops PostgreSQL.

MSG
# tee -i outlives the Ctrl-C that Odoo receives too, so the shutdown lines
# still reach the log.
"$PYTHON" -m odoo -c "$CONF" -d "$DB" --db-filter "^${DB}\$" 2>&1 | tee -ai "$DEMO_LOG"
