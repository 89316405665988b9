from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    logistics_on_time_tolerance_hours = fields.Float(
        string="On-Time Tolerance (hours)",
        default=2.0,
        help="A shipment delivered no later than its promised date plus this "
        "tolerance counts as on time.",
    )

    _check_logistics_on_time_tolerance = models.Constraint(
        "CHECK (logistics_on_time_tolerance_hours >= 0)",
        "The on-time tolerance cannot be negative.",
    )
