from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL


class LogisticsTierRule(models.Model):
    """One scoring criterion: a metric turned into 0-100 points, with a weight.

    Points grow linearly from ``zero_points_at`` (0 points) to
    ``full_points_at`` (100 points); when the first is above the second, lower
    values score better (exception rate, for instance).
    """

    _name = "logistics.tier.rule"
    _description = "Tier Scoring Rule"
    _order = "sequence, id"

    sequence = fields.Integer(default=10)
    purpose = fields.Selection(
        selection=[("tier", "Service Tier"), ("churn", "Churn Risk")],
        required=True,
        default="tier",
        help="The score this rule counts in: the customer's value (service "
        "tier) or the risk of losing the customer.",
    )
    metric = fields.Selection(selection="_selection_metric", required=True)
    weight = fields.Float(required=True, default=1.0)
    zero_points_at = fields.Float(string="0 Points At", required=True)
    full_points_at = fields.Float(string="100 Points At", required=True)
    active = fields.Boolean(default=True)

    _check_weight = models.Constraint(
        "CHECK (weight > 0)", "The weight of a scoring rule must be positive."
    )
    _check_thresholds = models.Constraint(
        "CHECK (zero_points_at <> full_points_at)",
        "The values giving 0 and 100 points must differ.",
    )

    @api.model
    def _selection_metric(self):
        return [(code, label) for code, (label, _s, _k) in self._tier_metrics().items()]

    @api.depends("metric", "weight")
    def _compute_display_name(self):
        labels = dict(self._selection_metric())
        for rule in self:
            rule.display_name = labels.get(rule.metric, "")

    # ------------------------------------------------------------------
    # Metric registry: other modules extend both methods.
    # ------------------------------------------------------------------
    @api.model
    def _tier_metrics(self):
        """Metric code -> (label, source, key in the source's result); a source
        computes several metrics for a whole batch of customers in one SQL
        aggregate. Extend to add metrics."""
        return {
            "shipments_12m": (
                self.env._("Shipments, last 12 months"),
                "shipments",
                "shipments",
            ),
            "revenue_12m": (
                self.env._("Revenue, last 12 months"),
                "shipments",
                "revenue",
            ),
            "margin_12m": (self.env._("Margin, last 12 months"), "shipments", "margin"),
            "margin_rate": (self.env._("Margin rate (%)"), "shipments", "margin_rate"),
            "revenue_growth": (
                self.env._("Revenue growth vs previous 12 months (%)"),
                "shipments",
                "revenue_growth",
            ),
            "years_of_cooperation": (
                self.env._("Years of cooperation"),
                "partners",
                "years",
            ),
            "on_time_rate": (
                self.env._("On-time rate (%)"),
                "shipments",
                "on_time_rate",
            ),
            "exception_rate": (
                self.env._("Exceptions per 100 shipments"),
                "shipments",
                "exception_rate",
            ),
            "complaint_rate": (
                self.env._("Complaints per 100 shipments"),
                "complaints",
                "complaint_rate",
            ),
            "satisfaction": (
                self.env._("Satisfaction (% happy ratings)"),
                "complaints",
                "satisfaction",
            ),
            "volume_decline": (
                self.env._("Volume decline vs own trailing average (%)"),
                "churn",
                "volume_decline",
            ),
            "complaint_trend": (
                self.env._("Complaints, last 90 days minus the 90 before"),
                "churn",
                "complaint_trend",
            ),
            "dissatisfaction": (
                self.env._("Unhappy ratings, last 180 days (%)"),
                "churn",
                "dissatisfaction",
            ),
            "sla_breaches": (
                self.env._("SLA breaches, last 90 days"),
                "churn",
                "sla_breaches",
            ),
            "open_exceptions": (
                self.env._("Open shipment exceptions"),
                "churn",
                "open_exceptions",
            ),
            "days_since_contact": (
                self.env._("Days since the last contact"),
                "churn",
                "days_since_contact",
            ),
            "days_to_contract_end": (
                self.env._("Days to the contract end"),
                "churn",
                "days_to_contract_end",
            ),
        }

    @api.model
    def _tier_metric_sources(self):
        """Source name -> method(partner_ids, date) returning
        {partner_id: {key: value}} in one query for the whole batch."""
        return {
            "shipments": self._metric_source_shipments,
            "partners": self._metric_source_partners,
            "complaints": self._metric_source_complaints,
            "churn": self._metric_source_churn,
        }

    @api.model
    def _metric_values(self, partner_ids, date, metrics):
        """{partner_id: {metric: value}} for the metrics asked, one query per
        source whatever the number of customers."""
        registry = self._tier_metrics()
        sources = self._tier_metric_sources()
        needed = {registry[metric][1] for metric in metrics}
        by_source = {name: sources[name](partner_ids, date) for name in needed}
        return {
            partner_id: {
                metric: by_source[registry[metric][1]]
                .get(partner_id, {})
                .get(registry[metric][2], 0.0)
                for metric in metrics
            }
            for partner_id in partner_ids
        }

    @api.model
    def _metric_source_shipments(self, partner_ids, date):
        Shipment = self.env["logistics.shipment"]
        Shipment.flush_model()
        self.env["logistics.shipment.exception"].flush_model(["shipment_id"])
        start = fields.Datetime.to_datetime(date) - timedelta(days=365)
        previous = start - timedelta(days=365)
        self.env.cr.execute(
            SQL(
                """
                SELECT partner_id,
                       count(*) FILTER (WHERE recent),
                       coalesce(sum(revenue) FILTER (WHERE recent), 0),
                       coalesce(sum(margin) FILTER (WHERE recent), 0),
                       coalesce(sum(revenue) FILTER (WHERE NOT recent), 0),
                       count(*) FILTER (WHERE recent AND state = 'delivered'),
                       count(*) FILTER (WHERE recent AND is_on_time),
                       coalesce(sum(exceptions) FILTER (WHERE recent), 0)
                  FROM (
                       SELECT s.partner_id, s.revenue, s.margin, s.state,
                              s.is_on_time, x.exceptions,
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
                          AND s.active AND s.state != 'cancelled'
                       ) shipments
                 GROUP BY partner_id
                """,
                start=start,
                previous=previous,
                end=fields.Datetime.to_datetime(date),
                partners=list(partner_ids),
            )
        )
        result = {}
        for row in self.env.cr.fetchall():
            (
                partner_id,
                count,
                revenue,
                margin,
                revenue_before,
                delivered,
                on_time,
                exceptions,
            ) = row
            result[partner_id] = {
                "shipments": count,
                "revenue": revenue,
                "margin": margin,
                "margin_rate": 100.0 * margin / revenue if revenue else 0.0,
                "revenue_growth": (
                    100.0 * (revenue - revenue_before) / revenue_before
                    if revenue_before
                    else 0.0
                ),
                "on_time_rate": 100.0 * on_time / delivered if delivered else 0.0,
                "exception_rate": 100.0 * exceptions / count if count else 0.0,
            }
        return result

    @api.model
    def _metric_source_partners(self, partner_ids, date):
        self.env["res.partner"].flush_model(["customer_since"])
        self.env.cr.execute(
            SQL(
                """
                SELECT id, GREATEST(%(date)s::date - customer_since, 0) / 365.25
                  FROM res_partner
                 WHERE id = ANY(%(partners)s) AND customer_since IS NOT NULL
                """,
                date=fields.Date.to_date(date),
                partners=list(partner_ids),
            )
        )
        return {pid: {"years": float(years)} for pid, years in self.env.cr.fetchall()}

    @api.model
    def _metric_source_complaints(self, partner_ids, date):
        """Complaints per 100 shipments and the share of happy ratings (4 or
        more out of 5), over the last 12 months."""
        self.env["logistics.complaint"].flush_model(["partner_id", "active"])
        self.env["logistics.shipment"].flush_model()
        self.env["rating.rating"].flush_model()
        end = fields.Datetime.to_datetime(date)
        start = end - timedelta(days=365)
        self.env.cr.execute(
            SQL(
                """
                WITH complaints AS (
                     SELECT partner_id, count(*) AS complaints
                       FROM logistics_complaint
                      WHERE partner_id = ANY(%(partners)s) AND active
                        AND create_date >= %(start)s AND create_date < %(end)s
                      GROUP BY partner_id
                ), ratings AS (
                     SELECT complaint.partner_id, count(*) AS ratings,
                            count(*) FILTER (WHERE rating.rating >= 4) AS happy
                       FROM rating_rating rating
                       JOIN logistics_complaint complaint
                         ON complaint.id = rating.res_id
                      WHERE rating.res_model = 'logistics.complaint'
                        AND rating.consumed AND rating.rating > 0
                        AND complaint.partner_id = ANY(%(partners)s)
                        AND rating.write_date >= %(start)s
                        AND rating.write_date < %(end)s
                      GROUP BY complaint.partner_id
                ), shipments AS (
                     SELECT partner_id, count(*) AS shipments
                       FROM logistics_shipment
                      WHERE partner_id = ANY(%(partners)s)
                        AND promised_date >= %(start)s AND promised_date < %(end)s
                        AND active AND state != 'cancelled'
                      GROUP BY partner_id
                )
                SELECT partner.id, coalesce(c.complaints, 0),
                       coalesce(s.shipments, 0), coalesce(r.ratings, 0),
                       coalesce(r.happy, 0)
                  FROM unnest(%(partners)s::int[]) AS partner(id)
             LEFT JOIN complaints c ON c.partner_id = partner.id
             LEFT JOIN shipments s ON s.partner_id = partner.id
             LEFT JOIN ratings r ON r.partner_id = partner.id
                 WHERE c.complaints IS NOT NULL OR r.ratings IS NOT NULL
                """,
                partners=list(partner_ids),
                start=start,
                end=end,
            )
        )
        return {
            partner_id: {
                "complaint_rate": 100.0 * complaints / shipments if shipments else 0.0,
                "satisfaction": 100.0 * happy / ratings if ratings else 0.0,
            }
            for partner_id, complaints, shipments, ratings, happy in (
                self.env.cr.fetchall()
            )
        }

    @api.model
    def _metric_source_churn(self, partner_ids, date):
        """Signals of a customer drifting away, in one query: shipments of the
        last 90 days against the customer's own average of the 270 days
        before, complaint trend, unhappy ratings, SLA breaches, open
        exceptions, days since the last message or done activity, and days to
        the nearest contract end recorded on its opportunities."""
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
        self.env.cr.execute(
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
                      WHERE s.partner_id = ANY(%(partners)s) AND s.active
                        AND s.state != 'cancelled'
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
                ), ratings AS (
                     SELECT c.partner_id,
                            avg(CASE WHEN r.rating < 3 THEN 100.0 ELSE 0.0 END)
                                AS unhappy
                       FROM rating_rating r
                       JOIN logistics_complaint c ON c.id = r.res_id
                      WHERE r.res_model = 'logistics.complaint' AND r.consumed
                        AND r.rating > 0 AND c.partner_id = ANY(%(partners)s)
                        AND r.write_date >= %(d180)s
                      GROUP BY c.partner_id
                ), breaches AS (
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
                       coalesce(ratings.unhappy, 0),
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
                partners=list(partner_ids),
                now=now,
                today=now.date(),
                d90=now - timedelta(days=90),
                d180=now - timedelta(days=180),
                d360=now - timedelta(days=360),
            )
        )
        keys = (
            "volume_decline",
            "complaint_trend",
            "dissatisfaction",
            "sla_breaches",
            "open_exceptions",
            "days_since_contact",
            "days_to_contract_end",
        )
        return {
            row[0]: dict(zip(keys, map(float, row[1:]), strict=True))
            for row in self.env.cr.fetchall()
        }

    def _scorer(self):
        """Return a function scoring one customer's metric values under these
        rules: ``{metric: value} -> (score, breakdown)``. The rules' fields
        are read here once, not again for every customer of a batch."""
        total_weight = sum(self.mapped("weight")) or 1.0
        specs = [
            (rule.metric, rule.weight, rule.zero_points_at, rule.full_points_at)
            for rule in self
        ]

        def score(values):
            total, breakdown = 0.0, []
            for metric, weight, zero_at, full_at in specs:
                value = values[metric]
                points = max(
                    0.0, min(100.0, 100.0 * (value - zero_at) / (full_at - zero_at))
                )
                total += points * weight / total_weight
                breakdown.append(
                    {
                        "metric": metric,
                        "value": round(value, 2),
                        "points": round(points, 1),
                        "weight": weight,
                    }
                )
            return total, breakdown

        return score
