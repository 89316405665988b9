import base64
import io
import zipfile
from datetime import timedelta

import openpyxl

from odoo.exceptions import AccessError
from odoo.tests import freeze_time, tagged

from .common import LogisticsCrmCase


@freeze_time("2026-03-20 12:00:00")
@tagged("post_install", "-at_install")
class TestKpiReports(LogisticsCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.key = cls.env.ref("logistics_crm.service_tier_key")
        cls.customer.write(
            {"tier_id": cls.key.id, "account_manager_id": cls.manager.id}
        )
        cls.idle = cls.env["res.partner"].create(
            {"name": "No Shipments Ltd", "is_company": True}
        )

    def _deliver(self, shipments_and_times):
        self._ingest(
            [
                {
                    "shipment": shipment.name,
                    "external_id": f"d-{shipment.id}",
                    "code": "delivered",
                    "event_time": moment,
                }
                for shipment, moment in shipments_and_times
            ]
        )

    def _shipment_kpis(self, partner, user=None):
        Report = self.env["logistics.shipment.report"]
        if user:
            Report = Report.with_user(user)
        self.env.flush_all()
        groups = Report._read_group(
            [("partner_id", "=", partner.id)],
            [],
            [
                "shipment_count:sum",
                "on_time_rate:avg",
                "delay_hours:avg",
                "exception_rate:avg",
                "revenue:sum",
            ],
        )
        return groups[0]

    def test_shipment_kpis_on_a_known_set(self):
        # Promised 2026-03-10 12:00 UTC, tolerance 2 h: three on time, one
        # 10 h late, one still in transit with two exceptions.
        on_time, late, in_transit = (
            self._create_shipments(3),
            self._create_shipments(1),
            self._create_shipments(1, state="booked"),
        )
        self._deliver([(shipment, "2026-03-10T13:00:00Z") for shipment in on_time])
        self._deliver([(late, "2026-03-10T22:00:00Z")])
        self.env["logistics.shipment.exception"].create(
            [
                {"shipment_id": in_transit.id, "exception_type": "delay"},
                {"shipment_id": in_transit.id, "exception_type": "damage"},
            ]
        )
        count, on_time_rate, delay, exception_rate, revenue = self._shipment_kpis(
            self.customer
        )
        self.assertEqual(count, 5)
        self.assertAlmostEqual(on_time_rate, 75.0)
        self.assertAlmostEqual(delay, 10.0)
        self.assertAlmostEqual(exception_rate, 100 * 2 / 5)
        self.assertAlmostEqual(revenue, 5000.0)
        # The report equals the ORM's own view of the same shipments.
        delivered = (on_time | late).filtered(lambda s: s.state == "delivered")
        self.assertAlmostEqual(
            on_time_rate,
            100 * len(delivered.filtered("is_on_time")) / len(delivered),
        )

    def test_boundaries_no_shipments_and_all_late(self):
        self.assertEqual(
            self.env["logistics.shipment.report"].search_count(
                [("partner_id", "=", self.idle.id)]
            ),
            0,
        )
        late = self._create_shipments(2)
        self._deliver([(shipment, "2026-03-11T12:00:00Z") for shipment in late])
        _count, on_time_rate, delay, _rate, _revenue = self._shipment_kpis(
            self.customer
        )
        self.assertEqual(on_time_rate, 0.0)
        self.assertAlmostEqual(delay, 24.0)

    def test_on_time_rate_by_tier_and_month(self):
        march = self._create_shipments(2)
        self._deliver([(march[0], "2026-03-10T12:00:00Z")])
        self._deliver([(march[1], "2026-03-12T12:00:00Z")])
        self.env.flush_all()
        groups = self.env["logistics.shipment.report"]._read_group(
            [("partner_id", "=", self.customer.id)],
            ["tier_id", "date:month"],
            ["on_time_rate:avg"],
        )
        self.assertEqual(len(groups), 1)
        tier, month, rate = groups[0]
        self.assertEqual(tier, self.key)
        self.assertEqual((month.year, month.month), (2026, 3))
        self.assertAlmostEqual(rate, 50.0)

    def test_sla_compliance_and_satisfaction(self):
        category = self.env.ref("logistics_crm.logistics_complaint_category_delay")
        complaints = self.env["logistics.complaint"].create(
            [
                {
                    "subject": f"Late {n}",
                    "partner_id": self.customer.id,
                    "contact_id": self.contact.id,
                    "category_id": category.id,
                    "channel": "proactive" if n == 0 else "phone",
                }
                for n in range(2)
            ]
        )
        slas = complaints.sudo().sla_ids
        slas.filtered(lambda s: s.kind == "first_response").write(
            {"status": "met", "consumed_hours": 2.0}
        )
        slas.filtered(
            lambda s: s.kind == "resolution" and s.complaint_id == complaints[0]
        ).write({"status": "breached"})
        slas.filtered(
            lambda s: s.kind == "resolution" and s.complaint_id == complaints[1]
        ).write({"status": "met", "consumed_hours": 6.0})
        for complaint, score in zip(complaints, (5, 1), strict=True):
            complaint.rating_apply(score, token=complaint._rating_get_access_token())
        self.env.flush_all()
        rows = {
            kind: (rate, hours, proactive, satisfaction)
            for kind, rate, hours, proactive, satisfaction in self.env[
                "logistics.complaint.report"
            ]._read_group(
                [("partner_id", "=", self.customer.id)],
                ["kind"],
                [
                    "sla_met_rate:avg",
                    "working_hours:avg",
                    "proactive_share:avg",
                    "satisfaction:avg",
                ],
            )
        }
        self.assertAlmostEqual(rows["first_response"][0], 100.0)
        self.assertAlmostEqual(rows["first_response"][1], 2.0)
        self.assertAlmostEqual(rows["resolution"][0], 50.0)
        self.assertAlmostEqual(rows["resolution"][1], 6.0)
        self.assertAlmostEqual(rows["resolution"][2], 50.0)
        self.assertAlmostEqual(rows["resolution"][3], 50.0)

    def test_complaint_analysis_equals_the_complaints(self):
        """One row per complaint; counts, proactive share and satisfaction
        by category equal what the complaints themselves say."""
        categories = [
            self.env.ref(f"logistics_crm.logistics_complaint_category_{code}")
            for code in ("delay", "damage")
        ]
        shipment = self._create_shipments(1, mode="air")
        complaints = self.env["logistics.complaint"].create(
            [
                {
                    "subject": f"Case {n}",
                    "partner_id": self.customer.id,
                    "category_id": categories[n % 2].id,
                    "shipment_id": shipment.id,
                    "channel": "proactive" if n < 2 else "email",
                }
                for n in range(5)
            ]
        )
        complaints[0].rating_apply(5, token=complaints[0]._rating_get_access_token())
        complaints[2].rating_apply(1, token=complaints[2]._rating_get_access_token())
        self.env.flush_all()
        rows = {
            category: (count, proactive, satisfaction, mode_count)
            for category, count, proactive, satisfaction, mode_count in self.env[
                "logistics.complaint.analysis"
            ]._read_group(
                [("partner_id", "=", self.customer.id), ("mode", "=", "air")],
                ["category_id"],
                [
                    "complaint_count:sum",
                    "proactive_share:avg",
                    "satisfaction:avg",
                    "__count",
                ],
            )
        }
        for category in categories:
            mine = complaints.filtered(lambda c, cat=category: c.category_id == cat)
            count, proactive, satisfaction, mode_count = rows[category]
            self.assertEqual(count, len(mine))
            self.assertEqual(mode_count, len(mine))
            self.assertAlmostEqual(
                proactive,
                100.0
                * len(mine.filtered(lambda c: c.channel == "proactive"))
                / len(mine),
            )
            rated = mine.filtered("rating_last_value")
            if rated:
                self.assertAlmostEqual(
                    satisfaction,
                    100.0
                    * len(rated.filtered(lambda c: c.rating_last_value >= 4))
                    / len(rated),
                )
        # delay: complaints 0, 2, 4 (ratings 5 and 1); damage: 1, 3.
        self.assertEqual(rows[categories[0]][:3], (3, 100.0 / 3, 50.0))

    def test_margin_only_for_managers(self):
        self._create_shipments(1)
        self.env.flush_all()
        Report = self.env["logistics.shipment.report"]
        self.assertNotIn("margin", Report.with_user(self.user).fields_get())
        with self.assertRaises(AccessError):
            Report.with_user(self.user)._read_group([], [], ["margin:sum"])
        self.assertTrue(
            Report.with_user(self.manager)._read_group([], [], ["margin:sum"])
        )
        self.assertTrue(
            Report.with_user(self.user)._read_group([], [], ["revenue:sum"])
        )

    def test_snapshots_are_idempotent(self):
        late = self._create_shipments(2)
        self._deliver([(late[0], "2026-03-10T12:00:00Z")])
        self._deliver([(late[1], "2026-03-12T12:00:00Z")])
        Snapshot = self.env["logistics.kpi.snapshot"]
        Snapshot._take("2026-03-01")
        Snapshot._take("2026-03-15")  # the same month again
        snapshot = Snapshot.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(snapshot), 1)
        self.assertEqual(snapshot.month.isoformat(), "2026-03-01")
        self.assertEqual((snapshot.shipments, snapshot.delivered), (2, 2))
        self.assertAlmostEqual(snapshot.on_time_rate, 50.0)
        self.assertEqual(snapshot.tier_id, self.key)
        # Later edits do not change the frozen month until it is taken again.
        late[1].active = False
        self.assertAlmostEqual(snapshot.on_time_rate, 50.0)
        Snapshot._take("2026-03-01")
        self.assertEqual(snapshot.shipments, 1)
        self.assertEqual(
            [
                row["shipments"]
                for row in self.env["logistics.kpi.snapshot"]._scorecard(self.customer)
            ],
            [1],
        )
        self.assertFalse(Snapshot.search([("partner_id", "=", self.idle.id)]))

    def test_snapshot_growth_retention_and_notification_volume(self):
        self._create_shipments(1, promised_date="2026-02-10 12:00:00", revenue=400)
        self._create_shipments(2, promised_date="2026-03-10 12:00:00", revenue=300)
        newcomer = self.env["res.partner"].create(
            {"name": "New Co", "is_company": True}
        )
        self.env["logistics.shipment"].create(
            {"partner_id": newcomer.id, "promised_date": "2026-03-11 12:00:00"}
        )
        Snapshot = self.env["logistics.kpi.snapshot"]
        Snapshot._take("2026-03-01")
        march = Snapshot.search([("month", "=", "2026-03-01")])
        mine = march.filtered(lambda row: row.partner_id == self.customer)
        self.assertAlmostEqual(mine.revenue_growth, 100 * (600 - 400) / 400)
        self.assertEqual(mine.retention, 100.0)
        theirs = march.filtered(lambda row: row.partner_id == newcomer)
        self.assertEqual(theirs.retention, 0.0)
        self.assertFalse(theirs.revenue_growth)
        self.env.flush_all()
        [(retention,)] = Snapshot._read_group(
            [("id", "in", (mine | theirs).ids)], [], ["retention:avg"]
        )
        self.assertAlmostEqual(retention, 50.0)

    def test_churn_alert_fires_once_per_crossing(self):
        Rule = self.env["logistics.tier.rule"]
        Rule.search([("purpose", "=", "churn")]).action_archive()
        Rule.create(
            {
                "purpose": "churn",
                "metric": "open_exceptions",
                "weight": 1,
                "zero_points_at": 0,
                "full_points_at": 2,
            }
        )
        shipment = self._create_shipments(1)
        churn = self.env.ref("logistics_crm.mail_activity_type_churn_alert")

        def alerts():
            return self.customer.activity_ids.filtered(
                lambda act: act.activity_type_id == churn
            )

        Exception_ = self.env["logistics.shipment.exception"]
        first = Exception_.create(
            {"shipment_id": shipment.id, "exception_type": "delay"}
        )
        self.customer._recompute_churn_risk()
        self.assertAlmostEqual(self.customer.churn_score, 50.0)
        self.assertFalse(self.customer.churn_alert)
        Exception_.create({"shipment_id": shipment.id, "exception_type": "damage"})
        self.customer._recompute_churn_risk()
        self.assertAlmostEqual(self.customer.churn_score, 100.0)
        self.assertTrue(self.customer.churn_alert)
        self.assertEqual(alerts().user_id, self.manager)
        self.customer._recompute_churn_risk()  # still above: no second alert
        self.assertEqual(len(alerts()), 1)
        self.assertIn("Open shipment exceptions", self.customer.churn_breakdown_html)
        first.write({"state": "resolved", "resolution": "Delivered next day"})
        self.customer._recompute_churn_risk()
        self.assertFalse(self.customer.churn_alert)
        alerts().action_done()
        Exception_.create({"shipment_id": shipment.id, "exception_type": "loss"})
        self.customer._recompute_churn_risk()  # a new crossing: a new alert
        self.assertEqual(len(alerts()), 1)
        self.assertTrue(self.customer.churn_alert)

    def test_excel_export(self):
        self.customer.name = "上海光明电子"
        shipments = self._create_shipments(3)
        self._deliver([(shipments[0], "2026-03-10T12:00:00Z")])
        self._deliver([(shipments[1], "2026-03-12T12:00:00Z")])

        def export(user):
            wizard = (
                self.env["logistics.kpi.export"]
                .with_user(user)
                .create(
                    {
                        "date_from": "2026-01-01",
                        "date_to": "2026-03-31",
                        "partner_ids": [(6, 0, self.customer.ids)],
                    }
                )
            )
            wizard.action_export()
            self.assertTrue(wizard.filename.endswith(".xlsx"))
            return base64.b64decode(wizard.file)

        content = export(self.user)
        book = openpyxl.load_workbook(io.BytesIO(content))
        self.assertEqual(
            book.sheetnames,
            [
                "KPI Definitions",
                "Customers",
                "Tiers",
                "Modes",
                "Carriers",
                "Months",
                "Calls by Customer",
                "Calls by Agent",
                "Forecast by Salesperson",
                "Forecast by Mode",
                "Forecast by Month",
                "Win Rate by Salesperson",
                "Win Rate by Mode",
                "Win Rate by Source",
                "NPS by Tier",
                "NPS by Account Manager",
                "NPS by Industry",
                "NPS by Country",
                "Shipments",
            ],
        )
        definitions = book["KPI Definitions"]
        self.assertEqual(definitions["A2"].value, "On-time delivery rate (%)")
        customers = book["Customers"]
        self.assertEqual(customers.freeze_panes, "A2")
        self.assertTrue(customers.auto_filter.ref)
        header = [cell.value for cell in customers[1]]
        self.assertEqual(header[:3], ["Customer", "Shipments", "On-Time Rate (%)"])
        self.assertNotIn("Margin", header, "margin is for managers")
        row = [cell for cell in customers[2]]
        self.assertEqual(row[0].value, "上海光明电子")
        self.assertEqual((row[1].value, row[2].value), (3, 50.0))
        self.assertEqual(row[2].number_format, "0.0")
        detail = book["Shipments"]
        self.assertEqual(detail.max_row, 4)
        self.assertEqual(
            {detail.cell(r, 3).value for r in range(2, 5)}, {"上海光明电子"}
        )
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            self.assertIn("xl/charts/chart1.xml", archive.namelist())
        manager_header = [
            cell.value
            for cell in openpyxl.load_workbook(io.BytesIO(export(self.manager)))[
                "Customers"
            ][1]
        ]
        self.assertIn("Margin", manager_header)

    def test_monthly_scorecards_mailed_to_account_managers(self):
        self._create_shipments(1, promised_date="2026-02-10 12:00:00")
        before = self.env["mail.mail"].search([])
        self.env["logistics.kpi.export.job"]._cron_send_scorecards()
        mails = self.env["mail.mail"].search([]) - before
        mine = mails.filtered(lambda mail: mail.res_id == self.customer.id)
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine.recipient_ids, self.manager.partner_id)
        attachment = mine.attachment_ids
        self.assertTrue(attachment.name.endswith(".xlsx"))
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))
        self.assertIn("Customers", book.sheetnames)
        self.assertNotIn("Shipments", book.sheetnames)
        self.assertEqual(book["Customers"]["B2"].value, 1)

    def test_key_customer_discovery(self):
        industry = self.env["res.partner.industry"].create({"name": "Electronics"})
        peers = self.env["res.partner"].create(
            [
                {"name": f"Peer {n}", "is_company": True, "industry_id": industry.id}
                for n in range(2)
            ]
        )
        self.customer.industry_id = industry
        # Key; Strategic starts at 80
        self.customer.logistics_score_id = self.env["logistics.customer.score"].create(
            {"partner_id": self.customer.id, "tier_score": 75.0}
        )
        # The view dates by the database clock, not the frozen test clock.
        self.env.cr.execute("SELECT (now() AT TIME ZONE 'UTC')::timestamp(0)")
        db_now = self.env.cr.fetchone()[0]
        this_year = db_now - timedelta(days=30)
        last_year = db_now - timedelta(days=400)
        Shipment = self.env["logistics.shipment"]
        for partner in peers:
            Shipment.create(
                {
                    "partner_id": partner.id,
                    "mode": "air",
                    "promised_date": this_year,
                    "revenue": 100,
                }
            )
        # The customer: sea only, 3000 this year against 1000 the year before.
        self._create_shipments(3, promised_date=this_year, mode="sea_fcl")
        self._create_shipments(1, promised_date=last_year, mode="sea_fcl")
        self.env.flush_all()
        row = self.env["logistics.customer.discovery"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(
            row.next_tier_id, self.env.ref("logistics_crm.service_tier_strategic")
        )
        self.assertAlmostEqual(row.points_to_next_tier, 5.0)
        self.assertAlmostEqual(row.revenue_growth, 200.0)
        self.assertEqual(row.missing_modes, "air")
        self.assertEqual(row.cross_sell_hint, "Air")

    def test_large_export_runs_in_the_background(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "logistics_crm.export_background_rows", "2"
        )
        self._create_shipments(3)
        wizard = (
            self.env["logistics.kpi.export"]
            .with_user(self.user)
            .create(
                {
                    "date_from": "2026-01-01",
                    "date_to": "2026-03-31",
                    "partner_ids": [(6, 0, self.customer.ids)],
                }
            )
        )
        action = wizard.action_export()
        self.assertEqual(action["tag"], "display_notification")
        self.assertFalse(wizard.file)
        job = self.env["logistics.kpi.export.job"].search(
            [("user_id", "=", self.user.id)]
        )
        self.assertEqual(job.state, "queued")
        self._run_cron("logistics_crm.ir_cron_kpi_export_jobs")
        self.assertEqual(job.state, "done")
        book = openpyxl.load_workbook(
            io.BytesIO(base64.b64decode(job.attachment_id.datas))
        )
        self.assertEqual(book["Shipments"].max_row, 4)
        message = job.message_ids.filtered("attachment_ids")
        self.assertEqual(message.attachment_ids, job.attachment_id)
        self.assertIn(self.user.partner_id, message.partner_ids)
