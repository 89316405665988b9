from odoo import fields, models
from odoo.tools import SQL

from ..models.logistics_selections import SHIPMENT_STATES, TRANSPORT_MODES
from .logistics_kpi import kpi_help

MANAGER_GROUP = "logistics_crm.logistics_crm_group_manager"


class LogisticsShipmentReport(models.Model):
    """Shipments with the customer's tier and account manager, for the KPIs
    by customer, tier, lane, mode, carrier and month.

    Rates are stored per row as 100 or 0 (empty when the row does not count)
    and averaged by the pivot, so every grouping gets the right rate.
    """

    _name = "logistics.shipment.report"
    _inherit = ["logistics.report.dimensions"]
    _description = "Shipment Analysis"
    _auto = False
    _rec_name = "shipment_id"
    _order = "date desc"

    shipment_id = fields.Many2one(comodel_name="logistics.shipment", readonly=True)
    date = fields.Datetime(string="Promised Date", readonly=True)
    mode = fields.Selection(selection=TRANSPORT_MODES, readonly=True)
    state = fields.Selection(selection=SHIPMENT_STATES, readonly=True)
    shipment_count = fields.Integer(string="Shipments", readonly=True)
    on_time_rate = fields.Float(
        string="On-Time Rate (%)",
        aggregator="avg",
        readonly=True,
        help=kpi_help("on_time_rate"),
    )
    delay_hours = fields.Float(
        string="Delay of Late Shipments (h)",
        aggregator="avg",
        readonly=True,
        help=kpi_help("avg_delay_hours"),
    )
    exception_rate = fields.Float(
        string="Exceptions per 100 Shipments",
        aggregator="avg",
        readonly=True,
        help=kpi_help("exception_rate"),
    )
    revenue = fields.Float(readonly=True)
    margin = fields.Float(readonly=True, groups=MANAGER_GROUP)
    margin_rate = fields.Float(
        string="Margin Rate (%)",
        aggregator="avg",
        readonly=True,
        groups=MANAGER_GROUP,
        help=kpi_help("margin_rate"),
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT shipment.id,
                   shipment.id AS shipment_id,
                   shipment.promised_date AS date,
                   shipment.partner_id,
                   customer.tier_id,
                   customer.account_manager_id,
                   shipment.lane_id,
                   shipment.mode,
                   shipment.carrier_id,
                   shipment.company_id,
                   shipment.state,
                   1 AS shipment_count,
                   CASE WHEN shipment.state != 'delivered' THEN NULL
                        WHEN shipment.is_on_time THEN 100.0 ELSE 0.0
                   END AS on_time_rate,
                   CASE WHEN shipment.state = 'delivered'
                         AND NOT shipment.is_on_time
                        THEN shipment.delivery_delay_hours
                   END AS delay_hours,
                   -- A scalar subquery, not a join: PostgreSQL skips it when
                   -- the exception rate is not asked for (the on-time pivot).
                   100.0 * (
                       SELECT count(*) FROM logistics_shipment_exception exception
                        WHERE exception.shipment_id = shipment.id
                   ) AS exception_rate,
                   shipment.revenue,
                   shipment.margin,
                   CASE WHEN shipment.revenue > 0
                        THEN 100.0 * shipment.margin / shipment.revenue
                   END AS margin_rate
              FROM logistics_shipment shipment
              JOIN res_partner customer ON customer.id = shipment.partner_id
             WHERE shipment.active AND shipment.state != 'cancelled'
            """
        )
