from odoo import api, fields, models


class LogisticsComplaintRootCause(models.Model):
    """A coded root cause, so causes can be counted across complaints."""

    _name = "logistics.complaint.root.cause"
    _description = "Complaint Root Cause"
    _order = "code, id"

    code = fields.Char(required=True)
    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)

    _code_unique = models.UniqueIndex("(code)", "A root-cause code must be unique.")

    @api.depends("code", "name")
    def _compute_display_name(self):
        for cause in self:
            cause.display_name = f"[{cause.code}] {cause.name}"
