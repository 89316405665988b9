from odoo import fields, models
from odoo.tools import SQL

from ..models import logistics_kpi as kpi
from ..models.logistics_kpi import kpi_help
from ..models.logistics_selections import COMPLAINT_CHANNELS


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


class LogisticsSalesReportDimensions(models.AbstractModel):
    """The dimensions the sales reports (bookings, quotes, their conversion
    and win rate, quote requests) are cut by; each report's SQL view selects
    a column of the same name for each."""

    _name = "logistics.sales.report.dimensions"
    _description = "Logistics Sales Report Dimensions"

    user_id = fields.Many2one(
        comodel_name="res.users", string="Salesperson", readonly=True
    )
    team_id = fields.Many2one(
        comodel_name="crm.team", string="Sales Team", readonly=True
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Customer", readonly=True
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
    channel = fields.Selection(selection=COMPLAINT_CHANNELS, readonly=True)
    user_id = fields.Many2one(
        comodel_name="res.users", string="Assigned To", readonly=True
    )
    proactive_share = fields.Float(
        string="Proactive (%)",
        aggregator="avg",
        readonly=True,
        help=kpi_help("proactive_share"),
    )
    phone_complaint_share = fields.Float(
        string="By Phone (%)",
        aggregator="avg",
        readonly=True,
        help=kpi_help("phone_complaint_share"),
    )
    satisfaction = fields.Float(
        string="Satisfaction (%)",
        aggregator="avg",
        readonly=True,
        help=kpi_help("satisfaction"),
    )

    def _complaint_columns(self):
        """The columns of these dimensions, read from ``complaint`` joined to
        its ``customer``."""
        return SQL(
            """
            complaint.id AS complaint_id,
            complaint.create_date AS date,
            complaint.partner_id,
            customer.tier_id,
            customer.account_manager_id,
            complaint.category_id,
            complaint.channel,
            complaint.lane_id,
            complaint.carrier_id,
            complaint.user_id,
            complaint.company_id,
            %(proactive)s AS proactive_share,
            %(phone)s AS phone_complaint_share
            """,
            proactive=kpi.proactive_value("complaint"),
            phone=kpi.phone_complaint_value("complaint"),
        )
