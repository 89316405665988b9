from odoo import api, fields, models


class CommissionMakeSettle(models.TransientModel):
    """OCA settles commissions from its wizard only; the monthly job runs the
    same wizard so that every agent's closed periods are settled without
    anyone opening it."""

    _inherit = "commission.make.settle"

    @api.model
    def _cron_logistics_settle_commissions(self, date_to=None):
        """Settle every agent's sales-invoice commissions of the periods
        closed before ``date_to`` (today): for a monthly agent, one settlement
        per month up to the previous one. On a payment-based plan an invoice
        not yet paid waits for a later run, which adds it to its month's
        settlement. Returns the settlements touched."""
        wizard = self.create(
            {
                "settlement_type": "sale_invoice",
                "date_to": date_to or fields.Date.context_today(self),
            }
        )
        action = wizard.action_settle() or {}
        return self.env["commission.settlement"].search(
            action.get("domain") or [("id", "=", False)]
        )
