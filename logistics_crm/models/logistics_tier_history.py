from odoo import fields, models


class LogisticsTierHistory(models.Model):
    """A change of a customer's service tier, written only when it changes."""

    _name = "logistics.tier.history"
    _description = "Service Tier History"
    _order = "date desc, id desc"

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    old_tier_id = fields.Many2one(comodel_name="logistics.service.tier", string="From")
    new_tier_id = fields.Many2one(
        comodel_name="logistics.service.tier", string="To", required=True
    )
    score = fields.Float(digits=(16, 1))
    origin = fields.Selection(
        selection=[("computed", "Computed"), ("override", "Manual Override")],
        required=True,
        default="computed",
    )
    reason = fields.Text()
    user_id = fields.Many2one(
        comodel_name="res.users", string="By", default=lambda self: self.env.user
    )
