from odoo import fields, models
from odoo.tools import SQL

from ..models.logistics_selections import (
    FREIGHT_SERVICE_PREFIX,
    FREIGHT_SERVICES,
    TRANSPORT_MODES,
)

BOOKING_STATES = [
    ("draft", "Quotation"),
    ("sent", "Quotation Sent"),
    ("sale", "Confirmed"),
]


class LogisticsSalesReport(models.Model):
    """Bookings and what was invoiced of them, by month, mode, lane,
    salesperson, team and customer.

    One row per booking line of a logistics service (freight or surcharge):
    a surcharge carries the mode and lane of the freight line it is on, so a
    booking's whole revenue reads by mode and lane. Amounts are untaxed, in
    the company's currency; the invoiced amount is that of the posted
    invoices of the line, less its posted credit notes. Cancelled bookings
    are left out; the others carry their state, confirmed by default.
    """

    _name = "logistics.sales.report"
    _inherit = ["logistics.sales.report.dimensions"]
    _description = "Bookings and Invoicing Analysis"
    _auto = False
    _rec_name = "order_id"
    _order = "date desc"

    order_line_id = fields.Many2one(
        comodel_name="sale.order.line", string="Booking Line", readonly=True
    )
    order_id = fields.Many2one(
        comodel_name="sale.order", string="Booking", readonly=True
    )
    quote_id = fields.Many2one(
        comodel_name="logistics.quote", string="Freight Quote", readonly=True
    )
    date = fields.Datetime(string="Booking Date", readonly=True)
    state = fields.Selection(selection=BOOKING_STATES, readonly=True)
    product_id = fields.Many2one(comodel_name="product.product", readonly=True)
    service = fields.Selection(selection=FREIGHT_SERVICES, readonly=True)
    mode = fields.Selection(selection=TRANSPORT_MODES, readonly=True)
    lane_id = fields.Many2one(comodel_name="logistics.lane", readonly=True)
    shipment_id = fields.Many2one(comodel_name="logistics.shipment", readonly=True)
    amount_booked = fields.Float(
        string="Booked Amount",
        readonly=True,
        help="Untaxed amount of the booking lines, in the company's currency "
        "at the booking's rate.",
    )
    amount_invoiced = fields.Float(
        string="Invoiced Amount",
        readonly=True,
        help="Untaxed amount of the posted invoice lines made from the booking "
        "lines, less their posted credit notes, in the company's currency.",
    )
    amount_to_invoice = fields.Float(
        string="Not Yet Invoiced",
        readonly=True,
        help="Booked amount minus invoiced amount.",
    )
    # Distinct counts: a booking or a shipment spans several rows (its
    # freight lines and surcharges), and counts once in any grouping.
    booking_count = fields.Integer(
        string="Bookings", aggregator="count_distinct", readonly=True
    )
    shipment_count = fields.Integer(
        string="Shipments", aggregator="count_distinct", readonly=True
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT line.id,
                   line.id AS order_line_id,
                   booking.id AS order_id,
                   booking.logistics_quote_id AS quote_id,
                   booking.date_order AS date,
                   booking.state,
                   booking.user_id,
                   booking.team_id,
                   booking.partner_id,
                   booking.company_id,
                   line.product_id,
                   template.logistics_service AS service,
                   coalesce(
                       freight.mode,
                       CASE WHEN starts_with(template.logistics_service, %(prefix)s)
                            THEN substr(template.logistics_service, %(mode_start)s)
                       END
                   ) AS mode,
                   coalesce(freight.lane_id, shipment.lane_id) AS lane_id,
                   line.logistics_shipment_id AS shipment_id,
                   %(booked)s AS amount_booked,
                   %(invoiced)s AS amount_invoiced,
                   %(booked)s - %(invoiced)s AS amount_to_invoice,
                   booking.id AS booking_count,
                   line.logistics_shipment_id AS shipment_count
              FROM sale_order_line line
              JOIN sale_order booking ON booking.id = line.order_id
              JOIN product_product product ON product.id = line.product_id
              JOIN product_template template
                ON template.id = product.product_tmpl_id
             -- A surcharge's mode and lane are those of its freight line.
              LEFT JOIN logistics_quote_line quote_line
                ON quote_line.id = line.logistics_quote_line_id
              LEFT JOIN logistics_quote_line freight
                ON freight.id = coalesce(quote_line.parent_id, quote_line.id)
              LEFT JOIN logistics_shipment shipment
                ON shipment.id = line.logistics_shipment_id
             WHERE template.logistics_service IS NOT NULL
               AND line.display_type IS NULL
               AND booking.state != 'cancel'
            """,
            prefix=FREIGHT_SERVICE_PREFIX,
            mode_start=len(FREIGHT_SERVICE_PREFIX) + 1,
            booked=SQL(
                "line.price_subtotal / coalesce(nullif(booking.currency_rate, 0), 1.0)"
            ),
            invoiced=self._invoiced_amount("line"),
        )

    def _invoiced_amount(self, line):
        """What the posted customer invoices and credit notes of a booking
        line amount to, untaxed, in the company's currency: a scalar
        subquery, which PostgreSQL skips when no invoiced figure is asked.
        An invoice's income line is a credit (negative balance), a credit
        note's a debit, so minus the balance is invoiced less refunded."""
        return SQL(
            """coalesce((
                SELECT sum(-invoice_line.balance)
                  FROM sale_order_line_invoice_rel rel
                  JOIN account_move_line invoice_line
                    ON invoice_line.id = rel.invoice_line_id
                  JOIN account_move move ON move.id = invoice_line.move_id
                 WHERE rel.order_line_id = %(line)s.id
                   AND move.state = 'posted'
                   AND move.move_type IN ('out_invoice', 'out_refund')
            ), 0.0)""",
            line=SQL.identifier(line),
        )
