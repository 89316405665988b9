#!/usr/bin/env bash
# Command 1: serve the demo on http://127.0.0.1:${LCRM_HTTP_PORT:-8069}.
# Creates the demo database with both addons and their demo data, or upgrades
# them when it exists. Ctrl-C stops Odoo; scripts/stop-db.sh stops PostgreSQL.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

HTTP_PORT="${LCRM_HTTP_PORT:-8069}"
DB="${LCRM_DEMO_DB:-logistics_crm_demo}"

check_odoo
$LCRM port-free "$HTTP_PORT" --variable LCRM_HTTP_PORT
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
"$PYTHON" -m odoo -c "$CONF" -d "$DB" "${MODULE_ARGS[@]}" --stop-after-init \
    --logfile "$LOCAL/logs/demo-install.log" \
    || die "installing the addons failed: see $LOCAL/logs/demo-install.log"

cat <<MSG

  Logistics CRM demo: http://127.0.0.1:$HTTP_PORT/odoo   (database $DB)
    back office  logistics / logistics   (Logistics CRM User)
    administrator admin / admin          (Logistics CRM Manager)
    portal       portal / portal         (customer contact, http://127.0.0.1:$HTTP_PORT/my)
  Ctrl-C stops Odoo; scripts/stop-db.sh stops PostgreSQL.

MSG
exec "$PYTHON" -m odoo -c "$CONF" -d "$DB" --db-filter "^${DB}\$"
