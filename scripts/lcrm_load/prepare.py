"""Fixture of the load command, in the benchmark database: a portal
contact of the customer with the most shipments, an integration user with
an API key for the ingest method, and the shipments to feed.

Usage (through scripts/load.sh): python3 -m lcrm_load.prepare CONFIG DB OUTPUT.json
"""

import json
import sys
from datetime import datetime, timedelta
from pathlib import Path

from lcrm_bench import portal

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tools import config

INTEGRATION_LOGIN = "load_feed"


def integration_key(env):
    Users = env["res.users"].with_context(active_test=False, no_reset_password=True)
    user = Users.search([("login", "=", INTEGRATION_LOGIN)]) or Users.create(
        {
            "name": "Load Test Feed",
            "login": INTEGRATION_LOGIN,
            "group_ids": [
                (6, 0, [env.ref("logistics_crm.logistics_crm_group_user").id])
            ],
        }
    )
    return (
        env["res.users.apikeys"]
        .with_user(user)
        ._generate(
            scope="rpc",
            name="load test",
            expiration_date=datetime.now() + timedelta(days=1),
        )
    )


def main():
    config_path, db, output = sys.argv[1:4]
    config.parse_config(["-c", config_path, "-d", db, "--log-level=warn"])
    with Registry(db).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        customer_id, _count = portal.biggest_customer(env)
        portal.portal_user(env, customer_id)
        shipments = env["logistics.shipment"].search(
            [("partner_id", "=", customer_id)], order="id desc", limit=200
        )
        fixture = {
            "database": db,
            "portal_login": portal.PORTAL_LOGIN,
            "portal_password": portal.PORTAL_LOGIN,
            "api_key": integration_key(env),
            "shipment_ids": shipments.ids,
            "shipment_names": shipments.mapped("name"),
        }
        cr.commit()
    Path(output).write_text(json.dumps(fixture))


if __name__ == "__main__":
    main()
