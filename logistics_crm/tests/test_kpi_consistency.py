import io
import re
from datetime import date, datetime, timedelta

import openpyxl

from odoo.tests import freeze_time, tagged
from odoo.tools import SQL

from odoo.addons.logistics_crm.models.scorecard_chart import scorecard_chart

from .common import LogisticsCrmCase

AUGUST = date(2026, 8, 1)
SEPTEMBER = datetime(2026, 9, 1)
# August and July both have 31 days: a 31-day window ending on 1 September is
# the calendar month, and the window before it is the month before.
ONE_MONTH = timedelta(days=31)


@freeze_time("2026-09-15 12:00:00")
@tagged("post_install", "-at_install")
class TestKpiConsistency(LogisticsCrmCase):
    """Every KPI of one customer and one month, computed through every path
    that shows it, is the same number: the reports (and the pivots that read
    them), the Excel export, the monthly snapshot (and the scorecard and the
    portal's service page that read it), the tier metrics and the churn
    signal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # August: two shipments on time, one 24 h late, one still booked with
        # an exception; July: two shipments, half August's revenue.
        august = cls._create_shipments(4, promised_date="2026-08-10 12:00:00")
        cls._create_shipments(2, promised_date="2026-07-10 12:00:00", state="delivered")
        cls.env["logistics.shipment.event"].ingest_events(
            [
                {
                    "shipment": shipment.name,
                    "external_id": f"d-{shipment.id}",
                    "code": "delivered",
                    "event_time": moment,
                }
                for shipment, moment in zip(
                    august[:3],
                    (
                        "2026-08-10T13:00:00Z",
                        "2026-08-10T13:00:00Z",
                        "2026-08-11T12:00:00Z",
                    ),
                    strict=True,
                )
            ]
        )
        cls.env["logistics.shipment.exception"].create(
            {"shipment_id": august[3].id, "exception_type": "delay"}
        )
        category = cls.env.ref("logistics_crm.logistics_complaint_category_delay")
        # Two of the three came by phone: one on a direct line, one through
        # the call center.
        cls.complaints = cls.env["logistics.complaint"].create(
            [
                {
                    "subject": f"August {n}",
                    "partner_id": cls.customer.id,
                    "contact_id": cls.contact.id,
                    "category_id": category.id,
                    "channel": channel,
                }
                for n, channel in enumerate(("phone", "call_center", "email"))
            ]
        )
        first, second, _unrated = cls.complaints
        slas = cls.complaints.sudo().sla_ids
        for complaint, first_response, resolution in (
            (first, "met", "breached"),
            (second, "met", "met"),
        ):
            for sla in slas.filtered(lambda s, c=complaint: s.complaint_id == c):
                sla.status = (
                    first_response if sla.kind == "first_response" else resolution
                )
        # The first ticket was rated happy, then unhappy: its latest rating
        # counts, not both.
        for complaint, score in ((first, 5), (second, 4), (first, 2)):
            cls.env["rating.rating"].sudo().create(
                {
                    "res_model_id": cls.env["ir.model"]._get_id("logistics.complaint"),
                    "res_id": complaint.id,
                    "partner_id": cls.contact.id,
                    "rating": score,
                    "consumed": True,
                }
            )
        cls.env.flush_all()
        # Complaints and ratings are dated by the database clock: put them in
        # August, the ratings in the order they were given.
        cls.env.cr.execute(
            SQL(
                "UPDATE logistics_complaint SET create_date = %s WHERE id IN %s",
                datetime(2026, 8, 12),
                tuple(cls.complaints.ids),
            )
        )
        cls.env.cr.execute(
            SQL(
                """UPDATE rating_rating
                      SET write_date = %s + id * interval '1 minute'
                    WHERE res_model = 'logistics.complaint' AND res_id IN %s""",
                datetime(2026, 8, 13),
                tuple(cls.complaints.ids),
            )
        )
        cls.env.invalidate_all()
        cls._create_calls()
        Snapshot = cls.env["logistics.kpi.snapshot"]
        Snapshot._take(AUGUST - timedelta(days=31))
        Snapshot._take(AUGUST)

    @classmethod
    def _create_calls(cls):
        """August's calls of the customer: four held (three inbound, two of
        them resolved at first contact; 10, 20, 6 and 4 minutes) by two
        agents, and calls that must not count: cancelled, still scheduled,
        archived, held in July, another customer's."""
        cls.agent = cls.user
        cls.other_agent = cls.manager
        cls.other_caller = cls.env["res.partner"].create(
            {"name": "Other Caller Co.", "is_company": True}
        )
        a, b = cls.agent, cls.other_agent
        us, other = cls.contact, cls.other_caller
        specs = [
            # (agent, caller, direction, day, state, minutes, resolved, active)
            (a, us, "in", "2026-08-03", "done", 10, True, True),
            (a, us, "in", "2026-08-04", "done", 20, False, True),
            (b, us, "in", "2026-08-05", "done", 6, True, True),
            (b, us, "out", "2026-08-06", "done", 4, True, True),
            (a, us, "in", "2026-08-07", "cancel", 0, True, True),
            (a, us, "in", "2026-08-08", "open", 0, False, True),
            (a, us, "in", "2026-08-09", "done", 90, False, False),
            (a, us, "in", "2026-07-20", "done", 50, False, True),
            (a, other, "out", "2026-08-10", "done", 70, False, True),
        ]
        Call = cls.env["crm.phonecall"]
        cls.calls = Call
        for agent, caller, direction, day, state, minutes, resolved, active in specs:
            call = Call.create(
                {
                    "name": f"Call {day}",
                    "partner_id": caller.id,
                    "user_id": agent.id,
                    "direction": direction,
                    "date": f"{day} 09:00:00",
                    "first_contact_resolved": resolved,
                }
            )
            # OCA's write recomputes the duration from the call's date when
            # the call is held, unless the duration comes with the state.
            call.write({"state": state, "duration": minutes})
            if not active:
                call.active = False
            cls.calls |= call
        cls.env.flush_all()

    def _report(self, model, aggregates):
        [values] = self.env[model]._read_group(
            [
                ("partner_id", "=", self.customer.id),
                ("date", ">=", AUGUST),
                ("date", "<", SEPTEMBER),
            ],
            [],
            aggregates,
        )
        return values if isinstance(values, tuple) else (values,)

    def _snapshot(self, month):
        return self.env["logistics.kpi.snapshot"].search(
            [("partner_id", "=", self.customer.id), ("month", "=", month)]
        )

    def _metrics(self, codes, window=ONE_MONTH, when=SEPTEMBER):
        return self.env["logistics.customer.metrics"]._metric_values(
            self.customer.ids, when, codes, window=window
        )[self.customer.id]

    def _exported(self, sheet_name="Customers"):
        """A sheet by customer of the Excel export of August, as a manager
        (who sees the margin): {column title: value} of the customer's row."""
        content = (
            self.env["logistics.kpi.workbook"]
            .with_user(self.manager)
            ._build(AUGUST, date(2026, 8, 31), self.customer.ids, False)
        )
        sheet = openpyxl.load_workbook(io.BytesIO(content))[sheet_name]
        header, row = (
            [cell.value for cell in line] for line in sheet.iter_rows(max_row=2)
        )
        return dict(zip(header, row, strict=True))

    def test_every_path_gives_the_same_figures(self):
        on_time, exception_rate, margin_rate = self._report(
            "logistics.shipment.report",
            ["on_time_rate:avg", "exception_rate:avg", "margin_rate:avg"],
        )
        satisfaction, dissatisfaction = self._report(
            "logistics.complaint.analysis",
            ["satisfaction:avg", "dissatisfaction:avg"],
        )
        (sla_met,) = self._report("logistics.complaint.report", ["sla_met_rate:avg"])
        (phone_share,) = self._report(
            "logistics.complaint.analysis", ["phone_complaint_share:avg"]
        )
        calls, fcr, handling = self._report(
            "logistics.call.report",
            ["call_count:sum", "fcr_rate:avg", "handling_minutes:avg"],
        )
        expected = {
            "on_time_rate": 200 / 3,
            "exception_rate": 25.0,
            "margin_rate": 20.0,
            "satisfaction": 50.0,
            "dissatisfaction": 50.0,
            "sla_met_rate": 75.0,
            "complaint_rate": 75.0,
            "revenue_growth": 100.0,
            "phone_complaint_share": 200 / 3,
            "calls": 4,
            "fcr_rate": 200 / 3,
            "avg_handling_minutes": 10.0,
        }
        reports = {
            "on_time_rate": on_time,
            "exception_rate": exception_rate,
            "margin_rate": margin_rate,
            "satisfaction": satisfaction,
            "dissatisfaction": dissatisfaction,
            "sla_met_rate": sla_met,
            "phone_complaint_share": phone_share,
            "calls": calls,
            "fcr_rate": fcr,
            "avg_handling_minutes": handling,
        }
        snapshot = self._snapshot(AUGUST)
        snapshots = {
            code: snapshot[code]
            for code in (
                "on_time_rate",
                "exception_rate",
                "satisfaction",
                "sla_met_rate",
                "complaint_rate",
                "revenue_growth",
                "phone_complaint_share",
                "calls",
                "fcr_rate",
                "avg_handling_minutes",
            )
        }
        [scorecard] = [
            row
            for row in self.env["logistics.kpi.snapshot"]._scorecard(self.customer)
            if row["month"] == AUGUST
        ]
        tier_metrics = self._metrics(
            [
                "on_time_rate",
                "exception_rate",
                "margin_rate",
                "satisfaction",
                "complaint_rate",
                "revenue_growth",
            ]
        )
        churn = self._metrics(["dissatisfaction"])
        exported = self._exported()
        exported_calls = self._exported("Calls by Customer")
        paths = {
            "report": reports,
            "snapshot": snapshots,
            "scorecard": {
                code: scorecard[code]
                for code in (
                    "on_time_rate",
                    "sla_met_rate",
                    "satisfaction",
                    "phone_complaint_share",
                    "calls",
                    "fcr_rate",
                    "avg_handling_minutes",
                )
            },
            "tier metric": tier_metrics,
            "churn signal": churn,
            "excel export": {
                "on_time_rate": exported["On-Time Rate (%)"],
                "exception_rate": exported["Exceptions per 100 Shipments"],
                "margin_rate": exported["Margin Rate (%)"],
                "calls": exported_calls["Calls Held"],
                "fcr_rate": exported_calls["First-Contact Resolution (%)"],
                "avg_handling_minutes": exported_calls["Average Handling Time (min)"],
            },
        }
        for path, figures in paths.items():
            for code, value in figures.items():
                with self.subTest(path=path, kpi=code):
                    self.assertAlmostEqual(value, expected[code], places=6)

    def test_a_kpi_without_denominator_is_empty(self):
        """July had shipments but no complaint: its SLA compliance,
        satisfaction and share of complaints by phone are empty, not 0 %, on
        the scorecard and in the chart; its one held inbound call, not
        resolved at first contact, is a real 0 %;
        the tier metrics of a window without ratings are empty too, while a
        complaint rate with shipments and no complaint is a real 0."""
        july = self._snapshot(AUGUST - timedelta(days=31))
        self.assertEqual(july.shipments, 2)
        [row] = [
            row
            for row in self.env["logistics.kpi.snapshot"]._scorecard(self.customer)
            if row["month"] == july.month
        ]
        self.assertIsNone(row["sla_met_rate"])
        self.assertIsNone(row["satisfaction"])
        self.assertIsNone(row["phone_complaint_share"])
        self.assertEqual(
            (row["calls"], row["fcr_rate"], row["avg_handling_minutes"]),
            (1, 0.0, 50.0),
        )
        # The chart skips the empty month rather than drawing it at 0 %.
        chart = scorecard_chart(
            self.env["logistics.kpi.snapshot"]._scorecard(self.customer)
        )
        sla_points = chart["series"]["sla_met_rate"]["points"]
        self.assertEqual([value for _x, _y, value in sla_points], [75.0])
        # The back office's table: July's SLA compliance, satisfaction and
        # share by phone are dashes, and so are its NPS and service score
        # (no survey answered); August's rates are figures.
        html = str(self.customer.logistics_scorecard_chart)
        july_row, august_row = re.findall(
            r"<tr>\s*<td>2026-0[78]</td>.*?</tr>", html, re.S
        )
        self.assertEqual(len(re.findall(r">\s*-\s*<", july_row)), 5)
        self.assertIn("0.0 %", july_row)
        self.assertIn("75.0 %", august_row)
        self.assertIn("50.0 %", august_row)
        self.assertIn("66.7 %", august_row)
        self.assertIn("10.0", august_row)
        metrics = self._metrics(
            ["satisfaction", "complaint_rate", "shipments_12m"],
            when=datetime(2026, 8, 1),
        )
        self.assertIsNone(metrics["satisfaction"])
        self.assertEqual(metrics["complaint_rate"], 0.0)
        self.assertEqual(metrics["shipments_12m"], 2)

    def test_calls_per_agent(self):
        """The report grouped by agent and the export's agents sheet: each
        agent's held calls, first-contact resolution and handling time."""
        groups = self.env["logistics.call.report"]._read_group(
            [
                ("partner_id", "=", self.customer.id),
                ("date", ">=", AUGUST),
                ("date", "<", SEPTEMBER),
            ],
            ["user_id"],
            ["call_count:sum", "fcr_rate:avg", "handling_minutes:avg"],
        )
        expected = {
            self.agent: (2, 50.0, 15.0),
            self.other_agent: (2, 100.0, 5.0),
        }
        self.assertEqual({agent: tuple(values) for agent, *values in groups}, expected)
        content = (
            self.env["logistics.kpi.workbook"]
            .with_user(self.manager)
            ._build(AUGUST, date(2026, 8, 31), self.customer.ids, False)
        )
        sheet = openpyxl.load_workbook(io.BytesIO(content))["Calls by Agent"]
        rows = {
            name: tuple(values)
            for name, *values in sheet.iter_rows(min_row=2, values_only=True)
        }
        self.assertEqual(
            rows, {agent.name: figures for agent, figures in expected.items()}
        )

    def test_calls_alone_make_a_snapshot(self):
        """A customer whose only activity of the month is a held outbound
        call has a snapshot: one call, its handling time, and no
        first-contact resolution (no inbound call), empty rather than 0 %."""
        snapshot = self.env["logistics.kpi.snapshot"].search(
            [("partner_id", "=", self.other_caller.id), ("month", "=", AUGUST)]
        )
        self.assertEqual((snapshot.calls, snapshot.shipments), (1, 0))
        self.assertEqual(snapshot.avg_handling_minutes, 70.0)
        [row] = self.env["logistics.kpi.snapshot"]._scorecard(self.other_caller)
        self.assertIsNone(row["fcr_rate"])
        self.assertIsNone(row["phone_complaint_share"])
        self.assertEqual(row["avg_handling_minutes"], 70.0)

    def test_breakdown_shows_empty_metrics_as_a_dash(self):
        rule = self.env["logistics.tier.rule"].create(
            {
                "metric": "satisfaction",
                "weight": 1,
                "zero_points_at": 0,
                "full_points_at": 100,
            }
        )
        score, breakdown = rule._scorer()({"satisfaction": None})
        self.assertEqual(score, 0.0)
        self.assertIsNone(breakdown[0]["value"])
        idle = self.env["res.partner"].create({"name": "Idle Co", "is_company": True})
        idle.logistics_score_id = self.env["logistics.customer.score"].create(
            {"partner_id": idle.id, "tier_breakdown": breakdown}
        )
        html = str(idle.tier_breakdown_html)
        self.assertIn("Satisfaction", html)
        self.assertRegex(html, r"<td class=\"text-end\">\s*-\s*</td>")
