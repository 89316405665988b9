from odoo import fields, models

from odoo.addons.account.models.account_move import PAYMENT_STATE_SELECTION


class InvoiceCommissionAnalysisReport(models.Model):
    """OCA's commission analysis, with the invoice's payment status: on a
    payment-based plan only paid invoices' commissions are due."""

    _inherit = "invoice.commission.analysis.report"
    # What the view reads, flushed before it is searched (OCA declares none,
    # so a payment or a commission of the same transaction went unseen).
    _depends = {
        "account.move": ["partner_id", "state", "date", "payment_state"],
        "account.move.line": [
            "move_id",
            "company_id",
            "product_id",
            "quantity",
            "price_unit",
            "price_subtotal",
            "balance",
        ],
        "account.invoice.line.agent": [
            "object_id",
            "agent_id",
            "commission_id",
            "amount",
            "settled",
        ],
        "commission": ["fix_qty"],
    }

    payment_state = fields.Selection(
        selection=PAYMENT_STATE_SELECTION,
        string="Payment Status",
        readonly=True,
    )

    def _select(self):
        return super()._select() + ", ai.payment_state AS payment_state"

    def _group_by(self):
        return super()._group_by() + ", ai.payment_state"
