from odoo import api, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    @api.depends("move_id.partner_id", "move_id.invoice_user_id")
    def _compute_agent_ids(self):
        """Lines invoiced from a booking carry its lines' agents (OCA copies
        them); when OCA recomputes them from the customer (a new customer,
        *Regenerate agents*), the invoice's salesperson keeps earning, as on
        the booking."""
        result = super()._compute_agent_ids()
        for line in self:
            if (
                line.move_id.partner_id
                and line.move_id.move_type[:3] == "out"
                and line.product_id
                and not line.commission_free
            ):
                commands = line._logistics_salesperson_agent_commands(
                    line.move_id.invoice_user_id
                )
                if commands:
                    line.agent_ids = commands
        return result

    def _logistics_commission_scope(self):
        self.ensure_one()
        sale_lines = self.sale_line_ids
        costs = [
            cost
            for cost in (
                sale_line._logistics_cost_share(self.quantity, self.currency_id)
                for sale_line in sale_lines
            )
            if cost is not None
        ]
        first = sale_lines[:1]
        return {
            "mode": first._logistics_commission_scope()["mode"] if first else False,
            "tier": self.move_id.partner_id.commercial_partner_id.tier_id,
            "cost": sum(costs) if costs else None,
        }
