from odoo import fields, models
from odoo.tools import SQL

from ..models import logistics_kpi as kpi
from ..models.logistics_kpi import kpi_help
from ..models.logistics_selections import QUOTE_STATES


class LogisticsQuoteConversion(models.Model):
    """Sent freight quotes and whether they became bookings, for the
    conversion rate and the days to booking by month sent, salesperson and
    team.

    One row per quote, its revisions included: the row is the latest version
    (its state, salesperson and booking), dated by the day the first version
    was sent, so a quote revised twice before it is booked counts once and
    its sales cycle from the first offer. Quotes never sent are left out.
    The conversion is 100 for a booked quote, 0 otherwise, so its average is
    the conversion rate of any grouping; the days to booking are empty until
    the quote is booked.
    """

    _name = "logistics.quote.conversion"
    _inherit = ["logistics.sales.report.dimensions"]
    _description = "Freight Quote Conversion"
    _auto = False
    _rec_name = "quote_id"
    _order = "date_sent desc"

    quote_id = fields.Many2one(comodel_name="logistics.quote", readonly=True)
    date_sent = fields.Datetime(string="First Sent On", readonly=True)
    state = fields.Selection(selection=QUOTE_STATES, readonly=True)
    booking_id = fields.Many2one(
        comodel_name="sale.order", string="Booking", readonly=True
    )
    date_booked = fields.Datetime(string="Booked On", readonly=True)
    quote_count = fields.Integer(string="Quotes Sent", readonly=True)
    booked_count = fields.Integer(string="Quotes Booked", readonly=True)
    conversion_rate = fields.Float(
        string="Conversion (%)",
        aggregator="avg",
        readonly=True,
        help=kpi_help("quote_conversion"),
    )
    days_to_booking = fields.Float(
        string="Days to Booking",
        aggregator="avg",
        readonly=True,
        help=kpi_help("days_to_booking"),
    )

    @property
    def _table_query(self):
        return SQL(
            """
            WITH RECURSIVE chain (quote_id, version_id) AS (
                SELECT quote.id, quote.id
                  FROM logistics_quote quote
                 WHERE quote.state != 'superseded'
                 UNION ALL
                SELECT chain.quote_id, version.previous_version_id
                  FROM chain
                  JOIN logistics_quote version ON version.id = chain.version_id
                 WHERE version.previous_version_id IS NOT NULL
            ), first_sent AS (
                SELECT chain.quote_id, min(version.date_sent) AS date_sent
                  FROM chain
                  JOIN logistics_quote version ON version.id = chain.version_id
                 GROUP BY chain.quote_id
            )
            SELECT quote.id,
                   quote.id AS quote_id,
                   first_sent.date_sent,
                   quote.state,
                   quote.user_id,
                   quote.team_id,
                   quote.partner_id,
                   quote.company_id,
                   booking.id AS booking_id,
                   CASE WHEN %(booked)s THEN booking.date_order END AS date_booked,
                   1 AS quote_count,
                   CASE WHEN %(booked)s THEN 1 ELSE 0 END AS booked_count,
                   %(conversion)s AS conversion_rate,
                   %(days)s AS days_to_booking
              FROM logistics_quote quote
              JOIN first_sent ON first_sent.quote_id = quote.id
              LEFT JOIN sale_order booking ON booking.id = quote.booking_id
             WHERE first_sent.date_sent IS NOT NULL
            """,
            booked=kpi.booked_order("booking"),
            conversion=kpi.conversion_value("booking"),
            days=kpi.days_to_booking_value(SQL("first_sent.date_sent"), "booking"),
        )
