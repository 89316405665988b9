from odoo import api, fields, models

from .logistics_selections import CONTAINER_TYPES, RATE_CARD_BASES


class LogisticsRateCardLine(models.Model):
    """The freight price of one lane and break of a rate card.

    An end of the lane is a port or airport code, or a country narrowed by
    province/state and city: the pricing engine takes the most specific line
    that covers the request's origin and destination."""

    _name = "logistics.rate.card.line"
    _description = "Rate Card Line"
    _rec_names_search = [
        "origin_city",
        "origin_location_code",
        "destination_city",
        "destination_location_code",
    ]
    _order = (
        "card_id, origin_country_id, origin_city, destination_country_id, "
        "destination_city, rate_basis, container_type, min_weight_kg, id"
    )

    card_id = fields.Many2one(
        comodel_name="logistics.rate.card",
        string="Rate Card",
        required=True,
        index=True,
        ondelete="cascade",
    )
    partner_id = fields.Many2one(related="card_id.partner_id", string="Customer")
    mode = fields.Selection(related="card_id.mode", store=True)
    currency_id = fields.Many2one(related="card_id.currency_id")
    origin_country_id = fields.Many2one(
        comodel_name="res.country", string="Origin Country", required=True
    )
    origin_state_id = fields.Many2one(
        comodel_name="res.country.state",
        string="Origin State",
        domain="[('country_id', '=?', origin_country_id)]",
    )
    origin_city = fields.Char()
    origin_location_code = fields.Char(
        string="Origin Port/Airport",
        help="UN/LOCODE or IATA code; when given, the line covers that port "
        "whatever the city typed.",
    )
    destination_country_id = fields.Many2one(
        comodel_name="res.country", string="Destination Country", required=True
    )
    destination_state_id = fields.Many2one(
        comodel_name="res.country.state",
        string="Destination State",
        domain="[('country_id', '=?', destination_country_id)]",
    )
    destination_city = fields.Char()
    destination_location_code = fields.Char(string="Destination Port/Airport")
    rate_basis = fields.Selection(
        selection=RATE_CARD_BASES, required=True, default="kg"
    )
    min_weight_kg = fields.Float(
        string="Break From (kg)",
        help="Per-kg lines: the rate applies from this chargeable weight up "
        "to the next break of the lane.",
    )
    container_type = fields.Selection(selection=CONTAINER_TYPES)
    rate = fields.Monetary(required=True)
    minimum_charge = fields.Monetary(help="The least this line charges a shipment.")
    transit_time_days = fields.Float(string="Transit Time (days)")

    _check_amounts = models.Constraint(
        "CHECK (rate >= 0 AND coalesce(minimum_charge, 0) >= 0"
        " AND coalesce(min_weight_kg, 0) >= 0)",
        "Rates, minimum charges and weight breaks cannot be negative.",
    )
    _check_container = models.Constraint(
        "CHECK (rate_basis != 'container' OR container_type IS NOT NULL)",
        "A per-container rate names its container type.",
    )
    # The pricing engine's lookup: a country pair and a mode narrow 100,000
    # lines to a lane's few breaks.
    _lookup_index = models.Index(
        "(origin_country_id, destination_country_id, mode, rate_basis)"
    )

    @api.depends(
        "origin_city",
        "origin_location_code",
        "destination_city",
        "destination_location_code",
        "rate_basis",
        "min_weight_kg",
        "container_type",
    )
    def _compute_display_name(self):
        containers = dict(CONTAINER_TYPES)
        for line in self:
            origin = (
                line.origin_location_code
                or line.origin_city
                or (line.origin_country_id.code or "")
            )
            destination = (
                line.destination_location_code
                or line.destination_city
                or (line.destination_country_id.code or "")
            )
            if line.rate_basis == "container":
                detail = containers.get(line.container_type, "")
            elif line.rate_basis == "kg":
                detail = self.env._("from %s kg", line.min_weight_kg)
            else:
                detail = self.env._("per m³")
            line.display_name = f"{origin} -> {destination} ({detail})"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._normalize_codes(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._normalize_codes(vals)
        return super().write(vals)

    @api.model
    def _normalize_codes(self, vals):
        """Port codes are matched as typed by the pricing SQL: stored upper
        case, without spaces (UN/LOCODE 'CN SHA' is 'CNSHA')."""
        for side in ("origin", "destination"):
            key = f"{side}_location_code"
            if vals.get(key):
                vals[key] = normalize_location_code(vals[key])


def normalize_location_code(code):
    return "".join((code or "").split()).upper() or False
