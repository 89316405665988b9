from odoo import fields, models


class LogisticsDecisionCriterion(models.Model):
    """What a logistics buyer decides on: price, transit time, reliability..."""

    _name = "logistics.decision.criterion"
    _description = "Logistics Decision Criterion"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
