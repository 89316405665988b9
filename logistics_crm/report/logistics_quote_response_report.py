from odoo import fields, models
from odoo.tools import SQL

from ..models import logistics_kpi as kpi
from ..models.logistics_kpi import kpi_help
from ..models.logistics_selections import (
    QUOTE_REQUEST_STATES,
    RESPONSE_STATUSES,
    TRANSPORT_MODES,
)


class LogisticsQuoteResponseReport(models.Model):
    """Quote requests against their response target: the pre-sale KPI
    "quote response time vs target" by month, salesperson, team, tier and
    mode, one row per request."""

    _name = "logistics.quote.response.report"
    _inherit = ["logistics.sales.report.dimensions"]
    _description = "Quote Response Analysis"
    _auto = False
    _rec_name = "request_id"
    _order = "date desc"

    request_id = fields.Many2one(
        comodel_name="logistics.quote.request", string="Request", readonly=True
    )
    date = fields.Datetime(string="Received On", readonly=True)
    state = fields.Selection(selection=QUOTE_REQUEST_STATES, readonly=True)
    response_status = fields.Selection(selection=RESPONSE_STATUSES, readonly=True)
    priced_mode = fields.Selection(
        selection=TRANSPORT_MODES, string="Mode", readonly=True
    )
    is_prospect = fields.Boolean(string="Prospect", readonly=True)
    instant_price = fields.Boolean(string="Priced at Once", readonly=True)
    tier_id = fields.Many2one(
        comodel_name="logistics.service.tier", string="Tier", readonly=True
    )
    request_count = fields.Integer(string="Requests", readonly=True)
    target_hours = fields.Float(
        string="Target (working h)", aggregator="avg", readonly=True
    )
    response_met_rate = fields.Float(
        string="On Time (%)",
        aggregator="avg",
        readonly=True,
        help=kpi_help("quote_response_met"),
    )
    response_hours = fields.Float(
        string="Working Hours to Quote",
        aggregator="avg",
        readonly=True,
        help=kpi_help("quote_response_hours"),
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT request.id,
                   request.id AS request_id,
                   request.create_date AS date,
                   request.state,
                   request.response_status,
                   request.priced_mode,
                   coalesce(request.is_prospect, FALSE) AS is_prospect,
                   request.rate_card_line_id IS NOT NULL AS instant_price,
                   lead.user_id,
                   lead.team_id,
                   request.partner_id,
                   customer.tier_id,
                   request.company_id,
                   1 AS request_count,
                   request.response_target_hours AS target_hours,
                   %(met)s AS response_met_rate,
                   %(hours)s AS response_hours
              FROM logistics_quote_request request
              JOIN res_partner partner ON partner.id = request.partner_id
              JOIN res_partner customer
                ON customer.id = coalesce(partner.commercial_partner_id, partner.id)
              LEFT JOIN crm_lead lead ON lead.id = request.lead_id
            """,
            met=kpi.quote_response_met_value("request"),
            hours=kpi.quote_response_hours_value("request"),
        )
