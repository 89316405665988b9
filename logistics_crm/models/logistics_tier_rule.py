from odoo import api, fields, models

from .logistics_naming import selection_label_domain


class LogisticsTierRule(models.Model):
    """One scoring criterion: a metric turned into 0-100 points, with a weight.

    Points grow linearly from ``zero_points_at`` (0 points) to
    ``full_points_at`` (100 points); when the first is above the second, lower
    values score better (exception rate, for instance).
    """

    _name = "logistics.tier.rule"
    _description = "Tier Scoring Rule"
    _order = "sequence, id"

    sequence = fields.Integer(default=10)
    purpose = fields.Selection(
        selection=[("tier", "Service Tier"), ("churn", "Churn Risk")],
        required=True,
        default="tier",
        help="The score this rule counts in: the customer's value (service "
        "tier) or the risk of losing the customer.",
    )
    metric = fields.Selection(selection="_selection_metric", required=True)
    weight = fields.Float(required=True, default=1.0)
    zero_points_at = fields.Float(string="0 Points At", required=True)
    full_points_at = fields.Float(string="100 Points At", required=True)
    active = fields.Boolean(default=True)

    _check_weight = models.Constraint(
        "CHECK (weight > 0)", "The weight of a scoring rule must be positive."
    )
    _check_thresholds = models.Constraint(
        "CHECK (zero_points_at <> full_points_at)",
        "The values giving 0 and 100 points must differ.",
    )

    @api.model
    def _selection_metric(self):
        return [
            (code, metric.label)
            for code, metric in self.env["logistics.customer.metrics"]
            ._metrics()
            .items()
        ]

    @api.depends("metric", "weight")
    def _compute_display_name(self):
        labels = dict(self._selection_metric())
        for rule in self:
            rule.display_name = labels.get(rule.metric, "")

    def _search_display_name(self, operator, value):
        # A rule reads as its metric's label: search that, not the code.
        if operator not in ("ilike", "not ilike") or not isinstance(value, str):
            return super()._search_display_name(operator, value)
        domain = selection_label_domain(self, "metric", value)
        return ~domain if operator == "not ilike" else domain

    def _scorer(self):
        """Return a function scoring one customer's metric values under these
        rules: ``{metric: value} -> (score, breakdown)``. The rules' fields
        are read here once, not again for every customer of a batch."""
        total_weight = sum(self.mapped("weight")) or 1.0
        specs = [
            (rule.metric, rule.weight, rule.zero_points_at, rule.full_points_at)
            for rule in self
        ]

        def score(values):
            total, breakdown = 0.0, []
            for metric, weight, zero_at, full_at in specs:
                value = values[metric]
                # A rate without a denominator scores as 0, as it always has;
                # the breakdown keeps it empty rather than claiming 0 %.
                points = 100.0 * ((value or 0.0) - zero_at) / (full_at - zero_at)
                # Clamped to 0-100 without min/max: 400 000 calls a run.
                if points < 0.0:
                    points = 0.0
                elif points > 100.0:
                    points = 100.0
                total += points * weight / total_weight
                breakdown.append(
                    {
                        "metric": metric,
                        "value": None if value is None else round(value, 2),
                        "points": round(points, 1),
                        "weight": weight,
                    }
                )
            return total, breakdown

        return score
