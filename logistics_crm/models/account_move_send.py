from odoo import api, models


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    @api.model
    def _get_invoice_extra_attachments(self, move):
        # A month's invoice goes out with its statement of account (PDF and
        # Excel), made when the invoice is first sent rather than by the
        # settlement job for every customer at once.
        attachments = super()._get_invoice_extra_attachments(move)
        statement = (
            self.env["logistics.statement"]
            .sudo()
            .search([("invoice_id", "=", move.id)], limit=1)
        )
        return attachments | statement._statement_attachments()
