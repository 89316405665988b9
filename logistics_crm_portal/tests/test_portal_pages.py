from datetime import timedelta

from lxml import html

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import SQL

from .common import LogisticsPortalCase


@tagged("post_install", "-at_install")
class TestPortalPages(LogisticsPortalCase):
    def _counters(self):
        return self.make_jsonrpc_request(
            "/my/counters",
            {
                "counters": [
                    "logistics_shipment_count",
                    "logistics_complaint_count",
                    "logistics_quote_count",
                ]
            },
        )

    def _get(self, url):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        return response

    def test_lists_show_the_company_records_only(self):
        own = (self.shipment_a.name, self.complaint_a.name, self.quote_a.name)
        other = (self.shipment_b.name, self.complaint_b.name, self.quote_b.name)
        for user in (self.user_a, self.user_a2):
            self._login(user)
            for url, own_name, other_name in zip(
                ("/my/shipments", "/my/complaints", "/my/quotes"),
                own,
                other,
                strict=True,
            ):
                page = self._get(url).text
                self.assertIn(own_name, page, url)
                self.assertNotIn(other_name, page, url)

    def test_user_without_company_sees_nothing(self):
        self._login(self.user_alone)
        for url in ("/my/shipments", "/my/complaints", "/my/quotes"):
            page = self._get(url).text
            for record in (self.shipment_a, self.complaint_a, self.quote_a):
                self.assertNotIn(record.name, page, url)
        counters = self._counters()
        self.assertEqual(set(counters.values()), {0})

    def test_counters(self):
        self._login(self.user_a)
        counters = self._counters()
        self.assertEqual(
            counters,
            {
                "logistics_shipment_count": 1,
                "logistics_complaint_count": 1,
                "logistics_quote_count": 1,
            },
        )
        page = self._get("/my").text
        self.assertIn("/my/shipments?filterby=in_progress", page)
        self.assertIn("/my/service", page)

    def test_home_offers_every_list_whatever_the_counts(self):
        """A customer with nothing in progress (all delivered, nothing open,
        no quote to answer) still finds every list on /my."""
        self._login(self.user_alone)
        self.assertEqual(self._counters()["logistics_shipment_count"], 0)
        tree = html.fromstring(self._get("/my").content)
        for url in (
            "/my/shipments",
            "/my/complaints",
            "/my/quotes",
            "/my/service",
            "/my/notifications",
        ):
            cards = tree.xpath(
                f"//div[contains(@class, 'o_portal_index_card')][.//a[@href='{url}']]"
            )
            self.assertEqual(len(cards), 1, url)
            self.assertNotIn("d-none", cards[0].get("class").split(), url)

    def test_home_survey_card_for_the_invited_contact_only(self):
        answer = self.env["survey.user_input"].create(
            {
                "survey_id": self.env.ref("logistics_crm.survey_relationship").id,
                "partner_id": self.user_a.partner_id.id,
                "logistics_invited_on": fields.Datetime.now(),
            }
        )
        self._login(self.user_a)
        page = self._get("/my").text
        self.assertIn(f"answer_token={answer.access_token}", page)
        self.assertIn("Relationship Survey", page)
        for other in (self.user_a2, self.user_b):
            self._login(other)
            page = self._get("/my").text
            self.assertNotIn(answer.access_token, page)
            self.assertNotIn("Relationship Survey", page)
        # Answered: no card.
        answer._mark_done()
        self._login(self.user_a)
        self.assertNotIn(answer.access_token, self._get("/my").text)

    def _assert_listed_in_order(self, url, records):
        page = self._get(url).text
        positions = [page.find(record.name) for record in records]
        self.assertNotIn(-1, positions, url)
        self.assertEqual(positions, sorted(positions), url)

    def test_newest_sort_orders_newest_first(self):
        """Created newest first: an order by id would list them backwards."""
        now = fields.Datetime.now()
        shipments = self.env["logistics.shipment"].create(
            [
                {
                    "partner_id": self.customer_a.id,
                    "planned_pickup_date": now - timedelta(days=days),
                }
                for days in (1, 40, 400)
            ]
        )
        complaints = self.env["logistics.complaint"].create(
            [self._complaint_values(self.customer_a) for _days in range(3)]
        )
        for complaint, days in zip(complaints, (1, 40, 400), strict=True):
            self.env.cr.execute(
                SQL(
                    "UPDATE logistics_complaint SET create_date = %s WHERE id = %s",
                    now - timedelta(days=days),
                    complaint.id,
                )
            )
        complaints.invalidate_recordset(["create_date"])
        quotes = self._quote(self.customer_a)
        quotes |= self._quote(self.customer_a)
        quotes |= self._quote(self.customer_a)
        today = fields.Date.today()
        for quote, days in zip(quotes, (1, 40, 400), strict=True):
            quote.date_quote = today - timedelta(days=days)
        self._login(self.user_a)
        self._assert_listed_in_order("/my/shipments?sortby=date", shipments)
        self._assert_listed_in_order("/my/complaints?sortby=date", complaints)
        self._assert_listed_in_order("/my/quotes?sortby=date", quotes)

    def test_search_filters_and_sortings(self):
        self._login(self.user_a)
        page = self._get("/my/shipments?search_in=reference&search=ALPHA-REF").text
        self.assertIn(self.shipment_a.name, page)
        page = self._get(
            "/my/shipments?search_in=reference&search=nothing-like-it"
        ).text
        self.assertNotIn(self.shipment_a.name, page)
        page = self._get("/my/shipments?filterby=delivered").text
        self.assertNotIn(self.shipment_a.name, page)
        page = self._get("/my/shipments?filterby=exception").text
        self.assertIn(self.shipment_a.name, page)
        # Unknown keys fall back to the defaults rather than failing.
        page = self._get(
            "/my/shipments?sortby=id;drop&filterby=__class__&search_in=password"
        ).text
        self.assertIn(self.shipment_a.name, page)
        page = self._get("/my/complaints?filterby=open&sortby=stage").text
        self.assertIn(self.complaint_a.name, page)

    def test_late_filter_lists_late_risks_and_late_deliveries(self):
        Event = self.env["logistics.shipment.event"]
        now = fields.Datetime.now()

        def shipment(reference, promised_in_hours, events):
            record = self.env["logistics.shipment"].create(
                {
                    "partner_id": self.customer_a.id,
                    "reference": reference,
                    "promised_date": now + timedelta(hours=promised_in_hours),
                }
            )
            Event.ingest_events(
                [
                    {
                        "shipment": record.name,
                        "external_id": f"{reference}-{code}",
                        "code": code,
                        "event_time": now - timedelta(hours=hours_ago),
                        "new_eta": new_eta,
                    }
                    for code, hours_ago, new_eta in events
                ]
            )
            return record

        at_risk = shipment(
            "LATE-RISK",
            24,
            [("picked_up", 10, False), ("departed", 5, now + timedelta(days=3))],
        )
        delivered_late = shipment(
            "LATE-DELIVERED", -72, [("picked_up", 100, False), ("delivered", 2, False)]
        )
        on_time = shipment(
            "ON-TIME", 24, [("picked_up", 10, False), ("delivered", 1, False)]
        )
        self.assertEqual(
            (at_risk.is_late, delivered_late.is_late, on_time.is_late),
            (True, True, False),
        )
        self._login(self.user_a)
        page = self._get("/my/shipments?filterby=late").text
        self.assertIn(at_risk.name, page)
        self.assertIn(delivered_late.name, page)
        self.assertNotIn(on_time.name, page)
        self.assertNotIn(self.shipment_a.name, page)

    def test_details_for_the_owner_and_the_token_holder(self):
        self._login(self.user_a2)
        page = self._get(self.shipment_a.get_portal_url()).text
        self.assertIn("ALPHA-REF-1 hub", page)  # the timeline
        self.assertIn("ALPHA-REF-1 waits for a vessel", page)  # open exception
        self.assertIn(f"/my/complaints/new?shipment_id={self.shipment_a.id}", page)
        self.assertIn(
            self.complaint_a.subject, self._get(self.complaint_a.get_portal_url()).text
        )
        self.assertIn(self.quote_a.name, self._get(self.quote_a.get_portal_url()).text)
        # An emailed link opens without login.
        self.authenticate(None, None)
        for record in (self.shipment_a, self.complaint_a, self.quote_a):
            response = self._get(record.get_portal_url())
            self.assertIn(record.name, response.text)

    def test_details_refuse_another_customer(self):
        """Another customer's ids, with no token, a wrong one, an empty one
        or the token of another record: a redirect, never the record."""
        cases = []
        for record_b, record_a in (
            (self.shipment_b, self.shipment_a),
            (self.complaint_b, self.complaint_a),
            (self.quote_b, self.quote_a),
        ):
            base = record_b.access_url
            cases += [
                (base, record_b),
                (f"{base}?access_token=", record_b),
                (f"{base}?access_token=not-a-token", record_b),
                (f"{base}?access_token={record_a.access_token}", record_b),
                (f"{base}?access_token={record_b.access_token[:-1]}x", record_b),
                (f"{record_a.access_url.rsplit('/', 1)[0]}/999999999", record_b),
            ]
        for login_as in (self.user_a, None):
            if login_as:
                self._login(login_as)
            else:
                self.authenticate(None, None)
            for url, record_b in cases:
                response = self.url_open(url)
                self.assertIn(response.status_code, (200, 303, 403, 404), url)
                self.assertTrue(
                    response.url.endswith(("/my", "/web/login", "/my/home"))
                    or "/web/login" in response.url,
                    f"{url} -> {response.url}",
                )
                self.assertNotIn(record_b.name, response.text, url)

    def test_documents_only_those_marked_for_the_customer(self):
        Attachment = self.env["ir.attachment"]
        shared, internal = Attachment.create(
            [
                {
                    "name": name,
                    "raw": name.encode(),
                    "res_model": "logistics.shipment",
                    "res_id": self.shipment_a.id,
                }
                for name in ("pod.pdf", "cost-sheet.xlsx")
            ]
        )
        self.shipment_a.portal_document_ids = shared
        self._login(self.user_a)
        page = self._get(self.shipment_a.get_portal_url()).text
        self.assertIn("pod.pdf", page)
        self.assertNotIn("cost-sheet.xlsx", page)
        base = f"/my/shipments/{self.shipment_a.id}/documents"
        self.assertEqual(self._get(f"{base}/{shared.id}").content, b"pod.pdf")
        response = self.url_open(f"{base}/{internal.id}")
        self.assertEqual(response.status_code, 404)
        self._login(self.user_b)
        response = self.url_open(f"{base}/{shared.id}")
        self.assertNotEqual(response.content, b"pod.pdf")

    def test_service_page_and_scorecard(self):
        self.customer_a.tier_id = self.env.ref("logistics_crm.service_tier_key")
        self.env["logistics.kpi.snapshot"].create(
            [
                {
                    "partner_id": self.customer_a.id,
                    "month": f"2026-{month:02d}-01",
                    "shipments": 10,
                    "on_time_rate": 80.0 + month,
                    "sla_met_rate": 90.0,
                }
                for month in (1, 2, 3)
            ]
        )
        self.env["logistics.kpi.snapshot"].create(
            {
                "partner_id": self.customer_b.id,
                "month": "2026-03-01",
                "shipments": 7,
                "on_time_rate": 12.5,
            }
        )
        self._login(self.user_a)
        page = self._get("/my/service").text
        self.assertIn("Key", page)
        self.assertIn("<svg", page)
        self.assertIn("83.0 %", page)
        self.assertIn("2026-03", page)
        self.assertNotIn("12.5", page)

    def test_service_page_shows_own_survey_results_only(self):
        """Customer A's answers 10 and 5 (a promoter, a detractor: NPS 0),
        timeliness 4 and 2 (3.0); B's page shows none of them."""
        survey = self.env.ref("logistics_crm.survey_relationship")
        questions = {q.logistics_dimension: q for q in survey.question_ids}
        for user, recommend, timeliness in ((self.user_a, 10, 4), (self.user_a2, 5, 2)):
            answer = self.env["survey.user_input"].create(
                {"survey_id": survey.id, "partner_id": user.partner_id.id}
            )
            answer._save_lines(questions["nps"], recommend)
            answer._save_lines(questions["timeliness"], timeliness)
            answer._mark_done()
        self._login(self.user_a)
        tree = html.fromstring(self._get("/my/service").content)
        [block] = tree.xpath("//div[@id='o_logistics_survey_results']")
        text = " ".join(block.text_content().split())
        self.assertIn("Net Promoter Score of your team's answers: 0 Answers: 2", text)
        self.assertIn("Timeliness (1-5) 3.0", text)
        # The results are the contact's to read, their follow-up is not.
        results = self.env["logistics.survey.report"].with_user(self.user_a)
        self.assertEqual(len(results.search([])), 2)
        with self.assertRaises(AccessError):
            results.search([]).read(["follow_up_state"])
        self._login(self.user_b)
        tree = html.fromstring(self._get("/my/service").content)
        self.assertFalse(tree.xpath("//div[@id='o_logistics_survey_results']"))

    def test_pages_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["logistics_crm", "logistics_crm_portal"], ["zh_CN"], overwrite=True
        )
        self.user_a.lang = "zh_CN"
        self._login(self.user_a)
        page = self._get("/my/shipments").text
        self.assertIn("运单", page)
