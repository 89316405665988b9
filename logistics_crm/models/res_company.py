from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    logistics_on_time_tolerance_hours = fields.Float(
        string="On-Time Tolerance (hours)",
        default=2.0,
        help="A shipment delivered no later than its promised date plus this "
        "tolerance counts as on time.",
    )

    logistics_eta_threshold_hours = fields.Float(
        string="ETA Change Threshold (hours)",
        default=4.0,
        help="Customers hear of a new ETA when it moves more than this from "
        "the ETA they were last told.",
    )

    _check_logistics_eta_threshold = models.Constraint(
        "CHECK (logistics_eta_threshold_hours >= 0)",
        "The ETA change threshold cannot be negative.",
    )
    _check_logistics_on_time_tolerance = models.Constraint(
        "CHECK (logistics_on_time_tolerance_hours >= 0)",
        "The on-time tolerance cannot be negative.",
    )
