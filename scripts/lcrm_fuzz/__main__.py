"""Coverage-guided fuzzing (atheris) of the portal lists' parameters: the
search text and field, filter, sort and page of /my/shipments,
/my/complaints and /my/quotes, requested in-process through Odoo's WSGI
application as the biggest customer's portal contact. Any answer other than
a page or a redirect, or another customer's shipment on the page, is a
crash that libFuzzer reports with the input that caused it.

Usage (through scripts/fuzz.sh): python3 -m lcrm_fuzz CONFIG DB [libFuzzer flags]
"""

import json
import sys

import atheris
from werkzeug.test import Client

from odoo import SUPERUSER_ID, api, http
from odoo.modules.registry import Registry
from odoo.tools import config

PATHS = ("/my/shipments", "/my/complaints", "/my/quotes")
KEYS = ("search", "search_in", "sortby", "filterby", "groupby", "page")
STATE = {}
# What a server puts in every request's environment and Odoo reads.
ENVIRON = {"REMOTE_ADDR": "127.0.0.1"}


def prepare(db):
    from lcrm_bench import portal  # noqa: PLC0415 (needs Odoo configured)

    with Registry(db).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        customer_id, _count = portal.biggest_customer(env)
        portal.portal_user(env, customer_id)
        cr.execute(
            "SELECT name FROM logistics_shipment WHERE partner_id != %s"
            " ORDER BY id DESC LIMIT 200",
            (customer_id,),
        )
        STATE["foreign"] = [name for (name,) in cr.fetchall()]
    client = Client(http.root)
    response = client.post(
        "/web/session/authenticate",
        json={
            "jsonrpc": "2.0",
            "params": {
                "db": db,
                "login": portal.PORTAL_LOGIN,
                "password": portal.PORTAL_LOGIN,
            },
        },
        environ_base=ENVIRON,
    )
    if json.loads(response.get_data()).get("error"):
        sys.exit("error: the portal login failed")
    STATE["client"] = client


def test_one_input(data):
    fdp = atheris.FuzzedDataProvider(data)
    path = fdp.PickValueInList(list(PATHS))
    page = fdp.ConsumeIntInRange(1, 2**40)
    params = {}
    for key in KEYS:
        if fdp.ConsumeBool():
            params[key] = fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 300))
    response = STATE["client"].get(
        f"{path}/page/{page}", query_string=params, environ_base=ENVIRON
    )
    if response.status_code not in (200, 303):
        raise AssertionError(f"{path} {page} {params!r}: HTTP {response.status_code}")
    body = response.get_data(as_text=True)
    leaked = [name for name in STATE["foreign"] if name in body]
    if leaked:
        raise AssertionError(f"{path} {params!r} shows {leaked[:3]}")


def main():
    config_path, db = sys.argv[1:3]
    config.parse_config(["-c", config_path, "-d", db, "--log-level=warn"])
    prepare(db)
    # Instrument what is loaded now (Odoo and both addons) for coverage.
    atheris.instrument_all()
    atheris.Setup([sys.argv[0], *sys.argv[3:]], test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
