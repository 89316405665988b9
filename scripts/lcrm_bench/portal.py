"""Portal pages timed through Odoo's own HTTP stack on loopback.

The WSGI application serves from a thread of the benchmark process, with
its own cursors, so the pages run exactly as for a browser: routing,
session, record rules, QWeb rendering."""

import statistics
import threading
import time
from contextlib import contextmanager

import requests
from werkzeug.serving import make_server

from odoo import http
from odoo.tools import config

PORTAL_LOGIN = "bench_portal"
PAGE_SIZE = 20


def biggest_customer(env):
    """(id, shipment count) of the customer with the most shipments: the
    portal's worst case, and the one every portal measurement uses."""
    env.cr.execute(
        "SELECT partner_id, count(*) FROM logistics_shipment GROUP BY partner_id"
        " ORDER BY count(*) DESC, partner_id LIMIT 1"
    )
    return env.cr.fetchone()


def portal_user(env, customer_id):
    """A portal contact of the customer, created once and committed so the
    server's own cursors see it."""
    user = (
        env["res.users"]
        .with_context(active_test=False)
        .search([("login", "=", PORTAL_LOGIN)])
    )
    if not user:
        user = (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": "Bench Portal Contact",
                    "login": PORTAL_LOGIN,
                    "password": PORTAL_LOGIN,
                    "group_ids": [(6, 0, [env.ref("base.group_portal").id])],
                }
            )
        )
    user.partner_id.parent_id = customer_id
    env.cr.commit()
    return user


@contextmanager
def served():
    """Odoo's WSGI application on a free loopback port, for the block."""
    server = make_server(config["http_interface"] or "127.0.0.1", 0, http.root)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


def logged_in(base_url, db, login=PORTAL_LOGIN, password=PORTAL_LOGIN):
    session = requests.Session()
    response = session.post(
        f"{base_url}/web/session/authenticate",
        json={
            "jsonrpc": "2.0",
            "params": {"db": db, "login": login, "password": password},
        },
        timeout=60,
    )
    response.raise_for_status()
    if response.json().get("error"):
        raise RuntimeError(f"portal login failed: {response.json()['error']}")
    return session


def time_pages(session, base_url, paths, runs):
    """Median, p95 (interpolated between the runs) and max milliseconds per
    path, after one warm-up."""
    figures = {}
    for path in paths:
        times = []
        for number in range(runs + 1):
            start = time.perf_counter()
            response = session.get(f"{base_url}{path}", timeout=60)
            elapsed = time.perf_counter() - start
            if response.status_code != 200 or "o_portal" not in response.text:
                raise RuntimeError(f"{path}: HTTP {response.status_code}")
            if number:
                times.append(elapsed)
        p95 = (
            statistics.quantiles(times, n=20, method="inclusive")[-1]
            if len(times) > 1
            else times[0]
        )
        figures[path] = {
            "median_ms": round(statistics.median(times) * 1000, 1),
            "p95_ms": round(p95 * 1000, 1),
            "max_ms": round(max(times) * 1000, 1),
        }
    return figures
