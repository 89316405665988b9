import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain

from .logistics_naming import selection_label_domain
from .logistics_selections import CUSTOMER_FIELD_DOMAIN, TRANSPORT_MODES

PERIODS_PER_YEAR = {"week": 52, "month": 12, "quarter": 4, "year": 1}


class LogisticsLane(models.Model):
    """A shipment profile: what a customer moves, from where to where, how often."""

    _name = "logistics.lane"
    _description = "Logistics Lane"
    _inherit = ["mail.thread"]
    _order = "partner_id, origin_city, destination_city, id"
    # What a lane is known by; the mode is matched on its label on top.
    _rec_names_search = [
        "origin_city",
        "destination_city",
        "origin_location_code",
        "destination_location_code",
    ]

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        index="btree_not_null",
        domain=CUSTOMER_FIELD_DOMAIN,
        tracking=True,
    )
    lead_id = fields.Many2one(
        comodel_name="crm.lead",
        string="Opportunity",
        index="btree_not_null",
        ondelete="cascade",
        help="A lane being sold: the opportunity's view of what the customer "
        "would ship.",
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        default=lambda self: self.env.company.currency_id,
    )
    rate = fields.Monetary(
        help="Price per unit of expected volume: the target rate of an "
        "opportunity's lane, the agreed rate of a customer's lane.",
    )
    annual_volume = fields.Float(
        compute="_compute_annual_volume",
        store=True,
        help="Expected volume times its frequency over a year.",
    )
    expected_revenue = fields.Monetary(
        compute="_compute_expected_revenue",
        store=True,
        help="Annual volume times the rate over the opportunity's contract "
        "period (12 months for a customer's lane).",
    )
    source_lane_id = fields.Many2one(
        comodel_name="logistics.lane",
        string="Sold from Lane",
        readonly=True,
        index="btree_not_null",
        help="The opportunity lane this customer lane was created from.",
    )
    quote_line_id = fields.Many2one(
        comodel_name="logistics.quote.line",
        string="Quoted Rate",
        readonly=True,
    )
    origin_country_id = fields.Many2one(
        comodel_name="res.country", string="Origin Country", required=True
    )
    origin_state_id = fields.Many2one(
        comodel_name="res.country.state",
        string="Origin State",
        domain="[('country_id', '=?', origin_country_id)]",
    )
    origin_city = fields.Char(required=True, index="trigram")
    origin_location_code = fields.Char(
        string="Origin Port/Airport",
        index="trigram",
        help="UN/LOCODE or IATA code of the origin port or airport.",
    )
    destination_country_id = fields.Many2one(
        comodel_name="res.country", string="Destination Country", required=True
    )
    destination_state_id = fields.Many2one(
        comodel_name="res.country.state",
        string="Destination State",
        domain="[('country_id', '=?', destination_country_id)]",
    )
    destination_city = fields.Char(required=True, index="trigram")
    destination_location_code = fields.Char(
        string="Destination Port/Airport",
        index="trigram",
        help="UN/LOCODE or IATA code of the destination port or airport.",
    )
    mode = fields.Selection(selection=TRANSPORT_MODES, required=True, tracking=True)
    equipment = fields.Char(help="e.g. 40' HC container, 13.6 m curtainsider, ULD")
    cargo_category_id = fields.Many2one(
        comodel_name="logistics.cargo.category", string="Cargo Category"
    )
    volume_quantity = fields.Float(
        string="Expected Volume", required=True, default=1.0, tracking=True
    )
    volume_unit = fields.Selection(
        selection=[
            ("shipment", "Shipments"),
            ("teu", "TEU"),
            ("tonne", "Tonnes"),
            ("kg", "kg"),
            ("m3", "m³"),
            ("pallet", "Pallets"),
        ],
        required=True,
        default="shipment",
    )
    frequency = fields.Selection(
        selection=[
            ("week", "Per Week"),
            ("month", "Per Month"),
            ("quarter", "Per Quarter"),
            ("year", "Per Year"),
        ],
        required=True,
        default="month",
    )
    transit_time_target_hours = fields.Float(string="Transit Time Target (h)")
    service_requirements = fields.Text()
    active = fields.Boolean(default=True)
    shipment_ids = fields.One2many(
        comodel_name="logistics.shipment", inverse_name="lane_id", string="Shipments"
    )

    _check_owner = models.Constraint(
        "CHECK (partner_id IS NOT NULL OR lead_id IS NOT NULL)",
        "A lane belongs to a customer or to an opportunity.",
    )
    _check_volume_positive = models.Constraint(
        "CHECK (volume_quantity > 0)",
        "The expected volume of a lane must be positive.",
    )
    _check_transit_time = models.Constraint(
        "CHECK (transit_time_target_hours IS NULL OR transit_time_target_hours >= 0)",
        "The transit-time target cannot be negative.",
    )

    @api.depends("volume_quantity", "frequency")
    def _compute_annual_volume(self):
        for lane in self:
            lane.annual_volume = lane.volume_quantity * PERIODS_PER_YEAR.get(
                lane.frequency, 0
            )

    @api.depends("annual_volume", "rate", "lead_id.logistics_contract_months")
    def _compute_expected_revenue(self):
        for lane in self:
            months = lane.lead_id.logistics_contract_months if lane.lead_id else 12
            lane.expected_revenue = lane.annual_volume * lane.rate * months / 12

    @api.depends("origin_city", "destination_city", "origin_location_code", "mode")
    def _compute_display_name(self):
        modes = dict(self._fields["mode"]._description_selection(self.env))
        for lane in self:
            origin = lane.origin_city or lane.origin_location_code or "?"
            destination = lane.destination_city or lane.destination_location_code or "?"
            lane.display_name = self.env._(
                "%(origin)s -> %(destination)s, %(mode)s",
                origin=origin,
                destination=destination,
                mode=modes.get(lane.mode, ""),
            )

    @api.model
    def _search_display_name(self, operator, value):
        """A lane is typed as it reads, "Shanghai -> Rotterdam, Sea FCL", or
        by any part of it: each part must match a city, a port code or the
        mode."""
        if operator not in ("ilike", "not ilike") or not isinstance(value, str):
            return super()._search_display_name(operator, value)
        terms = [term.strip() for term in re.split(r"->|,", value) if term.strip()]
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

    @api.constrains(
        "origin_country_id",
        "origin_city",
        "origin_location_code",
        "destination_country_id",
        "destination_city",
        "destination_location_code",
    )
    def _check_origin_differs_from_destination(self):
        for lane in self:
            if lane._endpoint("origin") == lane._endpoint("destination"):
                raise ValidationError(
                    self.env._(
                        "The origin and the destination of lane %s must differ.",
                        lane.display_name,
                    )
                )

    def _endpoint(self, side):
        self.ensure_one()
        code = (self[f"{side}_location_code"] or "").strip().upper()
        city = (self[f"{side}_city"] or "").strip().casefold()
        return (self[f"{side}_country_id"].id, city, code)
