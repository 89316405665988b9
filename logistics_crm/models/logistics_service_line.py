from odoo import fields, models

from .logistics_selections import SERVICE_LINE_KINDS


class LogisticsServiceLine(models.Model):
    """A line of business the company sells: each transport mode, and the
    services beyond transport (customs, warehousing, insurance, door
    delivery). How many of them a customer uses is its service breadth; an
    archived line is one the company no longer offers and counts for no
    one."""

    _name = "logistics.service.line"
    _description = "Service Line"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="The transport mode of the shipments, or the logistics service of "
        "the booked products, that this line counts.",
    )
    kind = fields.Selection(selection=SERVICE_LINE_KINDS, required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _code_unique = models.UniqueIndex("(code)", "A service line code must be unique.")
