from odoo import fields, models


class LogisticsCommunicationChannel(models.Model):
    _name = "logistics.communication.channel"
    _description = "Communication Channel"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _code_unique = models.UniqueIndex(
        "(code)", "A communication channel code must be unique."
    )
