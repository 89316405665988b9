from datetime import date, timedelta

from odoo.tests import tagged

from .common import LogisticsPortalCase


@tagged("post_install", "-at_install")
class TestPortalQuoteRequest(LogisticsPortalCase):
    """The customer asks for a price on the portal: an indicative price at
    once where a card covers the lane, else a request for sales to price;
    bad input comes back with its errors and the values typed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._clear_rate_cards()
        cls.cn = cls.env.ref("base.cn")
        cls.de = cls.env.ref("base.de")
        cls.card = cls.env["logistics.rate.card"].create(
            {
                "name": "Public air CN-DE",
                "mode": "air",
                "date_start": date.today() - timedelta(days=30),
                "fuel_percent": 10.0,
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "origin_country_id": cls.cn.id,
                            "origin_city": "Shenzhen",
                            "destination_country_id": cls.de.id,
                            "rate_basis": "kg",
                            "min_weight_kg": 0,
                            "rate": 4.0,
                        },
                    )
                ],
            }
        )

    def _form(self, **values):
        return {
            "origin_country_id": str(self.cn.id),
            "origin_city": "Shenzhen",
            "destination_country_id": str(self.de.id),
            "destination_city": "Munich",
            "mode": "air",
            "weight_kg": "250",
            "ready_date": (date.today() + timedelta(days=3)).isoformat(),
            **values,
        }

    def _requests_of_a(self):
        return self.env["logistics.quote.request"].search(
            [("partner_id", "=", self.customer_a.id)]
        )

    def test_form_page(self):
        self._login(self.user_a)
        response = self.url_open("/my/quotes/request")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_logistics_quote_request_form", response.text)

    def test_instant_price_shown_and_request_priced(self):
        self._login(self.user_a)
        before = self._requests_of_a()
        # A browser sending another customer and a price is not believed.
        response = self._post(
            "/my/quotes/request",
            self._form(partner_id=str(self.customer_b.id), indicative_total="1"),
        )
        self.assertEqual(response.status_code, 200)
        request = self._requests_of_a() - before
        self.assertEqual(len(request), 1)
        self.assertEqual(request.contact_id, self.user_a.partner_id)
        # 250 kg x 4.00 = 1,000.00; fuel 10 % = 100.00.
        self.assertAlmostEqual(request.indicative_total, 1100.0)
        self.assertEqual(request.state, "priced")
        self.assertIn(request.name, response.text)
        self.assertIn("o_logistics_request_breakdown", response.text)
        self.assertIn("1,100.00", response.text)
        self.assertEqual(request.quote_id.state, "draft")
        self.assertAlmostEqual(request.quote_id.amount_total, 1100.0)

    def test_request_without_rate_goes_to_sales(self):
        self._login(self.user_a)
        response = self._post(
            "/my/quotes/request",
            self._form(origin_city="Chengdu", mode="rail"),
        )
        request = self._requests_of_a().sorted("id")[-1]
        self.assertEqual(request.state, "to_price")
        self.assertEqual(request.lead_id.logistics_lane_ids.mode, "rail")
        self.assertIn("Our sales team is pricing your request", response.text)

    def test_utm_of_the_link_kept_on_request_and_lead(self):
        source = self.env["utm.source"].create({"name": "LinkedIn Air Week"})
        self._login(self.user_a)
        self.url_open("/my/quotes/request?utm_source=LinkedIn+Air+Week")
        self._post("/my/quotes/request", self._form())
        request = self._requests_of_a().sorted("id")[-1]
        self.assertEqual(request.source_id, source)
        self.assertEqual(request.lead_id.source_id, source)
        self.assertFalse(request.lead_id.campaign_id)

    def test_errors_per_field_and_input_kept(self):
        self._login(self.user_a)
        before = self._requests_of_a()
        response = self._post(
            "/my/quotes/request",
            self._form(
                origin_city="",
                destination_city="Keep This City",
                weight_kg="heavy",
                dangerous_goods="on",
                service_insurance="on",
                ready_date="2001-01-01",
            ),
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._requests_of_a(), before)
        for message in (
            "This field is required.",
            "Enter a number.",
            "Dangerous goods need their UN number and class.",
            "Insurance is priced on the declared value",
            "The ready date is in the past.",
        ):
            self.assertIn(message, response.text)
        self.assertIn('value="Keep This City"', response.text)

    def test_request_listed_for_its_customer_only(self):
        self._login(self.user_a)
        response = self.url_open("/my/quote-requests")
        self.assertIn(self.request_a.name, response.text)
        self.assertNotIn(self.request_b.name, response.text)
        self._login(self.user_a2)
        page = self.url_open(f"/my/quote-requests/{self.request_a.id}")
        self.assertIn(self.request_a.name, page.text)
