from datetime import date, timedelta

from odoo.tests import tagged

from odoo.addons.mail.tests.common import MockEmail

from .common import LogisticsPortalCase


@tagged("post_install", "-at_install")
class TestPublicQuoteRequest(MockEmail, LogisticsPortalCase):
    """Prospects on the public page: a company, a contact and a lead, never
    a user; a confirmation mail; limits per address and e-mail; robots
    caught by the honeypot."""

    def _form(self, email="buyer@nordic-outdoor.example", **values):
        return {
            "company_name": "Nordic Outdoor Gear AB",
            "contact_name": "Sven Berg",
            "email": email,
            "phone": "+46 8 123 456",
            "origin_country_id": str(self.env.ref("base.cn").id),
            "origin_city": "Shenzhen",
            "destination_country_id": str(self.env.ref("base.se").id),
            "destination_city": "Stockholm",
            "mode": "suggest",
            "weight_kg": "150",
            "ready_date": (date.today() + timedelta(days=7)).isoformat(),
            **values,
        }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.earlier = cls.env["logistics.quote.request"].search([])

    def _prospect_requests(self):
        return self.env["logistics.quote.request"].search(
            [("is_prospect", "=", True), ("id", "not in", self.earlier.ids)]
        )

    def test_public_page_opens(self):
        self.authenticate(None, None)
        response = self.url_open("/freight-quote")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_logistics_public_quote_form", response.text)

    def test_prospect_request_creates_lead_contact_no_user(self):
        self.authenticate(None, None)
        users = self.env["res.users"].with_context(active_test=False).search_count([])
        response = self._post("/freight-quote", self._form())
        self.assertEqual(response.status_code, 200)
        request = self._prospect_requests()
        self.assertEqual(len(request), 1)
        self.assertEqual(request.partner_id.name, "Nordic Outdoor Gear AB")
        self.assertEqual(request.contact_id.email, "buyer@nordic-outdoor.example")
        self.assertEqual(request.state, "to_price")
        self.assertTrue(request.lead_id)
        self.assertTrue(request.response_deadline)
        self.assertEqual(
            self.env["res.users"].with_context(active_test=False).search_count([]),
            users,
        )
        mail = self.env["mail.mail"].search(
            [("model", "=", request._name), ("res_id", "=", request.id)]
        )
        self.assertEqual(mail.recipient_ids, request.contact_id)
        self.assertEqual(mail.state, "outgoing")
        # The thank-you page is the request's own, opened by its token.
        self.assertIn(request.name, response.text)

    def test_honeypot_writes_nothing(self):
        self.authenticate(None, None)
        response = self._post("/freight-quote", self._form(website_url="http://spam"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("Thank you", response.text)
        self.assertFalse(self._prospect_requests())

    def test_rate_limit_per_email_then_per_address(self):
        self.authenticate(None, None)
        for _index in range(3):
            self._post("/freight-quote", self._form())
        self.assertEqual(len(self._prospect_requests()), 3)
        refused = self._post("/freight-quote", self._form())
        self.assertEqual(refused.status_code, 429)
        self.assertIn("Please try again later", refused.text)
        self.assertEqual(len(self._prospect_requests()), 3)
        # Other addresses from the same machine: 5 an hour in all.
        for index in range(2):
            self._post("/freight-quote", self._form(email=f"other{index}@x.example"))
        self.assertEqual(len(self._prospect_requests()), 5)
        refused = self._post("/freight-quote", self._form(email="new@x.example"))
        self.assertEqual(refused.status_code, 429)
        self.assertEqual(len(self._prospect_requests()), 5)

    def test_missing_contact_details_refused_with_input_kept(self):
        self.authenticate(None, None)
        response = self._post(
            "/freight-quote",
            self._form(
                email="not-an-address", contact_name="", origin_city="Kept City"
            ),
        )
        self.assertIn("Enter a valid e-mail address.", response.text)
        self.assertIn("This field is required.", response.text)
        self.assertIn('value="Kept City"', response.text)
        self.assertFalse(self._prospect_requests())

    def test_utm_of_the_link_kept_on_request_and_lead(self):
        """A prospect who came by a campaign's link: its campaign, source and
        medium (Odoo's UTM cookies set on the landing page) reach the
        request and its opportunity."""
        campaign = self.env["utm.campaign"].create({"name": "Nordic Sea Spring"})
        self.authenticate(None, None)
        self.url_open(
            "/freight-quote?utm_campaign=Nordic+Sea+Spring"
            "&utm_source=Newsletter&utm_medium=Email"
        )
        self._post("/freight-quote", self._form())
        request = self._prospect_requests()
        self.assertEqual(request.campaign_id, campaign)
        self.assertEqual(request.source_id.name, "Newsletter")
        self.assertEqual(request.medium_id, self.env.ref("utm.utm_medium_email"))
        self.assertEqual(
            (
                request.lead_id.campaign_id,
                request.lead_id.source_id,
                request.lead_id.medium_id,
            ),
            (campaign, request.source_id, request.medium_id),
        )

    def test_campaign_from_mailing_click_to_booked_revenue(self):
        """The whole attribution, by Odoo's own means: a campaign's mailing
        sent, its tracked link clicked (mass_mailing's redirect adds the
        campaign's UTM to the landing URL), the prospect's quote request made
        on that page, its opportunity won and booked. The campaign's results
        count the recipient reached and clicking, the lead, its quote, the
        win and the booked revenue against the cost."""
        campaign = self.env["utm.campaign"].create(
            {"title": "Baltic Rail Launch", "logistics_cost": 100.0}
        )
        reader = self.env["res.partner"].create(
            {"name": "Sven Berg", "email": "buyer@nordic-outdoor.example"}
        )
        mailing = self.env["mailing.mailing"].create(
            {
                "subject": "Rail from China to the Baltic",
                "campaign_id": campaign.id,
                "mailing_model_id": self.env.ref("base.model_res_partner").id,
                "mailing_domain": repr([("id", "=", reader.id)]),
                "body_html": f'<p><a href="{self.base_url()}/freight-quote">'
                "Get your price</a></p>",
            }
        )
        # Odoo's own mail gateway mock: the e-mails go through the real
        # sending path, the SMTP server aside.
        with self.mock_mail_gateway(mail_unlink_sent=False):
            mailing.action_send_mail()
        trace = mailing.mailing_trace_ids
        self.assertEqual((len(trace), trace.trace_status), (1, "sent"))
        link = self.env["link.tracker"].search([("mass_mailing_id", "=", mailing.id)])
        self.assertEqual(len(link), 1)

        self.authenticate(None, None)
        landing = self.url_open(f"/r/{link.code}/m/{trace.id}")
        self.assertEqual(landing.status_code, 200)
        self.assertIn("utm_campaign=", landing.url)
        self._post("/freight-quote", self._form())
        request = self._prospect_requests()
        lead = request.lead_id
        self.assertEqual(
            (lead.campaign_id, lead.medium_id), (campaign, mailing.medium_id)
        )

        quote = request.quote_id
        quote.line_ids.write({"rate": 3.5, "rate_basis": "kg", "quantity": 150})
        quote.action_mark_sent()
        quote.action_accept("Sven Berg")
        quote.booking_id.action_confirm()
        lead.action_set_won()
        self.assertEqual(quote.booking_id.campaign_id, campaign)

        row = self.env["logistics.campaign.report"].search_read(
            [("campaign_id", "=", campaign.id)]
        )[0]
        self.assertEqual(
            [
                row[key]
                for key in (
                    "reached_count",
                    "clicked_count",
                    "lead_count",
                    "quote_count",
                    "won_count",
                    "booking_count",
                )
            ],
            [1, 1, 1, 1, 1, 1],
        )
        self.assertAlmostEqual(row["amount_booked"], 3.5 * 150)
        self.assertAlmostEqual(row["roi"], 100.0 * (3.5 * 150 - 100.0) / 100.0)
