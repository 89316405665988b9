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

from .harness import Figure, Result, measure

PORTAL_LOGIN = "bench_portal"
PAGE_SIZE = 20
# Requests per page at least, whatever --runs says: a p95 over three
# requests is the slowest of three, one bad moment of the machine.
PAGE_REQUESTS = 20


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


# Every filter of the portal's lists (the controllers' searchbar keys).
SHIPMENT_FILTERS = ("all", "in_progress", "delivered", "late", "exception")
COMPLAINT_FILTERS = ("all", "open", "closed")
QUOTE_FILTERS = ("all", "sent", "answered")


def op_portal_pages(env, runs, large_scale):
    """The biggest customer's portal pages, through Odoo's HTTP stack on
    loopback: shipments list, a shipment with its timeline, complaints,
    quotes and the service page. Raw reference: the list page's own two
    queries (count and page of shipments) on the same cursor."""
    customer_id, shipment_count = biggest_customer(env)
    env.cr.execute(
        """
        SELECT shipment_id FROM logistics_shipment_event
         WHERE shipment_id IN (
               SELECT id FROM logistics_shipment WHERE partner_id = %s)
         GROUP BY shipment_id ORDER BY count(*) DESC, shipment_id LIMIT 1
        """,
        (customer_id,),
    )
    busiest = env.cr.fetchone()[0]
    portal_user(env, customer_id)
    paths = [
        *(f"/my/shipments?filterby={name}" for name in SHIPMENT_FILTERS),
        "/my/shipments?filterby=late&sortby=eta",
        "/my/shipments?search=SHP",
        f"/my/shipments/{busiest}",
        *(f"/my/complaints?filterby={name}" for name in COMPLAINT_FILTERS),
        *(f"/my/quotes?filterby={name}" for name in QUOTE_FILTERS),
        "/my/service",
    ]
    with served() as base_url:
        session = logged_in(base_url, env.cr.dbname)
        pages = time_pages(session, base_url, paths, max(runs, PAGE_REQUESTS))
    orm = Figure(times=[pages["/my/shipments?filterby=all"]["median_ms"] / 1000])

    def raw_sql():
        env.cr.execute(
            "SELECT count(*) FROM logistics_shipment WHERE partner_id = %s",
            (customer_id,),
        )
        env.cr.execute(
            "SELECT id, name, reference, lane_id, eta, state FROM logistics_shipment"
            " WHERE partner_id = %s ORDER BY id DESC LIMIT %s",
            (customer_id, PAGE_SIZE),
        )
        env.cr.fetchall()

    sql = measure(env, raw_sql, runs)
    result = Result(
        f"portal pages, customer with {shipment_count} shipments",
        orm,
        sql,
        "every page p95 < 100 ms at large",
    )
    slowest = max(page["p95_ms"] for page in pages.values())
    result.notes.update(
        {
            path: f"{page['median_ms']}/{page['p95_ms']} ms"
            for path, page in pages.items()
        }
    )
    result.verdict = (
        "OK" if not large_scale or slowest < 100 else f"MISS: p95 {slowest} ms"
    )
    return result
