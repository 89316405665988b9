from odoo import fields, models


class LogisticsComplaintStage(models.Model):
    """A step of the complaint workflow and what entering it means."""

    _name = "logistics.complaint.stage"
    _description = "Complaint Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    fold = fields.Boolean(string="Folded in Kanban")
    pause_sla = fields.Boolean(
        string="Waiting on Customer",
        help="The SLA clocks stop while a ticket is in this stage.",
    )
    is_resolved = fields.Boolean(
        string="Resolved",
        help="Entering this stage meets the resolution milestone and asks the "
        "customer for a rating.",
    )
    is_closed = fields.Boolean(
        string="Closed",
        help="Tickets in this stage are finished. A closed stage that is not "
        "resolved cancels the ticket and stops its SLA clocks.",
    )
    mail_template_id = fields.Many2one(
        comodel_name="mail.template",
        string="Email to Customer",
        domain="[('model', '=', 'logistics.complaint')]",
        help="Sent to the customer when a ticket enters this stage.",
    )
    portal_can_close = fields.Boolean(
        string="Customer May Close",
        help="Customers may close a ticket from the portal while it is in this stage.",
    )
