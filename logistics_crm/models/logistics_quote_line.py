from odoo import api, fields, models

from .logistics_selections import SURCHARGE_TYPES, TRANSPORT_MODES

RATE_BASES = [
    ("shipment", "Per Shipment"),
    ("kg", "Per kg"),
    ("m3", "Per m³"),
    ("teu", "Per TEU"),
    ("pallet", "Per Pallet"),
    ("container", "Per Container"),
]


class LogisticsQuoteLine(models.Model):
    """A freight rate for a lane, or a surcharge on such a rate."""

    _name = "logistics.quote.line"
    _description = "Freight Quote Line"
    _order = "quote_id, sequence, id"
    _rec_names_search = ["lane_id", "quote_id"]

    quote_id = fields.Many2one(
        comodel_name="logistics.quote",
        required=True,
        index=True,
        ondelete="cascade",
    )
    sequence = fields.Integer(default=10)
    line_type = fields.Selection(
        selection=[("freight", "Freight"), ("surcharge", "Surcharge")],
        required=True,
        default="freight",
    )
    parent_id = fields.Many2one(
        comodel_name="logistics.quote.line",
        string="Surcharge On",
        domain="[('quote_id', '=', quote_id), ('line_type', '=', 'freight')]",
        ondelete="cascade",
    )
    surcharge_type = fields.Selection(selection=SURCHARGE_TYPES)
    lane_id = fields.Many2one(comodel_name="logistics.lane", string="Lane")
    mode = fields.Selection(
        selection=TRANSPORT_MODES,
        compute="_compute_from_lane",
        store=True,
        readonly=False,
    )
    equipment = fields.Char(compute="_compute_from_lane", store=True, readonly=False)
    rate_basis = fields.Selection(
        selection=RATE_BASES, required=True, default="shipment"
    )
    currency_id = fields.Many2one(related="quote_id.currency_id")
    rate = fields.Monetary(required=True)
    minimum_charge = fields.Monetary(
        help="The least this line charges over the period."
    )
    transit_time_days = fields.Float(string="Transit Time (days)")
    rate_card_line_id = fields.Many2one(
        comodel_name="logistics.rate.card.line",
        string="Priced From",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The rate-card line this rate was computed from.",
    )
    quantity = fields.Float(
        compute="_compute_quantity",
        store=True,
        readonly=False,
        recursive=True,
        help="Units of the rate basis over the contract period, from the lane's "
        "expected volume; a surcharge follows its freight line.",
    )
    estimate = fields.Monetary(compute="_compute_estimate", store=True)

    _check_amounts = models.Constraint(
        "CHECK (rate >= 0 AND COALESCE(minimum_charge, 0) >= 0)",
        "Rates and minimum charges cannot be negative.",
    )

    @api.depends("lane_id")
    def _compute_from_lane(self):
        for line in self:
            if line.lane_id:
                line.mode = line.lane_id.mode
                line.equipment = line.lane_id.equipment

    @api.depends(
        "lane_id.annual_volume",
        "quote_id.lead_id.logistics_contract_months",
        "parent_id.quantity",
        "line_type",
    )
    def _compute_quantity(self):
        for line in self:
            if line.line_type == "surcharge" and line.parent_id:
                line.quantity = line.parent_id.quantity
            elif line.lane_id:
                months = line.quote_id.lead_id.logistics_contract_months or 12
                line.quantity = line.lane_id.annual_volume * months / 12
            else:
                line.quantity = line.quantity or 0.0

    @api.depends("quantity", "rate", "minimum_charge")
    def _compute_estimate(self):
        for line in self:
            line.estimate = max(line.quantity * line.rate, line.minimum_charge or 0.0)

    @api.depends("line_type", "lane_id", "surcharge_type")
    def _compute_display_name(self):
        surcharges = dict(
            self._fields["surcharge_type"]._description_selection(self.env)
        )
        for line in self:
            if line.line_type == "surcharge":
                line.display_name = surcharges.get(line.surcharge_type, "")
            else:
                line.display_name = line.lane_id.display_name or ""

    @api.model_create_multi
    def create(self, vals_list):
        quotes = self.env["logistics.quote"].browse(
            {vals["quote_id"] for vals in vals_list if vals.get("quote_id")}
        )
        if not self.env.context.get("logistics_quote_unlock"):
            quotes._check_editable()
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.context.get("logistics_quote_unlock"):
            self.quote_id._check_editable()
        return super().write(vals)

    def unlink(self):
        self.quote_id._check_editable()
        return super().unlink()

    @api.model
    def _values_from_lanes(self, lanes):
        """Freight lines for lanes, at their target rates."""
        return [
            {
                "lane_id": lane.id,
                "rate": lane.rate,
                "rate_basis": lane.volume_unit
                if lane.volume_unit in dict(RATE_BASES)
                else "shipment",
                "transit_time_days": (lane.transit_time_target_hours or 0) / 24,
            }
            for lane in lanes
        ]
