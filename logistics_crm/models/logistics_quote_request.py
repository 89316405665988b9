from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError

from .logistics_pricing import Cargo, Endpoint
from .logistics_selections import (
    CONTAINER_TYPES,
    QUOTE_REQUEST_STATES,
    REQUEST_MODES,
    RESPONSE_STATUSES,
    SUGGEST_MODE,
    TRANSPORT_MODES,
)

# Services a request asks for by a tick of its own; dangerous goods and
# temperature control follow from the cargo.
REQUESTED_SERVICES = (
    "insurance",
    "customs",
    "warehousing",
    "door_pickup",
    "door_delivery",
)
DG_CLASSES = [(str(number), str(number)) for number in range(1, 10)]


class LogisticsQuoteRequest(models.Model):
    """A customer's or prospect's request for a freight price: priced at once
    from the rate cards when one covers it, else an opportunity for sales to
    price; either way a draft quote and a response clock."""

    _name = "logistics.quote.request"
    _description = "Quote Request"
    # utm.mixin: a request from the portal or the public page keeps the
    # campaign, source and medium of the link the visitor came by (Odoo's UTM
    # cookies), and hands them to its opportunity.
    _inherit = ["mail.thread", "mail.activity.mixin", "portal.mixin", "utm.mixin"]
    _order = "create_date desc, id desc"

    name = fields.Char(
        string="Number",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
        index="trigram",
    )
    state = fields.Selection(
        selection=QUOTE_REQUEST_STATES,
        compute="_compute_state",
        store=True,
        index=True,
        tracking=True,
    )
    cancelled = fields.Boolean(tracking=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
    )
    contact_id = fields.Many2one(comodel_name="res.partner", string="Requested By")
    is_prospect = fields.Boolean(
        readonly=True,
        help="Sent from the public page by a company that is not a customer yet.",
    )
    request_ip = fields.Char(readonly=True, index=True, groups="base.group_system")
    origin_country_id = fields.Many2one(
        comodel_name="res.country", string="Origin Country", required=True
    )
    origin_state_id = fields.Many2one(
        comodel_name="res.country.state", string="Origin State"
    )
    origin_city = fields.Char(required=True)
    origin_location_code = fields.Char(string="Origin Port/Airport")
    destination_country_id = fields.Many2one(
        comodel_name="res.country", string="Destination Country", required=True
    )
    destination_state_id = fields.Many2one(
        comodel_name="res.country.state", string="Destination State"
    )
    destination_city = fields.Char(required=True)
    destination_location_code = fields.Char(string="Destination Port/Airport")
    mode = fields.Selection(
        selection=REQUEST_MODES, string="Mode Asked", required=True, default="suggest"
    )
    priced_mode = fields.Selection(
        selection=TRANSPORT_MODES,
        string="Mode",
        readonly=True,
        help="The mode priced: the one asked for, or the cheapest priced.",
    )
    cargo_category_id = fields.Many2one(
        comodel_name="logistics.cargo.category", string="Cargo Category"
    )
    cargo_description = fields.Text()
    pieces = fields.Integer()
    weight_kg = fields.Float(string="Weight (kg)")
    volume_m3 = fields.Float(string="Volume (m³)")
    container_type = fields.Selection(selection=CONTAINER_TYPES)
    container_count = fields.Integer()
    ready_date = fields.Date(required=True, default=fields.Date.context_today)
    incoterm_id = fields.Many2one(comodel_name="account.incoterms", string="Incoterm")
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
    )
    declared_value = fields.Monetary()
    dangerous_goods = fields.Boolean()
    un_number = fields.Char(string="UN Number")
    dg_class = fields.Selection(selection=DG_CLASSES, string="DG Class")
    temperature_min = fields.Float(string="Temperature From (°C)")
    temperature_max = fields.Float(string="Temperature To (°C)")
    temperature_controlled = fields.Boolean()
    service_insurance = fields.Boolean(string="Insurance")
    service_customs = fields.Boolean(string="Customs Brokerage")
    service_warehousing = fields.Boolean(string="Warehousing")
    storage_days = fields.Integer()
    service_door_pickup = fields.Boolean(string="Door Pickup")
    service_door_delivery = fields.Boolean(string="Door Delivery")
    rate_card_line_id = fields.Many2one(
        comodel_name="logistics.rate.card.line",
        string="Priced From",
        readonly=True,
    )
    indicative_total = fields.Monetary(
        string="Indicative Price", readonly=True, tracking=True
    )
    price_currency_id = fields.Many2one(comodel_name="res.currency", readonly=True)
    price_breakdown = fields.Json(readonly=True)
    unpriced_services = fields.Char(
        readonly=True, help="Services asked for that the rate card does not price."
    )
    lead_id = fields.Many2one(
        comodel_name="crm.lead", string="Opportunity", readonly=True, index=True
    )
    quote_id = fields.Many2one(
        comodel_name="logistics.quote", string="Quote", readonly=True, index=True
    )
    booking_id = fields.Many2one(related="quote_id.booking_id")
    user_id = fields.Many2one(
        related="lead_id.user_id", string="Salesperson", store=True
    )
    response_target_hours = fields.Float(
        string="Response Target (working h)", readonly=True
    )
    response_calendar_id = fields.Many2one(
        comodel_name="resource.calendar", string="Working Hours", readonly=True
    )
    response_start = fields.Datetime(string="Clock Started", readonly=True)
    response_deadline = fields.Datetime(readonly=True, tracking=True)
    response_warning_date = fields.Datetime(readonly=True)
    response_warned = fields.Boolean(readonly=True)
    response_date = fields.Datetime(string="Answered On", readonly=True)
    response_hours = fields.Float(
        string="Response Time (working h)", readonly=True, digits=(16, 2)
    )
    response_status = fields.Selection(
        selection=RESPONSE_STATUSES, readonly=True, index=True, tracking=True
    )

    _check_cargo = models.Constraint(
        "CHECK (coalesce(weight_kg, 0) >= 0 AND coalesce(volume_m3, 0) >= 0"
        " AND coalesce(pieces, 0) >= 0 AND coalesce(container_count, 0) >= 0"
        " AND coalesce(declared_value, 0) >= 0 AND coalesce(storage_days, 0) >= 0)",
        "Quantities and the declared value cannot be negative.",
    )
    _response_due_index = models.Index(
        "(response_deadline) WHERE response_status = 'running'"
    )

    @api.depends(
        "cancelled",
        "quote_id.state",
        "quote_id.booking_id.state",
        "rate_card_line_id",
    )
    def _compute_state(self):
        for request in self:
            if request.cancelled:
                request.state = "cancelled"
            elif request.quote_id.booking_id.state == "sale":
                request.state = "booked"
            elif request.quote_id.state in ("sent", "accepted"):
                request.state = "quoted"
            elif request.rate_card_line_id:
                request.state = "priced"
            else:
                request.state = "to_price"

    def _compute_access_url(self):
        for request in self:
            request.access_url = f"/odoo/{request._name}/{request.id}"

    @api.constrains(
        "weight_kg", "volume_m3", "container_type", "container_count", "dangerous_goods"
    )
    def _check_cargo_given(self):
        for request in self:
            if not (
                request.weight_kg
                or request.volume_m3
                or (request.container_type and request.container_count)
            ):
                raise ValidationError(
                    self.env._("Give the cargo's weight or volume, or its containers.")
                )
            if request.dangerous_goods and not (request.un_number and request.dg_class):
                raise ValidationError(
                    self.env._("Dangerous goods need their UN number and class.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("name") or vals["name"] == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "logistics.quote.request"
                )
        requests = super().create(vals_list)
        requests._process()
        return requests

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_view_quote(self):
        self.ensure_one()
        return self.quote_id.get_formview_action()

    def action_view_lead(self):
        self.ensure_one()
        return self.lead_id.get_formview_action()

    def action_cancel(self):
        self.write({"cancelled": True})
        self.filtered(lambda request: request.response_status == "running").write(
            {"response_status": False}
        )
        return True

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _price_breakdown_lines(self):
        """The stored breakdown in words: [(label, detail, amount)]."""
        self.ensure_one()
        charges = self._surcharge_labels()
        bases = dict(
            self.env["logistics.rate.card.line"]
            ._fields["rate_basis"]
            ._description_selection(self.env)
        )
        modes = dict(self._fields["priced_mode"]._description_selection(self.env))
        lines = []
        for part in self.price_breakdown or []:
            if part["code"] == "freight":
                label = self.env._("Freight, %s", modes.get(self.priced_mode, ""))
                detail = self.env._(
                    "%(quantity)s x %(price)s, %(basis)s",
                    quantity=round(part["quantity"], 2),
                    price=part["unit_price"],
                    basis=bases.get(part["basis"], ""),
                )
            else:
                label = charges.get(part["code"], part["code"])
                detail = ""
            lines.append((label, detail, part["amount"]))
        return lines

    def _unpriced_service_labels(self):
        self.ensure_one()
        charges = self._surcharge_labels()
        return [
            charges.get(code, code)
            for code in (self.unpriced_services or "").split(",")
            if code
        ]

    def _surcharge_labels(self):
        # Translated through the quote line's field, which declares them.
        field = self.env["logistics.quote.line"]._fields["surcharge_type"]
        return dict(field._description_selection(self.env))

    def _cargo(self):
        self.ensure_one()
        services = {code for code in REQUESTED_SERVICES if self[f"service_{code}"]}
        return Cargo(
            origin=Endpoint(
                self.origin_country_id.id,
                self.origin_state_id.id or None,
                self.origin_city,
                self.origin_location_code,
            ),
            destination=Endpoint(
                self.destination_country_id.id,
                self.destination_state_id.id or None,
                self.destination_city,
                self.destination_location_code,
            ),
            mode=self.mode or SUGGEST_MODE,
            weight_kg=self.weight_kg,
            volume_m3=self.volume_m3,
            container_type=self.container_type or None,
            container_count=self.container_count,
            declared_value=self.declared_value,
            storage_days=self.storage_days,
            dangerous_goods=self.dangerous_goods,
            temperature_controlled=self.temperature_controlled,
            services=frozenset(services),
            day=self.ready_date,
        )

    def _process(self):
        """Price each request, then in batch: the opportunities with their
        lanes, their assignment, the draft quotes and the response clocks."""
        pricing = self.env["logistics.pricing"]
        options = {
            request: pricing._best_price(
                request._cargo(), request.partner_id, request.company_id
            )
            for request in self
        }
        for request, option in options.items():
            request._store_price(option)
        leads = self.env["crm.lead"].create(
            [request._lead_values(options[request]) for request in self]
        )
        for request, lead in zip(self, leads, strict=True):
            request.lead_id = lead
        self.env["logistics.lead.assignment"]._assign(leads)
        quotes = self.env["logistics.quote"].create(
            [request._quote_values() for request in self]
        )
        for request, quote in zip(self, quotes, strict=True):
            request.quote_id = quote
            request._add_priced_lines(options[request])
        self.env["logistics.quote.response.clock"]._start(self, fields.Datetime.now())

    def _store_price(self, option):
        if not option:
            self.write(
                {
                    "priced_mode": self.mode if self.mode != SUGGEST_MODE else False,
                    "rate_card_line_id": False,
                    "indicative_total": 0.0,
                    "price_breakdown": False,
                }
            )
            return
        self.write(
            {
                "priced_mode": option.mode,
                "rate_card_line_id": option.line.id,
                "indicative_total": option.total,
                "price_currency_id": option.currency.id,
                "price_breakdown": [
                    {
                        "code": component.code,
                        "quantity": component.quantity,
                        "unit_price": component.unit_price,
                        "amount": component.amount,
                        "basis": component.basis,
                    }
                    for component in option.components
                ],
                "unpriced_services": ",".join(option.unpriced_services) or False,
            }
        )

    def _lead_values(self, option):
        lane = {
            "origin_country_id": self.origin_country_id.id,
            "origin_state_id": self.origin_state_id.id,
            "origin_city": self.origin_city,
            "origin_location_code": self.origin_location_code,
            "destination_country_id": self.destination_country_id.id,
            "destination_state_id": self.destination_state_id.id,
            "destination_city": self.destination_city,
            "destination_location_code": self.destination_location_code,
            "mode": (option and option.mode)
            or (self.mode if self.mode != SUGGEST_MODE else "multimodal"),
            "cargo_category_id": self.cargo_category_id.id,
            "volume_quantity": 1.0,
            "volume_unit": "shipment",
            "frequency": "year",
            "rate": option.total if option else 0.0,
            "service_requirements": self._requirements_text(),
        }
        return {
            "name": self.env._(
                "Quote request %(number)s: %(origin)s -> %(destination)s",
                number=self.name,
                origin=self.origin_city,
                destination=self.destination_city,
            ),
            "type": "opportunity",
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "country_id": self.origin_country_id.id,
            "state_id": self.origin_state_id.id,
            "user_id": False,
            "team_id": False,
            "logistics_contract_months": 12,
            "logistics_lane_ids": [Command.create(lane)],
            **{
                field: self[field].id
                for _param, field, _cookie in self.env["utm.mixin"].tracking_fields()
            },
        }

    def _requirements_text(self):
        parts = []
        if self.dangerous_goods:
            parts.append(
                self.env._(
                    "Dangerous goods: UN %(un)s, class %(dg_class)s",
                    un=self.un_number,
                    dg_class=self.dg_class,
                )
            )
        if self.temperature_controlled:
            parts.append(
                self.env._(
                    "Temperature %(low)s to %(high)s °C",
                    low=self.temperature_min,
                    high=self.temperature_max,
                )
            )
        if self.cargo_description:
            parts.append(self.cargo_description)
        return "\n".join(parts) or False

    def _quote_values(self):
        currency = self.price_currency_id or self.currency_id
        return {
            "partner_id": self.partner_id.id,
            "lead_id": self.lead_id.id,
            "user_id": self.lead_id.user_id.id,
            "company_id": self.company_id.id,
            "currency_id": currency.id,
            "date_quote": fields.Date.context_today(self),
        }

    def _add_priced_lines(self, option):
        """The draft quote's lines: from the same calculation as the
        indicative price; without a price, the lane at rate 0 for sales to
        price."""
        lane = self.lead_id.logistics_lane_ids[:1]
        if not option:
            self.env["logistics.quote.line"].create(
                {"quote_id": self.quote_id.id, "lane_id": lane.id, "rate": 0.0}
            )
            return
        self.env["logistics.pricing"]._add_quote_lines(self.quote_id, option, lane)
