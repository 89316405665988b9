"""Load profile: portal customers browsing and a carrier feed ingesting.

Run by scripts/load.sh inside its own virtualenv (locust), against Odoo
served with --workers=2 on loopback. LCRM_LOAD_FIXTURE names the JSON
written by prepare.py.
"""

import itertools
import json
import os
import random
import uuid
from datetime import UTC, datetime, timedelta

import requests
from locust import HttpUser, between, constant, events, task

FIXTURE = json.loads(open(os.environ["LCRM_LOAD_FIXTURE"]).read())  # noqa: PTH123, SIM115
SESSION = {}
# The saturation mode sends each user's next request as soon as the last one
# answered: throughput is then the server's, not the users' pace.
THINK = (
    constant(0) if os.environ.get("LCRM_LOAD_NO_THINK") == "1" else between(0.5, 1.5)
)
FEEDS = itertools.count()
# Each event's external id is written here before its batch is posted
# ("sent"), then again once Odoo answered it stored ("created"): a batch in
# flight when locust stops may be stored without an answer, and the proof of
# the replica run must tell it from an event stored out of nowhere.
FEED_LOG = os.environ.get("LCRM_LOAD_FEED_LOG")
RUN = os.environ.get("LCRM_LOAD_RUN", "run")


def record_feed(status, external_ids):
    if FEED_LOG:
        with open(FEED_LOG, "a") as log:  # noqa: PTH123
            log.writelines(f"{status} {external_id}\n" for external_id in external_ids)


@events.test_start.add_listener
def portal_login(environment, **_kwargs):
    """One portal login for every simulated browser: signing in hashes the
    password on purpose slowly, once per visit, not once per page."""
    response = requests.post(
        f"{environment.host}/web/session/authenticate",
        json={
            "jsonrpc": "2.0",
            "params": {
                "db": FIXTURE["database"],
                "login": FIXTURE["portal_login"],
                "password": FIXTURE["portal_password"],
            },
        },
        timeout=60,
    )
    if response.json().get("error"):
        raise RuntimeError("portal login failed")
    SESSION["session_id"] = response.cookies["session_id"]


class PortalCustomer(HttpUser):
    """A customer's contact following shipments and complaints."""

    weight = 4
    wait_time = THINK

    def on_start(self):
        self.client.cookies.set("session_id", SESSION["session_id"])

    def _page(self, path, name):
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200 or "o_portal" not in response.text:
                response.failure(f"HTTP {response.status_code}")

    @task(4)
    def shipments(self):
        self._page("/my/shipments", "/my/shipments")

    @task(2)
    def late_shipments(self):
        self._page("/my/shipments?filterby=late&sortby=eta", "/my/shipments?late")

    @task(3)
    def shipment(self):
        shipment_id = random.choice(FIXTURE["shipment_ids"])  # noqa: S311
        self._page(f"/my/shipments/{shipment_id}", "/my/shipments/[id]")

    @task(2)
    def complaints(self):
        self._page("/my/complaints", "/my/complaints")

    @task(1)
    def quotes(self):
        self._page("/my/quotes", "/my/quotes")

    @task(1)
    def service(self):
        self._page("/my/service", "/my/service")


class CarrierFeed(HttpUser):
    """A carrier system posting tracking events through the JSON-2 API."""

    weight = 1
    wait_time = THINK

    def on_start(self):
        # Each carrier feeds its own shipments, as carriers do.
        number = next(FEEDS)
        self.shipments = FIXTURE["shipment_names"][number * 40 : number * 40 + 40]
        self.shipments = self.shipments or FIXTURE["shipment_names"][:40]

    @task
    def ingest(self):
        names = random.sample(self.shipments, 20)
        moment = datetime.now(UTC) - timedelta(days=400)
        events = [
            {
                "shipment": name,
                "code": "arrived_hub",
                # Old news: recorded in the timeline, the status stays.
                "event_time": moment.isoformat(),
                "external_id": f"load-{RUN}-{uuid.uuid4()}",
                "location": "Load test hub",
            }
            for name in names
        ]
        external_ids = [event["external_id"] for event in events]
        record_feed("sent", external_ids)
        with self.client.post(
            "/json/2/logistics.shipment.event/ingest_events",
            json={"events": events},
            headers={
                "Authorization": f"Bearer {FIXTURE['api_key']}",
                "X-Odoo-Database": FIXTURE["database"],
            },
            name="ingest 20 events",
            catch_response=True,
        ) as response:
            statuses = {item.get("status") for item in response.json() or []}
            if response.status_code != 200 or statuses != {"created"}:
                response.failure(f"HTTP {response.status_code} {statuses}")
            else:
                record_feed("created", external_ids)
