from odoo import fields, models
from odoo.tools import SQL

from ..models.logistics_selections import QUOTE_STATES, TRANSPORT_MODES


class LogisticsQuoteAnalysis(models.Model):
    """Freight quotes per transport mode, for win rates by mode and salesperson.

    One row per quote (latest version) and mode of its freight lines. The win
    rate is 100 for an accepted quote, 0 for a rejected or expired one and
    empty while undecided, so its average is the win rate of decided quotes.
    """

    _name = "logistics.quote.analysis"
    _inherit = ["logistics.sales.report.dimensions"]
    _description = "Freight Quote Analysis"
    _auto = False
    _rec_name = "quote_id"
    _order = "date_quote desc"

    quote_id = fields.Many2one(comodel_name="logistics.quote", readonly=True)
    date_quote = fields.Date(string="Quote Date", readonly=True)
    state = fields.Selection(selection=QUOTE_STATES, readonly=True)
    mode = fields.Selection(selection=TRANSPORT_MODES, readonly=True)
    amount = fields.Float(string="Estimated Amount", readonly=True)
    win_rate = fields.Float(
        string="Win Rate (%)",
        aggregator="avg",
        readonly=True,
        help="Accepted quotes among the accepted, rejected and expired ones.",
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT min(line.id) AS id,
                   quote.id AS quote_id,
                   quote.user_id,
                   quote.team_id,
                   quote.partner_id,
                   quote.company_id,
                   quote.date_quote,
                   quote.state,
                   line.mode,
                   sum(line.estimate) AS amount,
                   CASE WHEN quote.state = 'accepted' THEN 100.0
                        WHEN quote.state IN ('rejected', 'expired') THEN 0.0
                   END AS win_rate
              FROM logistics_quote quote
              JOIN logistics_quote_line line
                ON line.quote_id = quote.id AND line.line_type = 'freight'
             WHERE quote.state != 'superseded'
             GROUP BY quote.id, line.mode
            """
        )
