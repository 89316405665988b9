from odoo import fields, models


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    logistics_customer_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        related="partner_id.commercial_partner_id",
        store=True,
        index="btree_not_null",
    )
    logistics_invited_on = fields.Datetime(
        string="Invited On",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="When the relationship survey invited the contact: its cycle "
        "starts there.",
    )
    logistics_reminded = fields.Boolean(
        string="Reminded",
        readonly=True,
        copy=False,
        help="The one reminder of a relationship survey invitation was sent.",
    )
