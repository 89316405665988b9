from datetime import date, datetime, timedelta

from odoo.tests import tagged

from .common import LogisticsPortalCase


@tagged("post_install", "-at_install")
class TestPortalBooking(LogisticsPortalCase):
    """Online booking at contract rates: a confirmed booking and its
    shipment with the pickup and consignee; refusals with their reason,
    nothing written."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._clear_rate_cards()
        cls.cn = cls.env.ref("base.cn")
        cls.de = cls.env.ref("base.de")
        cls.contract = cls.env["logistics.rate.card"].create(
            {
                "name": "Alpha air contract",
                "mode": "air",
                "partner_id": cls.customer_a.id,
                "date_start": date.today() - timedelta(days=10),
                "date_end": date.today() + timedelta(days=60),
                "door_pickup_fee": 50.0,
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "origin_country_id": cls.cn.id,
                            "origin_city": "Suzhou",
                            "destination_country_id": cls.de.id,
                            "destination_city": "Cologne",
                            "rate_basis": "kg",
                            "rate": 3.0,
                        },
                    )
                ],
            }
        )
        # A public card of the same lane: a contract customer books on its
        # contract, and nobody books on the public tariff.
        cls.env["logistics.rate.card"].create(
            {
                "name": "Public air",
                "mode": "air",
                "date_start": date.today() - timedelta(days=10),
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "origin_country_id": cls.cn.id,
                            "destination_country_id": cls.de.id,
                            "rate_basis": "kg",
                            "rate": 9.0,
                        },
                    )
                ],
            }
        )

    def _form(self, days=3, **values):
        start = datetime.now() + timedelta(days=days)
        return {
            "mode": "air",
            "origin_country_id": str(self.cn.id),
            "origin_city": "Suzhou",
            "destination_country_id": str(self.de.id),
            "destination_city": "Cologne",
            "pickup_start": start.strftime("%Y-%m-%dT09:00"),
            "pickup_end": start.strftime("%Y-%m-%dT12:00"),
            "pickup_address": "Suzhou Industrial Park, Building 7",
            "consignee_name": "Rhein Parts GmbH",
            "consignee_address": "Industriestr. 5, Cologne",
            "pieces_0": "4",
            "weight_0": "150",
            "description_0": "Spare parts",
            "pieces_1": "1",
            "weight_1": "50",
            "service_door_pickup": "on",
            **values,
        }

    def _orders_of_a(self):
        return self.env["sale.order"].search([("partner_id", "=", self.customer_a.id)])

    def test_book_on_contract(self):
        self._login(self.user_a)
        before = self._orders_of_a()
        response = self._post("/my/book", self._form(price_unit="0.01"))
        self.assertEqual(response.status_code, 200)
        booking = self._orders_of_a() - before
        self.assertEqual(len(booking), 1)
        self.assertEqual(booking.state, "sale")
        # 200 kg x 3.00 = 600.00 plus door pickup 50.00, from the contract.
        self.assertAlmostEqual(booking.amount_untaxed, 650.0)
        shipment = booking.logistics_shipment_ids
        self.assertEqual(shipment.state, "booked")
        self.assertEqual(shipment.consignee_name, "Rhein Parts GmbH")
        self.assertEqual(shipment.pieces, 5)
        self.assertEqual(shipment.weight_kg, 200.0)
        self.assertTrue(shipment.planned_pickup_date)
        self.assertLess(shipment.planned_pickup_date, shipment.pickup_window_end)
        # The order confirmation went to the customer.
        self.assertTrue(
            self.env["mail.mail"].search(
                [("model", "=", "sale.order"), ("res_id", "=", booking.id)]
            )
        )

    def _assert_refused(self, form, reason, user=None):
        self._login(user or self.user_a)
        before = self.env["sale.order"].search_count([])
        response = self._post("/my/book", form)
        self.assertIn(reason, response.text)
        self.assertEqual(self.env["sale.order"].search_count([]), before)
        self.assertIn('value="Rhein Parts GmbH"', response.text)

    def test_refused_outside_validity(self):
        self._assert_refused(self._form(days=90), "are not valid on")

    def test_refused_on_a_lane_not_covered(self):
        self._assert_refused(
            self._form(destination_city="Munich"),
            "Your contract does not cover this lane",
        )

    def test_refused_without_contract(self):
        self._assert_refused(
            self._form(), "Your contract has no rates", user=self.user_b
        )

    def test_refused_over_credit_limit(self):
        self.env.company.account_use_credit_limit = True
        self.customer_a.credit_limit = 100.0
        self._assert_refused(self._form(), "over its credit limit")

    def test_book_an_accepted_quote(self):
        lane = self.env["logistics.lane"].create(
            {
                "partner_id": self.customer_a.id,
                "origin_country_id": self.cn.id,
                "origin_city": "Xiamen",
                "destination_country_id": self.de.id,
                "destination_city": "Bremen",
                "mode": "sea_fcl",
            }
        )
        quote = self.env["logistics.quote"].create(
            {
                "partner_id": self.customer_a.id,
                "line_ids": [(0, 0, {"lane_id": lane.id, "rate": 1800.0})],
            }
        )
        quote.action_mark_sent()
        quote.action_accept("Alice Alpha")
        self.assertEqual(quote.booking_id.state, "draft")
        self._login(self.user_a)
        page = self.url_open(quote.get_portal_url())
        self.assertIn("o_logistics_quote_book", page.text)
        # Wrong details: the booking stays a draft, the reason is shown.
        refused = self._post(
            f"/my/quotes/{quote.id}/book", {**self._form(), "consignee_name": ""}
        )
        self.assertIn("This field is required.", refused.text)
        self.assertEqual(quote.booking_id.state, "draft")
        self._post(f"/my/quotes/{quote.id}/book", self._form())
        self.assertEqual(quote.booking_id.state, "sale")
        shipment = quote.booking_id.logistics_shipment_ids
        self.assertEqual(shipment.consignee_name, "Rhein Parts GmbH")
        self.assertEqual(shipment.state, "booked")
        # Another customer's user cannot book it.
        self._login(self.user_b)
        self._post(f"/my/quotes/{quote.id}/book", self._form())
        self.assertEqual(len(quote.booking_id.logistics_shipment_ids), 1)
