from odoo import api, fields, models


class SaleOrder(models.Model):
    """A booking: the sale order an accepted freight quote becomes."""

    _inherit = "sale.order"

    logistics_quote_id = fields.Many2one(
        comodel_name="logistics.quote",
        string="Freight Quote",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    logistics_shipment_ids = fields.One2many(
        comodel_name="logistics.shipment",
        inverse_name="sale_order_id",
        string="Shipments",
    )
    logistics_shipment_count = fields.Integer(
        string="Shipment Count", compute="_compute_logistics_shipment_count"
    )

    # A quote is booked once, even when accepted from two tabs at once.
    _logistics_quote_unique = models.UniqueIndex(
        "(logistics_quote_id) WHERE logistics_quote_id IS NOT NULL",
        "This freight quote is already booked.",
    )

    @api.depends("logistics_shipment_ids")
    def _compute_logistics_shipment_count(self):
        counts = dict(
            self.env["logistics.shipment"]._read_group(
                [("sale_order_id", "in", self.ids)], ["sale_order_id"], ["__count"]
            )
        )
        for order in self:
            order.logistics_shipment_count = counts.get(order, 0)

    def action_view_logistics_shipments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_crm.logistics_shipment_action"
        )
        action["domain"] = [("sale_order_id", "=", self.id)]
        action["context"] = {"default_sale_order_id": self.id, "create": False}
        return action

    def _action_confirm(self):
        result = super()._action_confirm()
        self.env["logistics.booking"]._create_shipments(self)
        return result
