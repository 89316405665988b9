"""One pricing function for the portal's instant price, the quote a request
becomes and online booking: what the server computes from the rate cards,
never what a browser sends."""

from dataclasses import dataclass, field
from datetime import date

from odoo import api, fields, models
from odoo.tools import SQL

from .logistics_rate_card_line import normalize_location_code
from .logistics_selections import (
    DEFAULT_KG_PER_M3,
    SUGGEST_MODE,
    VOLUMETRIC_KG_PER_M3,
)


@dataclass(frozen=True)
class Endpoint:
    country_id: int
    state_id: int | None = None
    city: str | None = None
    location_code: str | None = None


@dataclass(frozen=True)
class Cargo:
    """What is to be priced: a lane's two ends, the mode (or SUGGEST_MODE),
    the cargo, the pricing day and the value-added services asked for."""

    origin: Endpoint
    destination: Endpoint
    mode: str = SUGGEST_MODE
    weight_kg: float = 0.0
    volume_m3: float = 0.0
    container_type: str | None = None
    container_count: int = 0
    declared_value: float = 0.0
    storage_days: int = 0
    dangerous_goods: bool = False
    temperature_controlled: bool = False
    services: frozenset = field(default_factory=frozenset)
    day: date | None = None

    @property
    def containerized(self):
        return bool(self.container_type and self.container_count > 0)

    def chargeable_kg(self, mode):
        factor = VOLUMETRIC_KG_PER_M3.get(mode, DEFAULT_KG_PER_M3)
        return max(self.weight_kg, self.volume_m3 * factor)

    def freight_quantity(self, mode, basis):
        if basis == "container":
            return float(self.container_count)
        if basis == "m3":
            # Weight or measure: a tonne counts as a cubic metre.
            return max(self.volume_m3, self.weight_kg / 1000)
        return self.chargeable_kg(mode)

    def wants(self, service):
        if service == "dangerous_goods":
            return self.dangerous_goods
        if service == "temperature_control":
            return self.temperature_controlled or service in self.services
        return service in self.services


@dataclass
class PriceComponent:
    code: str  # "freight" or a surcharge type
    quantity: float
    unit_price: float
    amount: float
    basis: str = ""


@dataclass
class PriceOption:
    """The price of the cargo on one rate-card line, broken down."""

    line: models.BaseModel
    mode: str
    currency: models.BaseModel
    components: list
    unpriced_services: list

    @property
    def total(self):
        return self.currency.round(sum(c.amount for c in self.components))

    @property
    def is_contract(self):
        return bool(self.line.card_id.partner_id)


