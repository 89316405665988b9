from odoo import fields, models
from odoo.tools import SQL

from ..models.logistics_selections import TRANSPORT_MODES
from .logistics_kpi import kpi_help
from .logistics_report_dimensions import LATEST_COMPLAINT_RATING


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

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT complaint.id,
                   complaint.id AS complaint_id,
                   complaint.create_date AS date,
                   complaint.partner_id,
                   customer.tier_id,
                   customer.account_manager_id,
                   complaint.category_id,
                   complaint.root_cause_id,
                   complaint.stage_id,
                   complaint.channel,
                   complaint.lane_id,
                   shipment.mode,
                   complaint.carrier_id,
                   complaint.user_id,
                   complaint.company_id,
                   complaint.currency_id,
                   complaint.is_closed,
                   1 AS complaint_count,
                   complaint.claim_amount,
                   CASE WHEN complaint.channel = 'proactive' THEN 100.0 ELSE 0.0
                   END AS proactive_share,
                   CASE WHEN resolution.status = 'met'
                        THEN resolution.consumed_hours
                   END AS resolution_hours,
                   rating.rating,
                   CASE WHEN rating.rating IS NULL THEN NULL
                        WHEN rating.rating >= 4 THEN 100.0 ELSE 0.0
                   END AS satisfaction
              FROM logistics_complaint complaint
              JOIN res_partner customer ON customer.id = complaint.partner_id
         LEFT JOIN logistics_shipment shipment ON shipment.id = complaint.shipment_id
         LEFT JOIN logistics_complaint_sla resolution
                ON resolution.complaint_id = complaint.id
               AND resolution.kind = 'resolution'
                   %s
             WHERE complaint.active
            """,
            LATEST_COMPLAINT_RATING,
        )
