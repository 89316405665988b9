from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    logistics_on_time_tolerance_hours = fields.Float(
        related="company_id.logistics_on_time_tolerance_hours",
        readonly=False,
    )
