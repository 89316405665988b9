from odoo import fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    logistics_quote_line_id = fields.Many2one(
        comodel_name="logistics.quote.line",
        string="Freight Quote Line",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    logistics_shipment_id = fields.Many2one(
        comodel_name="logistics.shipment",
        string="Shipment",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
