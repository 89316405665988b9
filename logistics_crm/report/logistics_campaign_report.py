from odoo import fields, models
from odoo.tools import SQL

from ..models import logistics_kpi as kpi
from ..models.logistics_kpi import kpi_help

# Odoo's own reading of a mailing trace (mailing.mailing._compute_statistics):
# delivered is sent, opened or replied; opened is opened or replied.
DELIVERED_TRACE_STATES = ("sent", "open", "reply")
OPENED_TRACE_STATES = ("open", "reply")


class LogisticsCampaignReport(models.Model):
    """A marketing campaign from its e-mails to its revenue: how many
    recipients its mailings reached, how many opened and clicked, the leads it
    brought (lost ones included), their freight quotes, the leads won, and the
    bookings attributed to it with their booked and invoiced revenue, against
    what the campaign cost.

    One row per campaign. A lead belongs to the campaign it carries (from the
    mailing's links, the quote form's UTM cookies or typed in); a quote to its
    lead's campaign; a booking to its own campaign, which a booking made from
    a quote takes from the quote's opportunity and a quotation made in CRM
    from Odoo's own sale_crm. Revenue reads the bookings and invoicing
    analysis (logistics.sales.report): confirmed bookings of logistics
    services, untaxed, in the company's currency.
    """

    _name = "logistics.campaign.report"
    _description = "Campaign Results"
    _auto = False
    _rec_name = "campaign_id"
    _order = "amount_booked desc, campaign_id"
    # Read right after the booking is confirmed or the lead won: what the
    # view reads is flushed first.
    _depends = {
        "utm.campaign": ["active", "user_id", "stage_id", "logistics_cost"],
        "mailing.mailing": ["campaign_id"],
        "mailing.trace": ["mass_mailing_id", "trace_status", "links_click_datetime"],
        "crm.lead": ["campaign_id", "won_status"],
        "logistics.quote": ["lead_id", "state"],
        "sale.order": ["campaign_id", "state", "currency_rate"],
        "sale.order.line": ["order_id", "price_subtotal", "invoice_lines"],
        "account.move": ["state", "move_type"],
    }

    campaign_id = fields.Many2one(comodel_name="utm.campaign", readonly=True)
    user_id = fields.Many2one(
        comodel_name="res.users", string="Responsible", readonly=True
    )
    stage_id = fields.Many2one(comodel_name="utm.stage", readonly=True)
    date = fields.Datetime(string="Created On", readonly=True)
    mailing_count = fields.Integer(string="Mailings", readonly=True)
    reached_count = fields.Integer(
        string="Reached",
        readonly=True,
        help="Recipients of the campaign's mailings to whom the e-mail was "
        "delivered (delivered, opened or replied), as Odoo's Email Marketing "
        "counts them.",
    )
    opened_count = fields.Integer(
        string="Opened",
        readonly=True,
        help="Recipients who opened one of the campaign's e-mails (or replied).",
    )
    clicked_count = fields.Integer(
        string="Clicked",
        readonly=True,
        help="Recipients who clicked a link of one of the campaign's e-mails.",
    )
    lead_count = fields.Integer(
        string="Leads",
        readonly=True,
        help="Leads and opportunities of the campaign, the lost ones included.",
    )
    quote_count = fields.Integer(
        string="Quotes",
        readonly=True,
        help="Freight quotes made for the campaign's opportunities, a quote "
        "and its revisions once.",
    )
    won_count = fields.Integer(string="Won", readonly=True)
    booking_count = fields.Integer(
        string="Bookings",
        readonly=True,
        help="Confirmed bookings attributed to the campaign.",
    )
    amount_booked = fields.Float(
        string="Booked Revenue",
        readonly=True,
        help="Untaxed amount of the campaign's confirmed bookings of logistics "
        "services, in the company's currency.",
    )
    amount_invoiced = fields.Float(
        string="Invoiced Revenue",
        readonly=True,
        help="Untaxed amount of the posted invoices of those bookings, less "
        "their posted credit notes, in the company's currency.",
    )
    cost = fields.Float(
        readonly=True,
        help="What the campaign cost, as entered on the campaign.",
    )
    # A ratio of sums: averaging it over campaigns would be wrong, so the
    # pivot shows it per campaign only.
    roi = fields.Float(
        string="ROI (%)", aggregator=None, readonly=True, help=kpi_help("campaign_roi")
    )

    @property
    def _table_query(self):
        sales = self.env["logistics.sales.report"]
        return SQL(
            """
            WITH traces AS (
                SELECT mailing.campaign_id,
                       count(DISTINCT mailing.id) AS mailing_count,
                       count(trace.id) FILTER (
                           WHERE trace.trace_status IN %(delivered)s
                       ) AS reached_count,
                       count(trace.id) FILTER (
                           WHERE trace.trace_status IN %(opened)s
                       ) AS opened_count,
                       count(trace.links_click_datetime) AS clicked_count
                  FROM mailing_mailing mailing
                  LEFT JOIN mailing_trace trace
                    ON trace.mass_mailing_id = mailing.id
                 WHERE mailing.campaign_id IS NOT NULL
                 GROUP BY mailing.campaign_id
            ), leads AS (
                SELECT lead.campaign_id,
                       count(*) AS lead_count,
                       count(*) FILTER (WHERE lead.won_status = 'won') AS won_count
                  FROM crm_lead lead
                 WHERE lead.campaign_id IS NOT NULL
                 GROUP BY lead.campaign_id
            ), quotes AS (
                SELECT lead.campaign_id, count(*) AS quote_count
                  FROM logistics_quote quote
                  JOIN crm_lead lead ON lead.id = quote.lead_id
                 WHERE lead.campaign_id IS NOT NULL
                   AND quote.state != 'superseded'
                 GROUP BY lead.campaign_id
            ), revenue AS (
                SELECT booking.campaign_id,
                       count(DISTINCT booking.id) AS booking_count,
                       sum(sales.amount_booked) AS amount_booked,
                       sum(sales.amount_invoiced) AS amount_invoiced
                  FROM (%(sales)s) sales
                  JOIN sale_order booking ON booking.id = sales.order_id
                 WHERE booking.campaign_id IS NOT NULL
                   AND %(booked)s
                 GROUP BY booking.campaign_id
            )
            SELECT campaign.id,
                   campaign.id AS campaign_id,
                   campaign.user_id,
                   campaign.stage_id,
                   campaign.create_date AS date,
                   coalesce(traces.mailing_count, 0) AS mailing_count,
                   coalesce(traces.reached_count, 0) AS reached_count,
                   coalesce(traces.opened_count, 0) AS opened_count,
                   coalesce(traces.clicked_count, 0) AS clicked_count,
                   coalesce(leads.lead_count, 0) AS lead_count,
                   coalesce(quotes.quote_count, 0) AS quote_count,
                   coalesce(leads.won_count, 0) AS won_count,
                   coalesce(revenue.booking_count, 0) AS booking_count,
                   coalesce(revenue.amount_booked, 0.0) AS amount_booked,
                   coalesce(revenue.amount_invoiced, 0.0) AS amount_invoiced,
                   coalesce(campaign.logistics_cost, 0.0) AS cost,
                   %(roi)s AS roi
              FROM utm_campaign campaign
              LEFT JOIN traces ON traces.campaign_id = campaign.id
              LEFT JOIN leads ON leads.campaign_id = campaign.id
              LEFT JOIN quotes ON quotes.campaign_id = campaign.id
              LEFT JOIN revenue ON revenue.campaign_id = campaign.id
             WHERE campaign.active
            """,
            delivered=DELIVERED_TRACE_STATES,
            opened=OPENED_TRACE_STATES,
            sales=sales._table_query,
            booked=kpi.booked_order("sales"),
            roi=kpi.campaign_roi_value(
                SQL("coalesce(revenue.amount_booked, 0.0)"),
                SQL("campaign.logistics_cost"),
            ),
        )
