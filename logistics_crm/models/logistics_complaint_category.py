from odoo import fields, models


class LogisticsComplaintCategory(models.Model):
    """What a complaint is about, and who handles that kind by default."""

    _name = "logistics.complaint.category"
    _description = "Complaint Category"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    team_id = fields.Many2one(
        comodel_name="crm.team",
        string="Team",
        help="Handles the complaints of this category when the customer has no "
        "dedicated service team.",
    )
    root_cause_required = fields.Boolean(
        help="A ticket of this category cannot be closed without a root cause."
    )
    exception_types = fields.Char(
        help="Comma-separated shipment exception types that open a proactive "
        "ticket of this category (delay, damage, loss...).",
    )

    _code_unique = models.UniqueIndex(
        "(code)", "A complaint category code must be unique."
    )
