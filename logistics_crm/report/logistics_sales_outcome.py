from odoo import fields, models
from odoo.tools import SQL

from ..models import logistics_kpi as kpi
from ..models.logistics_kpi import kpi_help
from ..models.logistics_selections import OPPORTUNITY_SOURCES, TRANSPORT_MODES

WON_STATUSES = [("pending", "Open"), ("won", "Won"), ("lost", "Lost")]


class LogisticsSalesOutcome(models.Model):
    """Win rate and sales-cycle length by salesperson, team, mode and source.

    One row per lead or opportunity, open, won or lost (a lead archived
    without being lost, such as a merged duplicate, is left out), dated by
    the day it was closed. Its mode is that of its lane with the most
    expected revenue. The win value is 100 won, 0 lost, empty while open, so
    its average is the win rate of any grouping; the cycle is CRM's days to
    close of the won ones.
    """

    _name = "logistics.sales.outcome"
    _inherit = ["logistics.sales.report.dimensions"]
    _description = "Sales Win Rate and Cycle"
    _auto = False
    _rec_name = "lead_id"
    _order = "date desc, id"
    _depends = {
        "crm.lead": [
            "active",
            "company_id",
            "create_date",
            "date_closed",
            "day_close",
            "partner_id",
            "team_id",
            "user_id",
            "won_status",
            "source_id",
            "campaign_id",
            "logistics_source",
        ],
        "logistics.lane": ["active", "expected_revenue", "lead_id", "mode"],
    }

    lead_id = fields.Many2one(comodel_name="crm.lead", string="Lead", readonly=True)
    date = fields.Datetime(string="Closed On", readonly=True)
    date_open = fields.Datetime(string="Created On", readonly=True)
    won_status = fields.Selection(
        selection=WON_STATUSES, string="Outcome", readonly=True
    )
    source_id = fields.Many2one(
        comodel_name="utm.source", string="Source", readonly=True
    )
    campaign_id = fields.Many2one(
        comodel_name="utm.campaign", string="Campaign", readonly=True
    )
    logistics_source = fields.Selection(
        selection=OPPORTUNITY_SOURCES,
        string="Opportunity Source",
        readonly=True,
    )
    mode = fields.Selection(selection=TRANSPORT_MODES, readonly=True)
    lead_count = fields.Integer(string="Leads", readonly=True)
    won_count = fields.Integer(string="Won", readonly=True)
    lost_count = fields.Integer(string="Lost", readonly=True)
    win_rate = fields.Float(
        string="Win Rate (%)",
        aggregator="avg",
        readonly=True,
        help=kpi_help("win_rate"),
    )
    cycle_days = fields.Float(
        string="Sales Cycle (days)",
        aggregator="avg",
        readonly=True,
        help=kpi_help("sales_cycle_days"),
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT lead.id,
                   lead.id AS lead_id,
                   lead.date_closed AS date,
                   lead.create_date AS date_open,
                   lead.won_status,
                   lead.source_id,
                   lead.campaign_id,
                   lead.logistics_source,
                   lead.user_id,
                   lead.team_id,
                   lead.partner_id,
                   lead.company_id,
                   main_lane.mode,
                   1 AS lead_count,
                   CASE WHEN lead.won_status = 'won' THEN 1 ELSE 0 END AS won_count,
                   CASE WHEN lead.won_status = 'lost' THEN 1 ELSE 0 END AS lost_count,
                   %(win)s AS win_rate,
                   %(cycle)s AS cycle_days
              FROM crm_lead lead
              LEFT JOIN LATERAL (
                    SELECT lane.mode
                      FROM logistics_lane lane
                     WHERE lane.lead_id = lead.id AND lane.active
                     ORDER BY lane.expected_revenue DESC NULLS LAST, lane.id
                     LIMIT 1
              ) main_lane ON TRUE
             WHERE lead.active OR lead.won_status = 'lost'
            """,
            win=kpi.win_value("lead"),
            cycle=kpi.sales_cycle_value("lead"),
        )
