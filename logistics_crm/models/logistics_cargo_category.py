from odoo import fields, models


class LogisticsCargoCategory(models.Model):
    _name = "logistics.cargo.category"
    _description = "Cargo Category"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    requires_special_handling = fields.Boolean(
        help="Shipments of this category need handling beyond standard freight "
        "(permits, temperature control, escorts...).",
    )
    active = fields.Boolean(default=True)

    _code_unique = models.UniqueIndex("(code)", "A cargo category code must be unique.")
