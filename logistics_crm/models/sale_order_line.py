from odoo import api, fields, models


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

    @api.depends("order_id.partner_id", "order_id.user_id")
    def _compute_agent_ids(self):
        """OCA gives a line the customer's agents; the booking's salesperson,
        when an agent, earns commission on it too."""
        result = super()._compute_agent_ids()
        for line in self:
            if line.order_id.partner_id and not line.commission_free:
                commands = line._logistics_salesperson_agent_commands(
                    line.order_id.user_id
                )
                if commands:
                    line.agent_ids = commands
        return result

    def _logistics_commission_scope(self):
        self.ensure_one()
        quote_line = self.logistics_quote_line_id
        return {
            # A booking not yet confirmed has no shipment: its quote line
            # (or, for a surcharge, its freight line) tells the mode.
            "mode": self.logistics_shipment_id.mode
            or quote_line.mode
            or quote_line.parent_id.mode,
            "tier": self.order_id.partner_id.commercial_partner_id.tier_id,
            "cost": self._logistics_cost_share(self.product_uom_qty, self.currency_id),
        }

    def _logistics_cost_share(self, quantity, currency):
        """The part of the shipment's cost that ``quantity`` of this line
        carries, in ``currency``: the shipment's cost split over its lines by
        revenue, then by quantity. None without a shipment."""
        self.ensure_one()
        shipment = self.logistics_shipment_id
        if not shipment:
            return None
        total = sum(shipment.sale_line_ids.mapped("price_subtotal"))
        if not total or not self.product_uom_qty:
            return 0.0
        share = (
            shipment.cost
            * (self.price_subtotal / total)
            * (quantity / self.product_uom_qty)
        )
        return shipment.currency_id._convert(
            share,
            currency,
            self.company_id,
            self.order_id.date_order or fields.Date.context_today(self),
        )
