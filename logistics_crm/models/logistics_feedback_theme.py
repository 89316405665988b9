from odoo import fields, models


class LogisticsFeedbackTheme(models.Model):
    """What a survey comment is about (delay, damage, price...), tagged by
    the account team and counted beside the complaints' root causes."""

    _name = "logistics.feedback.theme"
    _description = "Feedback Theme"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    root_cause_id = fields.Many2one(
        comodel_name="logistics.complaint.root.cause",
        string="Complaint Root Cause",
        help="The complaint root cause this theme is counted beside.",
    )
    active = fields.Boolean(default=True)

    _code_unique = models.UniqueIndex("(code)", "A feedback theme code must be unique.")
