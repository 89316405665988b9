from odoo import api, fields, models


class LogisticsQuoteAccept(models.TransientModel):
    """Staff record an acceptance the customer gave by phone, mail or in
    person: the same answer as on the portal, with who accepted."""

    _name = "logistics.quote.accept"
    _description = "Record a Quote Acceptance"

    quote_id = fields.Many2one(
        comodel_name="logistics.quote", required=True, ondelete="cascade"
    )
    accepted_by = fields.Char(
        required=True,
        help="The customer's person who accepted the quote.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        quote = self.env["logistics.quote"].browse(
            values.get("quote_id") or self.env.context.get("active_id")
        )
        if quote:
            values["quote_id"] = quote.id
            contact = quote.lead_id.partner_id or quote.partner_id
            if "accepted_by" in fields_list and not contact.is_company:
                values.setdefault("accepted_by", contact.name)
        return values

    def action_accept(self):
        self.ensure_one()
        self.quote_id.action_accept(self.accepted_by)
        return self.quote_id.action_view_booking()
