from datetime import date, timedelta

from odoo.tests import tagged

from .common import LogisticsPortalCase


@tagged("post_install", "-at_install")
class TestPortalRequestQueries(LogisticsPortalCase):
    """The request and booking pages cost the same number of queries with
    10 and with 1,000 rate-card lines for the customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._clear_rate_cards()
        cls.cn = cls.env.ref("base.cn")
        cls.de = cls.env.ref("base.de")
        cls.card = cls.env["logistics.rate.card"].create(
            {
                "name": "Alpha contract",
                "mode": "air",
                "partner_id": cls.customer_a.id,
                "date_start": date.today() - timedelta(days=5),
                "fuel_percent": 10.0,
            }
        )
        cls._lines(10)

    @classmethod
    def _lines(cls, count, start=0):
        cls.env["logistics.rate.card.line"].create(
            [
                {
                    "card_id": cls.card.id,
                    "origin_country_id": cls.cn.id,
                    "origin_city": f"City {index}",
                    "destination_country_id": cls.de.id,
                    "rate_basis": "kg",
                    "min_weight_kg": 0,
                    "rate": 3.0,
                }
                for index in range(start, start + count)
            ]
        )

    def _request_form(self):
        return {
            "origin_country_id": str(self.cn.id),
            "origin_city": "City 3",
            "destination_country_id": str(self.de.id),
            "destination_city": "Berlin",
            "mode": "air",
            "weight_kg": "100",
            "ready_date": (date.today() + timedelta(days=2)).isoformat(),
        }

    def _booking_form(self):
        start = date.today() + timedelta(days=2)
        return {
            "mode": "air",
            "origin_country_id": str(self.cn.id),
            "origin_city": "City 3",
            "destination_country_id": str(self.de.id),
            "destination_city": "Berlin",
            "pickup_start": f"{start.isoformat()}T09:00",
            "pickup_end": f"{start.isoformat()}T12:00",
            "pickup_address": "Dock 3",
            "consignee_name": "Berlin Receiver",
            "consignee_address": "Street 1, Berlin",
            "pieces_0": "2",
            "weight_0": "100",
        }

    def _queries(self, method, url, data=None):
        before = self.cr.sql_log_count
        if method == "GET":
            response = self.url_open(url)
        else:
            response = self._post(url, data)
        self.assertEqual(response.status_code, 200, url)
        return self.cr.sql_log_count - before

    def _measure(self):
        return [
            self._queries("GET", "/my/quotes/request"),
            self._queries("POST", "/my/quotes/request", self._request_form()),
            self._queries("GET", "/my/book"),
            self._queries("POST", "/my/book", self._booking_form()),
        ]

    def test_same_queries_with_10_and_1000_lines(self):
        self._login(self.user_a)
        self._measure()  # caches and assets warm
        at_10 = self._measure()
        self._lines(990, start=10)
        self.assertEqual(self.card.line_count, 1000)
        self.env.flush_all()
        at_1000 = self._measure()
        self.assertEqual(at_10, at_1000)
        # Both sizes priced the same lane: 100 kg x 3.00 + 10 % fuel.
        requests = self.env["logistics.quote.request"].search(
            [("partner_id", "=", self.customer_a.id), ("origin_city", "=", "City 3")]
        )
        self.assertEqual(set(requests.mapped("indicative_total")), {330.0})
