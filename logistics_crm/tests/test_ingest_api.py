import json
from datetime import datetime, timedelta

from odoo.tests import HttpCase, get_db_name, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestIngestExternalApi(HttpCase):
    """A carrier's system feeds events through Odoo's JSON-2 API, as documented."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.integration = new_test_user(
            cls.env,
            login="lcrm_feed",
            groups="logistics_crm.logistics_crm_group_user",
        )
        key = (
            cls.env["res.users.apikeys"]
            .with_user(cls.integration)
            ._generate(
                scope="rpc",
                name="carrier feed",
                expiration_date=datetime.now() + timedelta(days=1),
            )
        )
        cls.headers = {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {key}",
            "X-Odoo-Database": get_db_name(),
        }
        customer = cls.env["res.partner"].create(
            {"name": "API Co.", "is_company": True}
        )
        cls.shipment = cls.env["logistics.shipment"].create({"partner_id": customer.id})

    def _post(self, events):
        response = self.url_open(
            "/json/2/logistics.shipment.event/ingest_events",
            data=json.dumps({"events": events}),
            headers=self.headers,
        )
        self.assertEqual(response.status_code, 200, response.text)
        return response.json()

    def test_json2_ingest_twice(self):
        events = [
            {
                "shipment": self.shipment.name,
                "code": "picked_up",
                "event_time": "2026-03-02T17:00:00+08:00",
                "external_id": "API-1",
            },
            {"shipment": "SHP/UNKNOWN", "code": "picked_up", "event_time": "x"},
        ]
        first = self._post(events)
        self.assertEqual([r["status"] for r in first], ["created", "error"])
        self.assertIn("Unknown shipment", first[1]["error"])
        second = self._post(events[:1])
        self.assertEqual(second[0]["status"], "duplicate")
        self.assertEqual(second[0]["id"], first[0]["id"])
        self.assertEqual(self.shipment.state, "picked_up")
        self.assertEqual(self.shipment.actual_pickup_date, datetime(2026, 3, 2, 9, 0))
