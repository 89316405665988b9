from odoo import fields, models


class LogisticsComplaintPause(models.Model):
    """A period in which a ticket's SLA clocks stood still, and why."""

    _name = "logistics.complaint.pause"
    _description = "Complaint SLA Pause"
    _order = "date_from desc, id desc"

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
