from odoo import models


class LogisticsStatement(models.Model):
    _inherit = "logistics.statement"

    def _compute_access_url(self):
        # Replaces the base addon's back-office link: the portal's own page.
        for statement in self:
            statement.access_url = f"/my/statements/{statement.id}"
