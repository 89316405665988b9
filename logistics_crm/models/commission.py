from odoo import fields, models


class Commission(models.Model):
    """OCA's commission plan, with optional rates by transport mode and
    customer tier on top of its own percentage or sections."""

    _inherit = "commission"

    logistics_rule_ids = fields.One2many(
        comodel_name="logistics.commission.rule",
        inverse_name="commission_id",
        string="Rates by Mode or Tier",
        copy=True,
        help="A line of a matching transport mode and/or customer tier earns "
        "the rule's percentage instead of the plan's rate; the most specific "
        "rule wins.",
    )

    def _logistics_rule(self, mode, tier):
        """The rule that rates a line of transport ``mode`` for a customer of
        ``tier``, or an empty recordset when the plan's own rate applies."""
        self.ensure_one()
        rules = self.logistics_rule_ids.filtered(lambda r: r._matches(mode, tier))
        return rules.sorted(lambda r: r._specificity())[:1]
