from odoo import fields, models
from odoo.tools import SQL

from ..models import logistics_kpi as kpi
from ..models.logistics_kpi import kpi_help
from ..models.logistics_selections import TRANSPORT_MODES


class LogisticsComplaintAnalysis(models.Model):
    """One row per complaint: how many, of which kind, proactive or not,
    how long to resolve and how the customer rated it, by customer, tier,
    lane, mode, carrier, category and month. SLA milestones have their own
    report (``logistics.complaint.report``)."""

    _name = "logistics.complaint.analysis"
    _inherit = ["logistics.complaint.report.dimensions"]
    _description = "Complaint Analysis"
    _auto = False
    _rec_name = "complaint_id"
    _order = "date desc"

    root_cause_id = fields.Many2one(
        comodel_name="logistics.complaint.root.cause", readonly=True
    )
    stage_id = fields.Many2one(comodel_name="logistics.complaint.stage", readonly=True)
    mode = fields.Selection(selection=TRANSPORT_MODES, readonly=True)
    currency_id = fields.Many2one(comodel_name="res.currency", readonly=True)
    is_closed = fields.Boolean(string="Closed", readonly=True)
    complaint_count = fields.Integer(string="Complaints", readonly=True)
    claim_amount = fields.Monetary(currency_field="currency_id", readonly=True)
    resolution_hours = fields.Float(
        string="Working Hours to Resolve",
        aggregator="avg",
        readonly=True,
        help=kpi_help("sla_hours"),
    )
    rating = fields.Float(string="Rating (1-5)", aggregator="avg", readonly=True)
    dissatisfaction = fields.Float(
        string="Unhappy (%)",
        aggregator="avg",
        readonly=True,
        help=kpi_help("dissatisfaction"),
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT complaint.id,
                   %(dimensions)s,
                   complaint.root_cause_id,
                   complaint.stage_id,
                   shipment.mode,
                   complaint.currency_id,
                   complaint.is_closed,
                   1 AS complaint_count,
                   complaint.claim_amount,
                   CASE WHEN resolution.status = 'met'
                        THEN resolution.consumed_hours
                   END AS resolution_hours,
                   rating.rating,
                   %(satisfaction)s AS satisfaction,
                   %(dissatisfaction)s AS dissatisfaction
              FROM logistics_complaint complaint
              JOIN res_partner customer ON customer.id = complaint.partner_id
         LEFT JOIN logistics_shipment shipment ON shipment.id = complaint.shipment_id
         LEFT JOIN logistics_complaint_sla resolution
                ON resolution.complaint_id = complaint.id
               AND resolution.kind = 'resolution'
                   %(latest_rating)s
             WHERE complaint.active
            """,
            dimensions=self._complaint_columns(),
            satisfaction=kpi.satisfaction_value(SQL("rating.rating")),
            dissatisfaction=kpi.dissatisfaction_value(SQL("rating.rating")),
            latest_rating=kpi.latest_complaint_rating("complaint"),
        )
