import re
from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, freeze_time, new_test_user, tagged

from .common import LogisticsCrmCase

CJK = re.compile(r"[\u4e00-\u9fff]")


@tagged("post_install", "-at_install")
class TestQuotes(LogisticsCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team_a = cls.env["crm.team"].create({"name": "Asia desk"})
        cls.team_b = cls.env["crm.team"].create({"name": "Europe desk"})
        cls.seller = new_test_user(
            cls.env,
            login="lcrm_seller",
            groups="sales_team.group_sale_salesman",
        )
        cls.teammate = new_test_user(
            cls.env, login="lcrm_teammate", groups="sales_team.group_sale_salesman"
        )
        cls.stranger = new_test_user(
            cls.env, login="lcrm_stranger", groups="sales_team.group_sale_salesman"
        )
        cls.team_a.member_ids = cls.seller | cls.teammate
        cls.team_b.member_ids = cls.stranger
        cls.prospect = cls.env["res.partner"].create(
            {"name": "Prospect Trading", "is_company": True}
        )
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Shanghai-Rotterdam tender",
                "type": "opportunity",
                "partner_id": cls.prospect.id,
                "user_id": cls.seller.id,
                "team_id": cls.team_a.id,
                "logistics_contract_months": 6,
                "logistics_special_handling": "Keep dry",
                "logistics_cargo_category_ids": [
                    (4, cls.env.ref("logistics_crm.cargo_category_general").id)
                ],
            }
        )
        cn, nl = cls.env.ref("base.cn"), cls.env.ref("base.nl")
        cls.lanes = cls.env["logistics.lane"].create(
            [
                {
                    "lead_id": cls.lead.id,
                    "origin_country_id": cn.id,
                    "origin_city": "Shanghai",
                    "destination_country_id": nl.id,
                    "destination_city": "Rotterdam",
                    "mode": "sea_fcl",
                    "volume_quantity": 2,
                    "volume_unit": "teu",
                    "frequency": "week",
                    "rate": 1000,
                },
                {
                    "lead_id": cls.lead.id,
                    "origin_country_id": cn.id,
                    "origin_city": "Shenzhen",
                    "destination_country_id": nl.id,
                    "destination_city": "Amsterdam",
                    "mode": "air",
                    "volume_quantity": 3,
                    "volume_unit": "shipment",
                    "frequency": "month",
                    "rate": 500,
                },
            ]
        )

    def _quote(self):
        action = self.lead.action_new_logistics_quote()
        return self.env["logistics.quote"].browse(action["res_id"])

    def test_expected_revenue_from_lanes(self):
        # 2 TEU a week = 104 a year, 3 shipments a month = 36, over 6 months.
        self.assertEqual(self.lanes[0].annual_volume, 104)
        self.assertEqual(self.lanes[1].annual_volume, 36)
        self.assertAlmostEqual(
            self.lead.expected_revenue, 104 * 1000 / 2 + 36 * 500 / 2
        )
        self.lead.logistics_contract_months = 12
        self.assertAlmostEqual(self.lead.expected_revenue, 104 * 1000 + 36 * 500)
        self.lead.write({"logistics_revenue_manual": True, "expected_revenue": 99000})
        self.lanes[0].rate = 2000
        self.assertEqual(self.lead.expected_revenue, 99000)
        self.lead.logistics_revenue_manual = False
        self.assertAlmostEqual(self.lead.expected_revenue, 104 * 2000 + 36 * 500)

    def test_expected_revenue_of_an_opportunity_created_with_its_lanes(self):
        # Through the API, in one create: no form onchange computes it first.
        lane = self.lanes[0].copy_data({"lead_id": False})[0]
        lead = self.env["crm.lead"].create(
            {
                "name": "API tender",
                "type": "opportunity",
                "partner_id": self.prospect.id,
                "logistics_lane_ids": [(0, 0, lane)],
            }
        )
        self.assertAlmostEqual(lead.logistics_lane_revenue, 104 * 1000)
        self.assertAlmostEqual(lead.expected_revenue, 104 * 1000)
        # A revenue typed in at creation is kept, lanes or not.
        typed = self.env["crm.lead"].create(
            {
                "name": "API tender, typed",
                "logistics_revenue_manual": True,
                "expected_revenue": 5000,
                "logistics_lane_ids": [(0, 0, lane)],
            }
        )
        self.assertEqual(typed.expected_revenue, 5000)
        bare = self.env["crm.lead"].create({"name": "No lanes", "expected_revenue": 7})
        self.assertEqual(bare.expected_revenue, 7)
        self.assertEqual(
            self.env["crm.lead"].create({"name": "Empty"}).expected_revenue, 0
        )

    def test_tender_deadline_plans_an_activity(self):
        self.lead.logistics_tender_deadline = date(2030, 5, 10)
        self.lead.logistics_tender_deadline = date(2030, 5, 20)
        tender = self.env.ref("logistics_crm.mail_activity_type_tender_deadline")
        activity = self.lead.activity_ids.filtered(
            lambda act: act.activity_type_id == tender
        )
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.date_deadline, date(2030, 5, 17))
        self.assertEqual(activity.user_id, self.seller)

    def test_quote_lines_estimate_and_versions(self):
        quote = self._quote()
        freight = quote.line_ids.filtered(lambda line: line.lane_id == self.lanes[0])
        self.assertEqual(freight.quantity, 52)  # 104 TEU a year, 6 months
        self.assertEqual(freight.rate_basis, "teu")
        self.env["logistics.quote.line"].create(
            {
                "quote_id": quote.id,
                "line_type": "surcharge",
                "surcharge_type": "fuel",
                "parent_id": freight.id,
                "rate": 50,
            }
        )
        self.assertAlmostEqual(quote.amount_total, 52 * 1000 + 18 * 500 + 52 * 50)
        quote.action_mark_sent()
        action = quote.action_revise()
        revision = quote.browse(action["res_id"])
        self.assertEqual((revision.name, revision.version), (quote.name, 2))
        self.assertEqual(revision.previous_version_id, quote)
        self.assertEqual(quote.state, "superseded")
        self.assertEqual(len(revision.line_ids), 3)
        with self.assertRaises(UserError):
            quote.validity_date = date(2030, 1, 1)
        with self.assertRaises(UserError):
            quote.line_ids[0].rate = 1
        revision.line_ids[0].rate = 900  # the new version is a draft

    def test_expiry_cron(self):
        with freeze_time("2026-04-01"):
            quote = self._quote()
            quote.action_mark_sent()
        with freeze_time("2026-05-15"):
            self.env["logistics.quote"]._cron_expire()
            self.assertEqual(quote.state, "expired")
            with self.assertRaises(UserError):
                quote.action_accept("Too Late")

    def test_pdf_in_english_and_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["logistics_crm"], ["zh_CN"])
        quote = self._quote()
        report = self.env["ir.actions.report"]
        html, _kind = report._render_qweb_pdf(
            "logistics_crm.logistics_quote_report_action", quote.ids
        )
        self.assertIn(b"Freight Quote", html)
        self.assertNotRegex(html.decode(), CJK)
        self.assertIn(b"Shanghai", html)
        self.prospect.lang = "zh_CN"
        html, _kind = report._render_qweb_pdf(
            "logistics_crm.logistics_quote_report_action", quote.ids
        )
        self.assertRegex(html.decode(), CJK, "the Chinese customer gets Chinese")

    def test_send_attaches_the_pdf(self):
        self.prospect.email = "buyer@prospect.example.com"
        quote = self._quote()
        action = quote.action_send()
        composer = Form(
            self.env[action["res_model"]].with_context(**action["context"])
        ).save()
        composer.action_send_mail()
        self.assertEqual(quote.state, "sent")
        message = quote.message_ids.filtered("attachment_ids")[:1]
        self.assertTrue(message)
        self.assertIn(quote.name, message.attachment_ids.name)
        self.assertIn(self.prospect, message.partner_ids)

    def test_won_makes_the_customer_once(self):
        quote = self._quote()
        quote.action_mark_sent()
        with freeze_time("2026-06-01 10:00:00"):
            quote.action_accept("Wang Fang", "203.0.113.5")
        self.assertEqual(quote.accepted_by, "Wang Fang")
        self.assertEqual(quote.accepted_ip, "203.0.113.5")
        self.lead.action_set_won()
        # Reopened and won again: nothing is copied twice.
        self.lead.stage_id = self.env["crm.stage"].search(
            [("is_won", "=", False)], limit=1
        )
        self.lead.action_set_won()
        lanes = self.prospect.logistics_lane_ids
        self.assertEqual(len(lanes), 2)
        self.assertEqual(lanes.source_lane_id, self.lanes)
        sea = lanes.filtered(lambda lane: lane.mode == "sea_fcl")
        self.assertEqual(sea.quote_line_id.quote_id, quote)
        self.assertEqual(sea.rate, 1000)
        self.assertEqual(self.prospect.customer_since, date(2026, 6, 1))
        self.assertEqual(self.prospect.logistics_special_handling, "Keep dry")
        self.assertTrue(self.prospect.cargo_category_ids)

    def test_won_without_a_partner_creates_the_company(self):
        lead = self.env["crm.lead"].create(
            {"name": "Inbound", "type": "opportunity", "partner_name": "New Freight Co"}
        )
        lead.action_set_won()
        self.assertEqual(lead.partner_id.name, "New Freight Co")
        self.assertTrue(lead.partner_id.is_company)
        self.assertTrue(lead.partner_id.customer_since)

    def test_salespeople_see_their_own_and_their_teams_quotes(self):
        quote = self._quote()
        Quote = self.env["logistics.quote"]
        self.assertIn(quote, Quote.with_user(self.seller).search([]))
        self.assertIn(quote, Quote.with_user(self.teammate).search([]))
        self.assertNotIn(quote, Quote.with_user(self.stranger).search([]))
        with self.assertRaises(AccessError):
            quote.with_user(self.stranger).read(["name"])
        self.assertIn(quote, Quote.with_user(self.manager).search([]))
