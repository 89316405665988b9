from odoo import Command, models


class CommissionMixin(models.AbstractModel):
    """What a commissioned line (sale or invoice line) tells the commission
    rules: its transport mode, its customer's tier and, for a margin plan,
    its share of the shipment's cost."""

    _inherit = "commission.mixin"

    def _logistics_commission_scope(self):
        """``{"mode": str|False, "tier": logistics.service.tier,
        "cost": float|None}``; a cost of None lets OCA take the product's cost.
        Lines of other documents have no logistics scope."""
        self.ensure_one()
        return {
            "mode": False,
            "tier": self.env["logistics.service.tier"],
            "cost": None,
        }

    def _logistics_salesperson_agent_commands(self, user):
        """The command adding ``user``'s partner as agent of the line, when
        that partner is an agent with a plan for sales invoices and not an
        agent of the line already: the document's salesperson earns
        commission on it as the customer's external agents do."""
        self.ensure_one()
        agent = user.partner_id
        if (
            not agent.agent
            or agent in self.agent_ids.agent_id
            or agent.commission_id.settlement_type not in (False, "sale_invoice")
        ):
            return []
        return [Command.create(self._prepare_agent_vals(agent))]
