from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from . import logistics_kpi as kpi
from .logistics_kpi import kpi_help
from .logistics_selections import MANAGER_GROUP
from .scorecard_chart import scorecard_chart

SNAPSHOT_COLUMNS = (
    "tier_id",
    "service_breadth",
    "shipments",
    "delivered",
    "on_time_rate",
    "avg_delay_hours",
    "exception_rate",
    "complaints",
    "complaint_rate",
    "sla_met_rate",
    "satisfaction",
    "revenue",
    "revenue_growth",
    "retention",
    "notifications",
    "margin",
    "profit_contribution",
    "days_paid_late",
    "late_payment_share",
    "calls",
    "fcr_rate",
    "avg_handling_minutes",
    "phone_complaint_share",
    "survey_answers",
    "nps",
    "survey_score",
)
SCORECARD_RATES = (
    "on_time_rate",
    "sla_met_rate",
    "satisfaction",
    "phone_complaint_share",
    "fcr_rate",
)
# Means that, like the rates, are empty in a month without a denominator.
SCORECARD_MEANS = ("avg_handling_minutes", "nps", "survey_score")


class LogisticsKpiSnapshot(models.Model):
    """A customer's KPIs for one closed month, frozen so that trends survive
    later edits and archived data. One row per customer and month: taking a
    month again replaces it."""

    _name = "logistics.kpi.snapshot"
    _description = "Customer KPI Snapshot"
    _order = "month desc, partner_id"
    _rec_name = "month"

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
    )
    month = fields.Date(required=True, help="First day of the month.")
    tier_id = fields.Many2one(comodel_name="logistics.service.tier", string="Tier Then")
    shipments = fields.Integer()
    delivered = fields.Integer()
    on_time_rate = fields.Float(
        string="On-Time Rate (%)", aggregator="avg", help=kpi_help("on_time_rate")
    )
    avg_delay_hours = fields.Float(
        string="Average Delay (h)", aggregator="avg", help=kpi_help("avg_delay_hours")
    )
    exception_rate = fields.Float(
        string="Exceptions per 100 Shipments",
        aggregator="avg",
        help=kpi_help("exception_rate"),
    )
    complaints = fields.Integer()
    complaint_rate = fields.Float(
        string="Complaints per 100 Shipments",
        aggregator="avg",
        help=kpi_help("complaint_rate"),
    )
    sla_met_rate = fields.Float(
        string="SLA Compliance (%)", aggregator="avg", help=kpi_help("sla_met_rate")
    )
    satisfaction = fields.Float(
        string="Satisfaction (%)", aggregator="avg", help=kpi_help("satisfaction")
    )
    phone_complaint_share = fields.Float(
        string="Complaints by Phone (%)",
        aggregator="avg",
        help=kpi_help("phone_complaint_share"),
    )
    calls = fields.Integer(string="Calls Held", help=kpi_help("calls_count"))
    service_breadth = fields.Integer(
        aggregator="avg",
        help=kpi_help("service_breadth"),
    )
    fcr_rate = fields.Float(
        string="First-Contact Resolution (%)",
        aggregator="avg",
        help=kpi_help("fcr_rate"),
    )
    avg_handling_minutes = fields.Float(
        string="Average Handling Time (min)",
        aggregator="avg",
        help=kpi_help("avg_handling_minutes"),
    )
    survey_answers = fields.Integer()
    nps = fields.Float(string="NPS", aggregator="avg", help=kpi_help("nps"))
    survey_score = fields.Float(
        string="Service Score (1-5)",
        aggregator="avg",
        help="The mean of the relationship survey's service scores answered "
        "in the month.",
    )
    revenue = fields.Float()
    revenue_growth = fields.Float(
        string="Revenue Growth (%)",
        aggregator="avg",
        help=kpi_help("revenue_growth"),
    )
    retention = fields.Float(
        string="Retention (%)",
        aggregator="avg",
        help=kpi_help("retention"),
    )
    notifications = fields.Integer(help=kpi_help("notification_volume"))
    margin = fields.Float(groups=MANAGER_GROUP)
    profit_contribution = fields.Float(
        groups=MANAGER_GROUP, help=kpi_help("profit_contribution")
    )
    days_paid_late = fields.Float(
        aggregator="avg",
        groups=MANAGER_GROUP,
        help=kpi_help("days_paid_late"),
    )
    late_payment_share = fields.Float(
        string="Invoices Paid Late (%)",
        aggregator="avg",
        groups=MANAGER_GROUP,
        help=kpi_help("late_payment_share"),
    )

    _month_unique = models.UniqueIndex(
        "(partner_id, month)", "A customer has one snapshot per month."
    )

    @api.model
    def _cron_take_snapshots(self):
        """Freeze the month that just closed."""
        today = fields.Date.context_today(self)
        self._take(today.replace(day=1) - relativedelta(months=1))

    @api.model
    def _take(self, month):
        """Snapshot every customer active in ``month`` (shipments promised,
        complaints opened, calls held or relationship surveys answered in
        it), in one statement; an
        existing snapshot of the month is replaced, never duplicated."""
        start = fields.Date.to_date(month).replace(day=1)
        stop = start + relativedelta(months=1)
        for model in ("logistics.shipment", "logistics.complaint"):
            self.env[model].flush_model()
        self.env["logistics.complaint.sla"].flush_model()
        self.env["rating.rating"].flush_model()
        self.env["logistics.notification.log"].flush_model()
        self.env["crm.phonecall"].flush_model()
        for model in ("survey.user_input", "survey.user_input.line"):
            self.env[model].flush_model()
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        for model in ("sale.order", "sale.order.line", "logistics.service.line"):
            self.env[model].flush_model()
        for model in ("account.move", "account.move.line", "account.partial.reconcile"):
            self.env[model].flush_model()
        updates = SQL(", ").join(
            SQL("%s = EXCLUDED.%s", SQL.identifier(column), SQL.identifier(column))
            for column in (*SNAPSHOT_COLUMNS, "write_date", "write_uid")
        )
        self.env.cr.execute(
            SQL(
                """
                WITH shipments AS (
                     SELECT s.partner_id,
                            count(*) AS shipments,
                            count(*) FILTER (WHERE s.state = 'delivered') AS delivered,
                            avg(%(on_time)s) AS on_time_rate,
                            avg(%(delay)s) AS avg_delay,
                            avg(%(exceptions)s) AS exception_rate,
                            coalesce(sum(s.revenue), 0) AS revenue,
                            coalesce(sum(s.margin), 0) AS margin,
                            coalesce(sum(%(contribution)s), 0) AS contribution
                       FROM logistics_shipment s
                  LEFT JOIN (SELECT shipment_id, count(*) AS count
                               FROM logistics_shipment_exception
                              GROUP BY shipment_id) x ON x.shipment_id = s.id
                      WHERE %(counted)s
                        AND s.promised_date >= %(start)s AND s.promised_date < %(stop)s
                      GROUP BY s.partner_id
                ), before AS (
                     SELECT s.partner_id, coalesce(sum(s.revenue), 0) AS revenue
                       FROM logistics_shipment s
                      WHERE %(counted)s
                        AND s.promised_date >= %(previous)s
                        AND s.promised_date < %(start)s
                      GROUP BY s.partner_id
                ), notified AS (
                     SELECT shipment.partner_id, count(*) AS notifications
                       FROM logistics_notification_log log
                       JOIN logistics_shipment shipment ON shipment.id = log.shipment_id
                      WHERE log.event_date >= %(start)s AND log.event_date < %(stop)s
                        AND log.state != 'cancelled'
                      GROUP BY shipment.partner_id
                ), complaints AS (
                     SELECT c.partner_id,
                            count(DISTINCT c.id) AS complaints,
                            avg(%(sla_met)s) AS sla_met_rate
                       FROM logistics_complaint c
                  LEFT JOIN logistics_complaint_sla sla ON sla.complaint_id = c.id
                      WHERE c.active
                        AND c.create_date >= %(start)s AND c.create_date < %(stop)s
                      GROUP BY c.partner_id
                ), ratings AS (%(ratings)s), phone_complaints AS (%(phone)s),
                calls AS (
                     SELECT call.customer_id AS partner_id,
                            sum(%(held)s) AS calls,
                            avg(%(fcr)s) AS fcr_rate,
                            avg(%(handling)s) AS avg_handling
                       FROM crm_phonecall call
                      WHERE call.active AND call.customer_id IS NOT NULL
                        AND call.date >= %(start)s AND call.date < %(stop)s
                      GROUP BY call.customer_id
                ), payments AS (
                     SELECT invoice.partner_id,
                            avg(%(days_late)s) AS days_late,
                            avg(%(late)s) AS late_share
                       FROM (%(invoices)s) invoice
                      GROUP BY invoice.partner_id
                ), surveys AS (
                     SELECT r.partner_id,
                            count(*) AS answers,
                            avg(r.nps) AS nps,
                            %(service_score)s AS service_score
                       FROM (%(survey_results)s) r
                      WHERE r.date >= %(start)s AND r.date < %(stop)s
                      GROUP BY r.partner_id
                ), breadth AS (%(breadth)s)
                INSERT INTO logistics_kpi_snapshot (
                       partner_id, month, tier_id, shipments, delivered,
                       on_time_rate, avg_delay_hours, exception_rate, complaints,
                       complaint_rate, sla_met_rate, satisfaction, revenue,
                       revenue_growth, retention, notifications, margin,
                       profit_contribution, days_paid_late, late_payment_share,
                       calls, fcr_rate, avg_handling_minutes, phone_complaint_share,
                       service_breadth, survey_answers, nps, survey_score,
                       create_uid, create_date, write_uid, write_date)
                SELECT partner.id, %(start)s, partner.tier_id,
                       coalesce(sh.shipments, 0), coalesce(sh.delivered, 0),
                       sh.on_time_rate, sh.avg_delay, sh.exception_rate,
                       coalesce(co.complaints, 0),
                       %(complaint_rate)s,
                       co.sla_met_rate, ra.value,
                       coalesce(sh.revenue, 0),
                       %(revenue_growth)s,
                       CASE WHEN sh.partner_id IS NULL THEN NULL
                            WHEN bf.partner_id IS NOT NULL THEN 100.0 ELSE 0.0
                       END,
                       coalesce(nt.notifications, 0),
                       coalesce(sh.margin, 0),
                       coalesce(sh.contribution, 0), pa.days_late, pa.late_share,
                       coalesce(ca.calls, 0), ca.fcr_rate, ca.avg_handling,
                       ph.value, coalesce(br.breadth, 0),
                       coalesce(su.answers, 0), su.nps, su.service_score,
                       %(uid)s, now() at time zone 'UTC',
                       %(uid)s, now() at time zone 'UTC'
                  FROM res_partner partner
             LEFT JOIN shipments sh ON sh.partner_id = partner.id
             LEFT JOIN complaints co ON co.partner_id = partner.id
             LEFT JOIN ratings ra ON ra.partner_id = partner.id
             LEFT JOIN before bf ON bf.partner_id = partner.id
             LEFT JOIN notified nt ON nt.partner_id = partner.id
             LEFT JOIN payments pa ON pa.partner_id = partner.id
             LEFT JOIN calls ca ON ca.partner_id = partner.id
             LEFT JOIN phone_complaints ph ON ph.partner_id = partner.id
             LEFT JOIN breadth br ON br.partner_id = partner.id
             LEFT JOIN surveys su ON su.partner_id = partner.id
                 WHERE sh.partner_id IS NOT NULL OR co.partner_id IS NOT NULL
                    OR ca.calls > 0 OR su.partner_id IS NOT NULL
                    ON CONFLICT (partner_id, month) DO UPDATE SET %(updates)s
                """,
                on_time=kpi.on_time_value("s"),
                delay=kpi.delay_value("s"),
                exceptions=kpi.exception_value(SQL("x.count")),
                counted=kpi.counted_shipment("s"),
                sla_met=kpi.sla_met_value("sla"),
                contribution=kpi.profit_contribution_value(
                    "s",
                    SQL(
                        "CASE WHEN s.sale_order_id IS NOT NULL THEN %s END",
                        kpi.shipment_invoiced_amount("s"),
                    ),
                ),
                invoices=kpi.invoice_payment_dates(None, start, stop),
                days_late=kpi.days_paid_late_value(
                    SQL("invoice.due"),
                    SQL("invoice.paid"),
                    stop - relativedelta(days=1),
                ),
                late=kpi.late_payment_value(
                    SQL("invoice.due"),
                    SQL("invoice.paid"),
                    stop - relativedelta(days=1),
                ),
                ratings=kpi.complaints_by_customer(
                    kpi.satisfaction_value(SQL("rating.rating")), start, stop
                ),
                phone=kpi.complaints_by_customer(
                    kpi.phone_complaint_value("complaint"), start, stop
                ),
                # Over the 12 months up to the month's end: what the
                # customer buys, not what it happened to ship that month.
                breadth=kpi.service_breadth_by_customer(
                    stop - relativedelta(months=12), stop
                ),
                # The results report's rows, so that NPS is computed once.
                survey_results=self.env["logistics.survey.report"]._table_query,
                service_score=kpi.survey_service_score("r"),
                held=kpi.call_held_value("call"),
                fcr=kpi.fcr_value("call"),
                handling=kpi.handling_minutes_value("call"),
                complaint_rate=kpi.ratio(
                    SQL("coalesce(co.complaints, 0)"), SQL("sh.shipments")
                ),
                revenue_growth=kpi.growth(
                    SQL("coalesce(sh.revenue, 0)"), SQL("bf.revenue")
                ),
                start=start,
                stop=stop,
                previous=start - relativedelta(months=1),
                uid=self.env.uid,
                updates=updates,
            )
        )
        self.invalidate_model()
        return self.env.cr.rowcount

    @api.model
    def _scorecard(self, customer, months=12):
        """The customer's last ``months`` snapshots, oldest first, as plain
        values (for the form, the portal and exports). A rate without a
        denominator in its month (no complaint, no rated ticket) is None:
        shown empty, never as 0 %."""
        groups = self._read_group(
            [("partner_id", "=", customer.id)],
            ["month:day", "tier_id"],
            ["shipments:sum", "complaints:sum", "revenue:sum"]
            + ["calls:sum"]
            + [f"{rate}:max" for rate in SCORECARD_RATES + SCORECARD_MEANS],
            order="month:day desc",
            limit=months,
        )
        return [
            {
                "month": month,
                "tier": tier,
                "shipments": shipments,
                "complaints": complaints,
                "revenue": revenue,
                "calls": calls,
                # _read_group answers False for NULL, where a record says 0.0.
                **{
                    rate: None if value is False else value
                    for rate, value in zip(
                        SCORECARD_RATES + SCORECARD_MEANS, rates, strict=True
                    )
                },
            }
            for month, tier, shipments, complaints, revenue, calls, *rates in reversed(
                groups
            )
        ]

    @api.model
    def _scorecard_table_html(self, scorecard, back_office=False):
        """The scorecard's months as a table (the back office adds the tier,
        the revenue and the call center's figures)."""
        return self.env["ir.qweb"]._render(
            "logistics_crm.logistics_scorecard_table",
            {
                "scorecard": scorecard,
                "show_tier": back_office,
                "show_revenue": back_office,
                "show_calls": back_office,
            },
        )

    @api.model
    def _scorecard_chart_html(self, scorecard):
        """An inline SVG of the scorecard's rates, rendered from numbers only
        (the back-office form and the portal show the same chart)."""
        return self.env["ir.qweb"]._render(
            "logistics_crm.logistics_scorecard_chart",
            {"chart": scorecard_chart(scorecard)},
        )

    @api.model
    def _scorecard_html(self, scorecard):
        """The back office's scorecard: the chart, then every figure."""
        html = self._scorecard_chart_html(scorecard)
        if scorecard:
            html += self._scorecard_table_html(scorecard, back_office=True)
        return html
