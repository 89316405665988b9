from odoo import fields, models
from odoo.tools import SQL

from ..models.logistics_complaint import CHANNELS
from .logistics_kpi import kpi_help

# The customer's latest rating of a complaint, joined as "rating".
LATEST_COMPLAINT_RATING = SQL(
    """
    LEFT JOIN LATERAL (
              SELECT r.rating FROM rating_rating r
               WHERE r.res_model = 'logistics.complaint'
                 AND r.res_id = complaint.id AND r.consumed
                 AND r.rating > 0
               ORDER BY r.write_date DESC, r.id DESC
               LIMIT 1
              ) rating ON TRUE
    """
)


class LogisticsReportDimensions(models.AbstractModel):
    """The dimensions every KPI report is cut by; each report's SQL view
    selects a column of the same name for each."""

    _name = "logistics.report.dimensions"
    _description = "Logistics KPI Dimensions"

    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Customer", readonly=True
    )
    tier_id = fields.Many2one(
        comodel_name="logistics.service.tier", string="Service Tier", readonly=True
    )
    account_manager_id = fields.Many2one(
        comodel_name="res.users", string="Account Manager", readonly=True
    )
    lane_id = fields.Many2one(comodel_name="logistics.lane", readonly=True)
    carrier_id = fields.Many2one(
        comodel_name="res.partner", string="Carrier", readonly=True
    )
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)


class LogisticsComplaintReportDimensions(models.AbstractModel):
    """What the complaint reports (per complaint, per SLA milestone) share."""

    _name = "logistics.complaint.report.dimensions"
    _inherit = ["logistics.report.dimensions"]
    _description = "Logistics Complaint KPI Dimensions"

    complaint_id = fields.Many2one(comodel_name="logistics.complaint", readonly=True)
    date = fields.Datetime(string="Opened On", readonly=True)
    category_id = fields.Many2one(
        comodel_name="logistics.complaint.category", readonly=True
    )
    channel = fields.Selection(selection=CHANNELS, readonly=True)
    user_id = fields.Many2one(
        comodel_name="res.users", string="Assigned To", readonly=True
    )
    proactive_share = fields.Float(
        string="Proactive (%)",
        aggregator="avg",
        readonly=True,
        help=kpi_help("proactive_share"),
    )
    satisfaction = fields.Float(
        string="Satisfaction (%)",
        aggregator="avg",
        readonly=True,
        help=kpi_help("satisfaction"),
    )