class LogisticsPricing(models.AbstractModel):
    """Rate-card lookup and price breakdown, in a constant number of
    queries whatever the number of rate-card lines."""

    _name = "logistics.pricing"
    _description = "Freight Pricing Engine"

    @api.model
    def _price(self, cargo, partner=None, company=None):
        """The options for ``cargo``, cheapest first: one per priced mode (one
        only when a mode is asked for), each from the best line of that mode.
        ``partner``: the customer whose contract cards override the public
        ones. Empty when no card covers the lane."""
        options = self._candidate_options(cargo, partner, company or self.env.company)
        return sorted(options, key=lambda option: (option.total, option.mode))

    @api.model
    def _best_price(self, cargo, partner=None, company=None):
        options = self._price(cargo, partner, company)
        return options[0] if options else None

    # ------------------------------------------------------------------
    # Lookup
    # ------------------------------------------------------------------
    @api.model
    def _candidate_options(self, cargo, partner, company):
        """Per mode, the price of the line that prices the cargo: a contract card of the
        customer before the public card, then the most specific lane (port,
        city, state, country), then the newest card, then the highest weight
        break reached; each priced once. The query filters by customer and
        company itself, so that the public page prices from public cards only
        and no customer sees another's contract."""
        self.env["logistics.rate.card.line"].flush_model()
        self.env["logistics.rate.card"].flush_model()
        customer = partner.commercial_partner_id.id if partner else None
        day = cargo.day or fields.Date.context_today(self)
        kg_case = SQL(
            "CASE line.mode %s ELSE %s END",
            SQL(" ").join(
                SQL("WHEN %s THEN %s", mode, factor)
                for mode, factor in VOLUMETRIC_KG_PER_M3.items()
            ),
            DEFAULT_KG_PER_M3,
        )
        if cargo.containerized:
            basis = SQL(
                "line.rate_basis = 'container' AND line.container_type = %s",
                cargo.container_type,
            )
        else:
            basis = SQL(
                """(line.rate_basis = 'm3' OR (line.rate_basis = 'kg'
                    AND coalesce(line.min_weight_kg, 0)
                        <= GREATEST(%(weight)s, %(volume)s * %(kg_case)s)))""",
                weight=cargo.weight_kg,
                volume=cargo.volume_m3,
                kg_case=kg_case,
            )
        query = SQL(
            """
            SELECT DISTINCT ON (line.mode, line.rate_basis) line.id
              FROM logistics_rate_card_line line
              JOIN logistics_rate_card card ON card.id = line.card_id
             WHERE line.origin_country_id = %(o_country)s
               AND line.destination_country_id = %(d_country)s
               %(mode_filter)s
               AND %(basis)s
               AND %(origin)s AND %(destination)s
               AND card.active AND card.company_id = %(company)s
               AND (card.partner_id IS NULL OR card.partner_id = %(customer)s)
               AND card.date_start <= %(day)s
               AND (card.date_end IS NULL OR card.date_end >= %(day)s)
             ORDER BY line.mode, line.rate_basis,
                      card.partner_id IS NULL, %(specificity)s DESC,
                      card.date_start DESC, card.id DESC,
                      line.min_weight_kg DESC NULLS LAST, line.id
            """,
            o_country=cargo.origin.country_id,
            d_country=cargo.destination.country_id,
            mode_filter=SQL("AND line.mode = %s", cargo.mode)
            if cargo.mode and cargo.mode != SUGGEST_MODE
            else SQL(),
            basis=basis,
            origin=self._endpoint_match("origin", cargo.origin),
            destination=self._endpoint_match("destination", cargo.destination),
            company=company.id,
            customer=customer,
            day=day,
            specificity=SQL(
                "%s + %s",
                self._endpoint_specificity("origin"),
                self._endpoint_specificity("destination"),
            ),
        )
        self.env.cr.execute(query)
        ids = [row[0] for row in self.env.cr.fetchall()]
        # The query above already applied who may see which card; what is
        # read now are those lines' prices, for a prospect too.
        lines = self.env["logistics.rate.card.line"].sudo().browse(ids)
        lines.fetch(["card_id", "mode", "rate_basis", "rate", "minimum_charge"])
        lines.card_id.fetch()
        # Per mode, the lines of the winning card and lane level compete on
        # price (a lane priced both per kg and per m³ takes the cheaper).
        best = {}
        for line in lines:
            rank = (not line.card_id.partner_id, -self._specificity(line))
            option = self._price_line(cargo, line)
            held = best.get(line.mode)
            if held is None or (rank, option.total) < (held[0], held[1].total):
                best[line.mode] = (rank, option)
        return [option for _rank, option in best.values()]

    @api.model
    def _endpoint_match(self, side, endpoint):
        """A line's end covers the request's: the same port code; or, the
        line naming no port (or the request none, the line a city), the same
        state and city where the line names them."""
        column = SQL.identifier
        code = normalize_location_code(endpoint.location_code)
        return SQL(
            """(%(code_col)s = %(code)s
                OR ((%(code_col)s IS NULL
                     OR (%(code)s IS NULL AND %(city_col)s IS NOT NULL))
                AND (%(state_col)s IS NULL OR %(state_col)s = %(state)s)
                AND (%(city_col)s IS NULL
                     OR lower(%(city_col)s) = lower(%(city)s))))""",
            code_col=column("line", f"{side}_location_code"),
            state_col=column("line", f"{side}_state_id"),
            city_col=column("line", f"{side}_city"),
            code=code or None,
            state=endpoint.state_id or None,
            city=(endpoint.city or "").strip() or None,
        )

    @api.model
    def _endpoint_specificity(self, side):
        column = SQL.identifier
        return SQL(
            """(CASE WHEN %(code)s IS NOT NULL THEN 3
                     WHEN %(city)s IS NOT NULL THEN 2
                     WHEN %(state)s IS NOT NULL THEN 1 ELSE 0 END)""",
            code=column("line", f"{side}_location_code"),
            city=column("line", f"{side}_city"),
            state=column("line", f"{side}_state_id"),
        )

    @staticmethod
    def _specificity(line):
        def level(side):
            if line[f"{side}_location_code"]:
                return 3
            if line[f"{side}_city"]:
                return 2
            return 1 if line[f"{side}_state_id"] else 0

        return level("origin") + level("destination")

    # ------------------------------------------------------------------
    # Breakdown
    # ------------------------------------------------------------------
    @api.model
    def _price_line(self, cargo, line):
        card = line.card_id
        currency = card.currency_id
        quantity = cargo.freight_quantity(line.mode, line.rate_basis)
        freight = currency.round(max(quantity * line.rate, line.minimum_charge or 0.0))
        components = [
            PriceComponent(
                "freight",
                quantity,
                line.rate,
                freight,
                basis=line.rate_basis,
            )
        ]

        def add(code, amount, quantity=1.0, unit_price=None):
            amount = currency.round(amount)
            if amount:
                components.append(
                    PriceComponent(
                        code,
                        quantity,
                        amount if unit_price is None else unit_price,
                        amount,
                    )
                )

        add("fuel", freight * (card.fuel_percent or 0.0) / 100)
        add("security", card.security_fee)
        day = cargo.day or fields.Date.context_today(self)
        if (
            card.peak_season_fee
            and card.peak_season_start
            and card.peak_season_start <= day <= card.peak_season_end
        ):
            add("peak_season", card.peak_season_fee)
        unpriced = []
        for service, price in self._service_prices(cargo, card).items():
            if not cargo.wants(service):
                continue
            if price is None:
                unpriced.append(service)
            else:
                add(service, *price)
        return PriceOption(line, line.mode, currency, components, unpriced)

    @api.model
    def _service_prices(self, cargo, card):
        """{service: (amount, quantity, unit price) or None when the card does
        not price it}, in the order the breakdown lists them."""

        def fee(amount):
            return (amount, 1.0, amount) if amount else None

        insurance = None
        if card.insurance_percent:
            amount = max(
                cargo.declared_value * card.insurance_percent / 100,
                card.insurance_minimum or 0.0,
            )
            insurance = (amount, 1.0, amount)
        days = max(cargo.storage_days, 1)
        warehousing = (
            (card.warehousing_fee_per_day * days, days, card.warehousing_fee_per_day)
            if card.warehousing_fee_per_day
            else None
        )
        return {
            "insurance": insurance,
            "customs": fee(card.customs_fee),
            "warehousing": warehousing,
            "door_pickup": fee(card.door_pickup_fee),
            "door_delivery": fee(card.door_delivery_fee),
            "temperature_control": fee(card.temperature_control_fee),
            "dangerous_goods": fee(card.dangerous_goods_fee),
        }

    # ------------------------------------------------------------------
    # Into a quote
    # ------------------------------------------------------------------
    @api.model
    def _add_quote_lines(self, quote, option, lane):
        """The lines of a priced option on a draft ``quote``: the freight on
        ``lane`` at the line's rate basis, each surcharge and service under
        it. Quantities are this shipment's, so that the quote and its booking
        charge what the customer saw."""
        freight, *extras = option.components
        QuoteLine = self.env["logistics.quote.line"]
        freight_line = QuoteLine.create(
            {
                "quote_id": quote.id,
                "line_type": "freight",
                "lane_id": lane.id,
                "mode": option.mode,
                "rate_basis": freight.basis,
                "quantity": freight.quantity,
                "rate": freight.unit_price,
                "minimum_charge": option.line.minimum_charge,
                "transit_time_days": option.line.transit_time_days,
                "rate_card_line_id": option.line.id,
            }
        )
        return freight_line | QuoteLine.create(
            [
                {
                    "quote_id": quote.id,
                    "parent_id": freight_line.id,
                    "line_type": "surcharge",
                    "surcharge_type": extra.code,
                    "rate_basis": "shipment",
                    "quantity": extra.quantity,
                    "rate": extra.unit_price,
                }
                for extra in extras
            ]
        )
