from odoo import models


class LogisticsQuote(models.Model):
    _inherit = "logistics.quote"

    def _compute_access_url(self):
        # Replaces the base addon's back-office link: the portal's own page.
        for quote in self:
            quote.access_url = f"/my/quotes/{quote.id}"
