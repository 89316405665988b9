from odoo import api, fields, models
from odoo.fields import Domain

from .logistics_naming import selection_label_domain
from .logistics_selections import TRANSPORT_MODES


class LogisticsCommissionRule(models.Model):
    """A percentage of a commission plan that applies instead of the plan's
    own rate to the lines of one transport mode, of one customer tier, or of
    both. The most specific matching rule wins (mode and tier over either
    alone), then the first by sequence."""

    _name = "logistics.commission.rule"
    _description = "Commission Rule by Mode or Tier"
    _order = "commission_id, sequence, id"
    _rec_names_search = ["tier_id", "commission_id"]

    sequence = fields.Integer(default=10)
    commission_id = fields.Many2one(
        comodel_name="commission",
        string="Commission Plan",
        required=True,
        ondelete="cascade",
        index=True,
    )
    mode = fields.Selection(selection=TRANSPORT_MODES, string="Transport Mode")
    tier_id = fields.Many2one(
        comodel_name="logistics.service.tier",
        string="Customer Tier",
        ondelete="restrict",
    )
    percent = fields.Float(string="Percentage", required=True, digits=(16, 2))

    # A rule without a criterion would shadow the plan's own rate.
    _criterion_set = models.Constraint(
        "CHECK (mode IS NOT NULL OR tier_id IS NOT NULL)",
        "A commission rule needs a transport mode, a customer tier or both.",
    )
    _percent_range = models.Constraint(
        "CHECK (percent >= 0 AND percent <= 100)",
        "A commission percentage lies between 0 and 100.",
    )
    _criteria_unique = models.UniqueIndex(
        "(commission_id, COALESCE(mode, ''), COALESCE(tier_id, 0))",
        "A commission plan has one rule per transport mode and tier.",
    )

    @api.depends("mode", "tier_id", "percent")
    def _compute_display_name(self):
        modes = dict(self._fields["mode"]._description_selection(self.env))
        for rule in self:
            criteria = " / ".join(
                filter(None, (modes.get(rule.mode), rule.tier_id.display_name))
            )
            rule.display_name = self.env._(
                "%(criteria)s: %(percent)s%%",
                criteria=criteria,
                percent=rule.percent,
            )

    @api.model
    def _search_display_name(self, operator, value):
        """A rule is found as it reads ("Air / Strategic: 6%"): each of its
        criteria must match its mode's label, its tier or its plan."""
        if operator not in ("ilike", "not ilike") or not isinstance(value, str):
            return super()._search_display_name(operator, value)
        criteria = value.split(":")[0]
        terms = [term.strip() for term in criteria.split("/") if term.strip()]
        if not terms:
            return super()._search_display_name(operator, value)
        domain = Domain.AND(
            Domain.OR(
                [Domain(fname, "ilike", term) for fname in self._rec_names_search]
                + [selection_label_domain(self, "mode", term)]
            )
            for term in terms
        )
        return ~domain if operator == "not ilike" else domain

    def _specificity(self):
        """Sort key: most criteria first, then sequence."""
        self.ensure_one()
        return (-(bool(self.mode) + bool(self.tier_id)), self.sequence, self.id)

    def _matches(self, mode, tier):
        self.ensure_one()
        return (not self.mode or self.mode == mode) and (
            not self.tier_id or self.tier_id == tier
        )
