from odoo import models
from odoo.exceptions import UserError


class LogisticsComplaint(models.Model):
    _inherit = "logistics.complaint"

    def _compute_access_url(self):
        # Replaces the base addon's back-office link: the portal's own page.
        for complaint in self:
            complaint.access_url = f"/my/complaints/{complaint.id}"

    def _portal_close(self, partner):
        """Close the complaint on the customer's word, where its stage lets
        the customer do so; the chatter says who closed it."""
        self.ensure_one()
        if self.is_closed or not self.stage_id.portal_can_close:
            raise UserError(self.env._("This complaint cannot be closed now."))
        closed_stage = self.env["logistics.complaint.stage"].search(
            [("is_closed", "=", True), ("is_resolved", "=", True)], limit=1
        )
        if not closed_stage:
            raise UserError(self.env._("No stage closes complaints: ask us to."))
        self.stage_id = closed_stage
        self.message_post(
            body=self.env._("Closed by the customer from the portal."),
            author_id=partner.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return True
