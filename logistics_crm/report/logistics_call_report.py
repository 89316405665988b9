from odoo import fields, models
from odoo.tools import SQL

from ..models import logistics_kpi as kpi
from ..models.logistics_kpi import kpi_help
from ..models.logistics_selections import CALL_OUTCOMES


class LogisticsCallReport(models.Model):
    """The call center's KPIs, one row per call: calls held, first-contact
    resolution and handling time by agent, team, customer, direction,
    outcome and month. Calls per customer and per agent are this report
    grouped by customer or by agent."""

    _name = "logistics.call.report"
    _inherit = ["logistics.sales.report.dimensions"]
    _description = "Call Analysis"
    _auto = False
    _rec_name = "call_id"
    _order = "date desc"

    # The agent who held the call: the call's responsible, not a salesperson.
    user_id = fields.Many2one(string="Agent")
    call_id = fields.Many2one(
        comodel_name="crm.phonecall", string="Call", readonly=True
    )
    date = fields.Datetime(readonly=True)
    direction = fields.Selection(selection="_selection_direction", readonly=True)
    state = fields.Selection(
        selection="_selection_state", string="Status", readonly=True
    )
    outcome = fields.Selection(selection=CALL_OUTCOMES, readonly=True)
    tier_id = fields.Many2one(
        comodel_name="logistics.service.tier", string="Service Tier", readonly=True
    )
    complaint_id = fields.Many2one(
        comodel_name="logistics.complaint", string="Complaint", readonly=True
    )
    call_count = fields.Integer(
        string="Calls Held", readonly=True, help=kpi_help("calls_count")
    )
    fcr_rate = fields.Float(
        string="First-Contact Resolution (%)",
        aggregator="avg",
        readonly=True,
        help=kpi_help("fcr_rate"),
    )
    handling_minutes = fields.Float(
        string="Handling Time (min)",
        aggregator="avg",
        readonly=True,
        help=kpi_help("avg_handling_minutes"),
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT call.id,
                   call.id AS call_id,
                   call.date,
                   call.direction,
                   call.state,
                   call.outcome,
                   call.user_id,
                   call.team_id,
                   call.customer_id AS partner_id,
                   customer.tier_id,
                   call.complaint_id,
                   call.company_id,
                   %(held)s AS call_count,
                   %(fcr)s AS fcr_rate,
                   %(handling)s AS handling_minutes
              FROM crm_phonecall call
         LEFT JOIN res_partner customer ON customer.id = call.customer_id
             WHERE call.active
            """,
            held=kpi.call_held_value("call"),
            fcr=kpi.fcr_value("call"),
            handling=kpi.handling_minutes_value("call"),
        )

    def _selection_direction(self):
        return self.env["crm.phonecall"]._fields["direction"].selection

    def _selection_state(self):
        return self.env["crm.phonecall"]._fields["state"].selection
