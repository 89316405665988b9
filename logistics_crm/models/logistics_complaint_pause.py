from odoo import api, fields, models

from .logistics_naming import name_after_parent


class LogisticsComplaintPause(models.Model):
    """A period in which a ticket's SLA clocks stood still, and why."""

    _name = "logistics.complaint.pause"
    _description = "Complaint SLA Pause"
    _order = "date_from desc, id desc"
    _rec_names_search = ["complaint_id"]

    complaint_id = fields.Many2one(
        comodel_name="logistics.complaint",
        required=True,
        index=True,
        ondelete="cascade",
    )
    stage_id = fields.Many2one(
        comodel_name="logistics.complaint.stage", string="Reason", required=True
    )
    user_id = fields.Many2one(comodel_name="res.users", string="By", required=True)
    date_from = fields.Datetime(string="From", required=True)
    date_to = fields.Datetime(string="To")
    working_hours = fields.Float(
        digits=(16, 2), help="Working hours of the pause, known once it ends."
    )

    @api.depends("complaint_id.display_name", "stage_id")
    def _compute_display_name(self):
        name_after_parent(self, "complaint_id", "stage_id")
