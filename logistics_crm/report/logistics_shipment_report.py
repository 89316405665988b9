from odoo import fields, models
from odoo.tools import SQL

from ..models import logistics_kpi as kpi
from ..models.logistics_kpi import kpi_help
from ..models.logistics_selections import (
    MANAGER_GROUP,
    SHIPMENT_STATES,
    TRANSPORT_MODES,
)


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
                   %(on_time)s AS on_time_rate,
                   %(delay)s AS delay_hours,
                   %(exceptions)s AS exception_rate,
                   shipment.revenue,
                   shipment.margin,
                   %(margin_rate)s AS margin_rate
              FROM logistics_shipment shipment
              JOIN res_partner customer ON customer.id = shipment.partner_id
             WHERE %(counted)s
            """,
            on_time=kpi.on_time_value("shipment"),
            delay=kpi.delay_value("shipment"),
            exceptions=kpi.exception_value(kpi.shipment_exception_count("shipment")),
            margin_rate=kpi.margin_rate_value(
                SQL("shipment.margin"), SQL("shipment.revenue")
            ),
            counted=kpi.counted_shipment("shipment"),
        )
