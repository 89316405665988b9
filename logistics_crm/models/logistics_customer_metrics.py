from collections import namedtuple
from datetime import timedelta
from decimal import Decimal

from odoo import api, fields, models
from odoo.tools import SQL

from . import logistics_kpi as kpi

# ``empty`` is the value of a customer the source has no row for: 0 for
# counts and sums, None (no denominator, shown empty) for rates.
Metric = namedtuple("Metric", ["label", "source", "key", "empty"], defaults=[None])
DEFAULT_WINDOW = timedelta(days=365)


class LogisticsCustomerMetrics(models.AbstractModel):
    """What the scoring rules can measure of a customer, for a whole batch of
    customers at once: each source is one SQL aggregate returning several
    metrics, so scoring 50 000 customers costs one query per source.

    Extension point: a module adds a metric by extending ``_metrics`` (code
    -> ``Metric``) and, when it needs new data, ``_metric_sources`` (source
    name -> method(partner_ids, date, window) returning {partner_id: {key:
    value}}). The rates come from the KPI formulas of ``logistics_kpi``, so a
    tier breakdown shows the figures the reports show.
    """

    _name = "logistics.customer.metrics"
    _description = "Customer Metrics for Scoring"

    @api.model
    def _metrics(self):
        return {
            "shipments_12m": Metric(
                self.env._("Shipments, last 12 months"), "shipments", "shipments", 0.0
            ),
            "revenue_12m": Metric(
                self.env._("Revenue, last 12 months"), "shipments", "revenue", 0.0
            ),
            "margin_12m": Metric(
                self.env._("Margin, last 12 months"), "shipments", "margin", 0.0
            ),
            "margin_rate": Metric(
                self.env._("Margin rate (%)"), "shipments", "margin_rate"
            ),
            "profit_contribution_12m": Metric(
                self.env._("Profit contribution, last 12 months"),
                "shipments",
                "profit_contribution",
                0.0,
            ),
            "service_breadth": Metric(
                self.env._("Service lines used, last 12 months"),
                "services",
                "breadth",
                0.0,
            ),
            "days_paid_late": Metric(
                self.env._("Average days paid late, invoices due in 12 months"),
                "payments",
                "days_paid_late",
            ),
            "late_payment_share": Metric(
                self.env._("Invoices paid late, due in 12 months (%)"),
                "payments",
                "late_payment_share",
            ),
            "revenue_growth": Metric(
                self.env._("Revenue growth vs previous 12 months (%)"),
                "shipments",
                "revenue_growth",
            ),
            "years_of_cooperation": Metric(
                self.env._("Years of cooperation"), "partners", "years", 0.0
            ),
            "on_time_rate": Metric(
                self.env._("On-time rate (%)"), "shipments", "on_time_rate"
            ),
            "exception_rate": Metric(
                self.env._("Exceptions per 100 shipments"),
                "shipments",
                "exception_rate",
            ),
            "complaint_rate": Metric(
                self.env._("Complaints per 100 shipments"),
                "complaints",
                "complaint_rate",
            ),
            "satisfaction": Metric(
                self.env._("Satisfaction (% happy ratings)"),
                "complaints",
                "satisfaction",
            ),
            "volume_decline": Metric(
                self.env._("Volume decline vs own trailing average (%)"),
                "churn",
                "volume_decline",
                0.0,
            ),
            "complaint_trend": Metric(
                self.env._("Complaints, last 90 days minus the 90 before"),
                "churn",
                "complaint_trend",
                0.0,
            ),
            "dissatisfaction": Metric(
                self.env._("Unhappy ratings, last 180 days (%)"),
                "churn",
                "dissatisfaction",
            ),
            "sla_breaches": Metric(
                self.env._("SLA breaches, last 90 days"), "churn", "sla_breaches", 0.0
            ),
            "open_exceptions": Metric(
                self.env._("Open shipment exceptions"), "churn", "open_exceptions", 0.0
            ),
            "days_since_contact": Metric(
                self.env._("Days since the last contact"),
                "churn",
                "days_since_contact",
                365.0,
            ),
            "days_to_contract_end": Metric(
                self.env._("Days to the contract end"),
                "churn",
                "days_to_contract_end",
                365.0,
            ),
            "nps": Metric(self.env._("Net Promoter Score"), "surveys", "nps"),
            "survey_score": Metric(
                self.env._("Mean service score of the survey (1-5)"),
                "surveys",
                "survey_score",
            ),
            "survey_detractors": Metric(
                self.env._("Detractor survey answers, last 180 days"),
                "surveys",
                "survey_detractors",
                0.0,
            ),
            "nps_fall": Metric(
                self.env._("Fall of the likelihood to recommend since the last answer"),
                "surveys",
                "nps_fall",
                0.0,
            ),
        }

    @api.model
    def _metric_sources(self):
        return {
            "shipments": self._metric_source_shipments,
            "partners": self._metric_source_partners,
            "complaints": self._metric_source_complaints,
            "churn": self._metric_source_churn,
            "payments": self._metric_source_payments,
            "services": self._metric_source_services,
            "surveys": self._metric_source_surveys,
        }

    @api.model
    def _metric_values(self, partner_ids, date, metrics, window=DEFAULT_WINDOW):
        """{partner_id: {metric: value}} for the metrics asked, over the
        ``window`` that ends at ``date``; one query per source whatever the
        number of customers."""
        registry = self._metrics()
        sources = self._metric_sources()
        needed = {registry[metric].source for metric in metrics}
        with kpi.planned_without_jit(self.env.cr):
            by_source = {
                name: sources[name](partner_ids, date, window) for name in needed
            }
        # Each metric's rows, key and empty value looked up once, not for
        # each of 50 000 customers.
        specs = [
            (
                metric,
                by_source[registry[metric].source],
                registry[metric].key,
                registry[metric].empty,
            )
            for metric in metrics
        ]
        no_row = {}
        return {
            partner_id: {
                metric: rows.get(partner_id, no_row).get(key, empty)
                for metric, rows, key, empty in specs
            }
            for partner_id in partner_ids
        }

    def _fetch_rows(self, query, keys):
        """{first column: {key: value}} of the rows of ``query``; numeric
        columns come back as floats, as the scorer and JSON breakdowns need."""
        self.env.cr.execute(query)
        return {
            row[0]: {
                key: float(value) if isinstance(value, Decimal) else value
                for key, value in zip(keys, row[1:], strict=True)
            }
            for row in self.env.cr.fetchall()
        }

    @api.model
    def _metric_source_shipments(self, partner_ids, date, window=DEFAULT_WINDOW):
        self.env["logistics.shipment"].flush_model()
        self.env["logistics.shipment.exception"].flush_model(["shipment_id"])
        end = fields.Datetime.to_datetime(date)
        start = end - window
        revenue = SQL("coalesce(sum(revenue) FILTER (WHERE recent), 0)")
        return self._fetch_rows(
            SQL(
                """
                SELECT partner_id,
                       count(*) FILTER (WHERE recent),
                       %(revenue)s,
                       coalesce(sum(margin) FILTER (WHERE recent), 0),
                       %(margin_rate)s,
                       %(revenue_growth)s,
                       avg(%(on_time)s) FILTER (WHERE recent),
                       avg(%(exceptions)s) FILTER (WHERE recent),
                       coalesce(sum(%(contribution)s) FILTER (WHERE recent), 0)
                  FROM (
                       SELECT s.id, s.partner_id, s.revenue, s.margin, s.cost,
                              s.sale_order_id, s.state, s.is_on_time, x.exceptions,
                              -- Only booked shipments can have been invoiced:
                              -- the others skip the lookup.
                              CASE WHEN s.sale_order_id IS NOT NULL
                                   THEN %(invoiced)s END AS invoiced,
                              s.promised_date >= %(start)s AS recent
                         FROM logistics_shipment s
                    LEFT JOIN (
                              SELECT shipment_id, count(*) AS exceptions
                                FROM logistics_shipment_exception
                               GROUP BY shipment_id
                              ) x ON x.shipment_id = s.id
                        WHERE s.partner_id = ANY(%(partners)s)
                          AND s.promised_date >= %(previous)s
                          AND s.promised_date < %(end)s
                          AND %(counted)s
                       ) shipments
                 GROUP BY partner_id
                """,
                revenue=revenue,
                margin_rate=kpi.margin_rate_value(
                    SQL("sum(margin) FILTER (WHERE recent)"), revenue
                ),
                revenue_growth=kpi.growth(
                    revenue, SQL("coalesce(sum(revenue) FILTER (WHERE NOT recent), 0)")
                ),
                on_time=kpi.on_time_value("shipments"),
                exceptions=kpi.exception_value(SQL("shipments.exceptions")),
                contribution=kpi.profit_contribution_value(
                    "shipments", SQL("shipments.invoiced")
                ),
                invoiced=kpi.shipment_invoiced_amount("s"),
                counted=kpi.counted_shipment("s"),
                start=start,
                previous=start - window,
                end=end,
                partners=list(partner_ids),
            ),
            (
                "shipments",
                "revenue",
                "margin",
                "margin_rate",
                "revenue_growth",
                "on_time_rate",
                "exception_rate",
                "profit_contribution",
            ),
        )

    @api.model
    def _metric_source_services(self, partner_ids, date, window=DEFAULT_WINDOW):
        """The service lines each customer used in the window (``line_ids``)
        and their number, its service breadth."""
        self.env["logistics.shipment"].flush_model()
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        for model in ("sale.order", "sale.order.line", "logistics.service.line"):
            self.env[model].flush_model()
        end = fields.Datetime.to_datetime(date)
        return self._fetch_rows(
            kpi.service_breadth_by_customer(end - window, end, partner_ids),
            ("breadth", "line_ids"),
        )

    @api.model
    def _metric_source_payments(self, partner_ids, date, window=DEFAULT_WINDOW):
        """How the customer pays: over its invoices due in the window, the
        mean days paid late and the share paid late or still unpaid past due
        (Odoo's accounting: due dates and reconciliations)."""
        for model in ("account.move", "account.move.line", "account.partial.reconcile"):
            self.env[model].flush_model()
        until = fields.Date.to_date(date)
        return self._fetch_rows(
            SQL(
                """
                SELECT invoice.partner_id, avg(%(days_late)s), avg(%(late)s)
                  FROM (%(invoices)s) invoice
                 GROUP BY invoice.partner_id
                """,
                invoices=kpi.invoice_payment_dates(partner_ids, until - window, until),
                days_late=kpi.days_paid_late_value(
                    SQL("invoice.due"), SQL("invoice.paid"), until
                ),
                late=kpi.late_payment_value(
                    SQL("invoice.due"), SQL("invoice.paid"), until
                ),
            ),
            ("days_paid_late", "late_payment_share"),
        )

    @api.model
    def _metric_source_partners(self, partner_ids, date, window=DEFAULT_WINDOW):
        self.env["res.partner"].flush_model(["customer_since"])
        return self._fetch_rows(
            SQL(
                """
                SELECT id,
                       GREATEST(%(date)s::date - customer_since, 0) / 365.25
                  FROM res_partner
                 WHERE id = ANY(%(partners)s) AND customer_since IS NOT NULL
                """,
                date=fields.Date.to_date(date),
                partners=list(partner_ids),
            ),
            ("years",),
        )

    @api.model
    def _metric_source_complaints(self, partner_ids, date, window=DEFAULT_WINDOW):
        """Complaints per 100 shipments and the satisfaction of the complaints
        opened in the window, each by its latest rating."""
        for model in ("logistics.complaint", "logistics.shipment", "rating.rating"):
            self.env[model].flush_model()
        end = fields.Datetime.to_datetime(date)
        return self._fetch_rows(
            SQL(
                """
                WITH complaints AS (%(complaints)s), shipments AS (
                     SELECT s.partner_id, count(*) AS shipments
                       FROM logistics_shipment s
                      WHERE s.partner_id = ANY(%(partners)s)
                        AND s.promised_date >= %(start)s AND s.promised_date < %(end)s
                        AND %(counted)s
                      GROUP BY s.partner_id
                )
                -- Shipments without complaints: a rate of 0, no satisfaction.
                SELECT coalesce(c.partner_id, s.partner_id), %(complaint_rate)s,
                       c.value
                  FROM complaints c
             FULL JOIN shipments s ON s.partner_id = c.partner_id
                """,
                complaints=kpi.complaints_by_customer(
                    kpi.satisfaction_value(SQL("rating.rating")),
                    end - window,
                    end,
                    partner_ids,
                ),
                counted=kpi.counted_shipment("s"),
                complaint_rate=kpi.ratio(
                    SQL("coalesce(c.complaints, 0)"), SQL("s.shipments")
                ),
                partners=list(partner_ids),
                start=end - window,
                end=end,
            ),
            ("complaint_rate", "satisfaction"),
        )

    @api.model
    def _metric_source_churn(self, partner_ids, date, window=DEFAULT_WINDOW):
        """Signals of a customer drifting away, in one query: shipments of the
        last 90 days against the customer's own average of the 270 days
        before, complaint trend, unhappy ratings of the last 180 days'
        complaints, SLA breaches, open exceptions, days since the last
        message or done activity, and days to the nearest contract end
        recorded on its opportunities. Its periods are the signals' own:
        ``window`` does not apply."""
        for model in (
            "logistics.shipment",
            "logistics.shipment.exception",
            "logistics.complaint",
            "logistics.complaint.sla",
            "rating.rating",
            "mail.message",
            "crm.lead",
        ):
            self.env[model].flush_model()
        now = fields.Datetime.to_datetime(date)
        return self._fetch_rows(
            SQL(
                """
                WITH partner AS (
                     SELECT unnest(%(partners)s::int[]) AS id
                ), volume AS (
                     SELECT s.partner_id,
                            count(*) FILTER (WHERE s.promised_date >= %(d90)s)
                                AS recent,
                            count(*) FILTER (WHERE s.promised_date < %(d90)s) / 3.0
                                AS usual
                       FROM logistics_shipment s
                      WHERE s.partner_id = ANY(%(partners)s) AND %(counted)s
                        AND s.promised_date >= %(d360)s AND s.promised_date < %(now)s
                      GROUP BY s.partner_id
                ), complaints AS (
                     SELECT c.partner_id,
                            count(*) FILTER (WHERE c.create_date >= %(d90)s)
                            - count(*) FILTER (WHERE c.create_date < %(d90)s)
                                AS trend
                       FROM logistics_complaint c
                      WHERE c.partner_id = ANY(%(partners)s)
                        AND c.create_date >= %(d180)s AND c.create_date < %(now)s
                      GROUP BY c.partner_id
                ), ratings AS (%(ratings)s), breaches AS (
                     SELECT c.partner_id, count(*) AS breaches
                       FROM logistics_complaint_sla sla
                       JOIN logistics_complaint c ON c.id = sla.complaint_id
                      WHERE sla.status = 'breached'
                        AND c.partner_id = ANY(%(partners)s)
                        AND c.create_date >= %(d90)s
                      GROUP BY c.partner_id
                ), exceptions AS (
                     SELECT x.partner_id, count(*) AS open
                       FROM logistics_shipment_exception x
                      WHERE x.partner_id = ANY(%(partners)s) AND x.state != 'resolved'
                      GROUP BY x.partner_id
                ), contact AS (
                     SELECT m.res_id AS partner_id, max(m.date) AS last
                       FROM mail_message m
                      WHERE m.model = 'res.partner' AND m.res_id = ANY(%(partners)s)
                        AND (m.message_type IN ('comment', 'email')
                             OR m.mail_activity_type_id IS NOT NULL)
                      GROUP BY m.res_id
                ), contract AS (
                     SELECT p.commercial_partner_id AS partner_id,
                            min(l.logistics_contract_end) AS ends
                       FROM crm_lead l
                       JOIN res_partner p ON p.id = l.partner_id
                      WHERE l.logistics_contract_end >= %(today)s
                        AND p.commercial_partner_id = ANY(%(partners)s)
                      GROUP BY 1
                )
                SELECT partner.id,
                       CASE WHEN volume.usual > 0
                            THEN greatest(100.0 * (volume.usual - volume.recent)
                                          / volume.usual, 0)
                            ELSE 0 END,
                       coalesce(complaints.trend, 0),
                       ratings.value,
                       coalesce(breaches.breaches, 0),
                       coalesce(exceptions.open, 0),
                       CASE WHEN contact.last IS NOT NULL
                            THEN extract(epoch FROM %(now)s - contact.last) / 86400
                            ELSE 365 END,
                       CASE WHEN contract.ends IS NOT NULL
                            THEN contract.ends - %(today)s
                            ELSE 365 END
                  FROM partner
             LEFT JOIN volume ON volume.partner_id = partner.id
             LEFT JOIN complaints ON complaints.partner_id = partner.id
             LEFT JOIN ratings ON ratings.partner_id = partner.id
             LEFT JOIN breaches ON breaches.partner_id = partner.id
             LEFT JOIN exceptions ON exceptions.partner_id = partner.id
             LEFT JOIN contact ON contact.partner_id = partner.id
             LEFT JOIN contract ON contract.partner_id = partner.id
                """,
                ratings=kpi.complaints_by_customer(
                    kpi.dissatisfaction_value(SQL("rating.rating")),
                    now - timedelta(days=180),
                    now,
                    partner_ids,
                ),
                counted=kpi.counted_shipment("s"),
                partners=list(partner_ids),
                now=now,
                today=now.date(),
                d90=now - timedelta(days=90),
                d180=now - timedelta(days=180),
                d360=now - timedelta(days=360),
            ),
            (
                "volume_decline",
                "complaint_trend",
                "dissatisfaction",
                "sla_breaches",
                "open_exceptions",
                "days_since_contact",
                "days_to_contract_end",
            ),
        )

    @api.model
    def _metric_source_surveys(self, partner_ids, date, window=DEFAULT_WINDOW):
        """The relationship survey's answers of the window, read from its
        results report: the NPS and the mean service score; detractors of the
        last 180 days and how far the latest likelihood to recommend fell
        below the one before (0 when it rose), the churn signals."""
        report = self.env["logistics.survey.report"]
        self.env.flush_all()
        now = fields.Datetime.to_datetime(date)
        return self._fetch_rows(
            SQL(
                """
                WITH r AS (
                     SELECT r.*,
                            row_number() OVER (PARTITION BY r.partner_id
                                               ORDER BY r.date DESC, r.id DESC)
                                AS rank
                       FROM (%(report)s) r
                      WHERE r.partner_id = ANY(%(partners)s) AND r.date < %(now)s
                )
                SELECT r.partner_id,
                       avg(r.nps) FILTER (WHERE r.date >= %(start)s),
                       %(service_score)s,
                       count(*) FILTER (WHERE r.nps_class = 'detractor'
                                          AND r.date >= %(d180)s),
                       greatest(max(r.recommend_score) FILTER (WHERE r.rank = 2)
                                - max(r.recommend_score) FILTER (WHERE r.rank = 1),
                                0)
                  FROM r
                 GROUP BY r.partner_id
                """,
                report=report._table_query,
                service_score=kpi.survey_service_score(
                    "r", SQL("r.date >= %s", now - window)
                ),
                partners=list(partner_ids),
                now=now,
                start=now - window,
                d180=now - timedelta(days=180),
            ),
            ("nps", "survey_score", "survey_detractors", "nps_fall"),
        )
