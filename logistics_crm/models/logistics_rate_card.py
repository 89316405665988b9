from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .logistics_selections import CUSTOMER_FIELD_DOMAIN, TRANSPORT_MODES


class LogisticsRateCard(models.Model):
    """Published prices of one transport mode: freight per lane and break in
    its lines, surcharges and value-added services on the card. A card
    without customer is the public tariff; a customer's contract card
    overrides it on the lanes it covers."""

    _name = "logistics.rate.card"
    _description = "Rate Card"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "partner_id nulls first, mode, date_start desc, id desc"

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Contract Customer",
        domain=CUSTOMER_FIELD_DOMAIN,
        index="btree_not_null",
        tracking=True,
        help="Empty: the public card, priced to anyone, prospects included. "
        "A customer's contract card wins over the public card on its lanes.",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
        tracking=True,
    )
    mode = fields.Selection(selection=TRANSPORT_MODES, required=True, tracking=True)
    date_start = fields.Date(
        string="Valid From",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    date_end = fields.Date(string="Valid Until", tracking=True)
    line_ids = fields.One2many(
        comodel_name="logistics.rate.card.line",
        inverse_name="card_id",
        string="Lanes and Breaks",
        copy=True,
    )
    line_count = fields.Integer(compute="_compute_line_count")
    fuel_percent = fields.Float(
        string="Fuel Surcharge (%)",
        tracking=True,
        help="Percentage of the freight (after its minimum charge).",
    )
    security_fee = fields.Monetary(string="Security (per shipment)", tracking=True)
    peak_season_fee = fields.Monetary(
        string="Peak Season (per shipment)", tracking=True
    )
    peak_season_start = fields.Date(tracking=True)
    peak_season_end = fields.Date(tracking=True)
    insurance_percent = fields.Float(
        string="Insurance (% of declared value)", digits=(16, 3), tracking=True
    )
    insurance_minimum = fields.Monetary(tracking=True)
    customs_fee = fields.Monetary(string="Customs Brokerage", tracking=True)
    warehousing_fee_per_day = fields.Monetary(
        string="Warehousing (per day)", tracking=True
    )
    door_pickup_fee = fields.Monetary(string="Door Pickup", tracking=True)
    door_delivery_fee = fields.Monetary(string="Door Delivery", tracking=True)
    temperature_control_fee = fields.Monetary(
        string="Temperature Control", tracking=True
    )
    dangerous_goods_fee = fields.Monetary(
        string="Dangerous Goods Handling", tracking=True
    )
    terms = fields.Text(
        string="Conditions", help="Shown with every price of this card."
    )

    _check_dates = models.Constraint(
        "CHECK (date_end IS NULL OR date_end >= date_start)",
        "A rate card cannot end before it starts.",
    )
    _check_amounts = models.Constraint(
        "CHECK (coalesce(fuel_percent, 0) >= 0 AND coalesce(insurance_percent, 0) >= 0"
        " AND coalesce(security_fee, 0) >= 0 AND coalesce(peak_season_fee, 0) >= 0"
        " AND coalesce(insurance_minimum, 0) >= 0 AND coalesce(customs_fee, 0) >= 0"
        " AND coalesce(warehousing_fee_per_day, 0) >= 0"
        " AND coalesce(door_pickup_fee, 0) >= 0"
        " AND coalesce(door_delivery_fee, 0) >= 0"
        " AND coalesce(temperature_control_fee, 0) >= 0"
        " AND coalesce(dangerous_goods_fee, 0) >= 0)",
        "Surcharges and service prices cannot be negative.",
    )

    def _compute_line_count(self):
        counts = dict(
            self.env["logistics.rate.card.line"]._read_group(
                [("card_id", "in", self.ids)], ["card_id"], ["__count"]
            )
        )
        for card in self:
            card.line_count = counts.get(card, 0)

    @api.constrains("peak_season_start", "peak_season_end", "peak_season_fee")
    def _check_peak_season(self):
        for card in self:
            if card.peak_season_fee and not (
                card.peak_season_start and card.peak_season_end
            ):
                raise ValidationError(
                    self.env._(
                        "Rate card %s charges a peak season: give its first "
                        "and last day.",
                        card.name,
                    )
                )
            if (
                card.peak_season_start
                and card.peak_season_end
                and card.peak_season_end < card.peak_season_start
            ):
                raise ValidationError(
                    self.env._(
                        "The peak season of rate card %s ends before it starts.",
                        card.name,
                    )
                )

    def action_view_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_crm.logistics_rate_card_line_action"
        )
        action["domain"] = [("card_id", "=", self.id)]
        action["context"] = {"default_card_id": self.id}
        return action

    def action_import_lines(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "logistics.rate.card.import",
            "view_mode": "form",
            "target": "new",
            "context": {"default_card_id": self.id},
        }

    def _is_valid_on(self, day):
        self.ensure_one()
        return self.date_start <= day and (not self.date_end or day <= self.date_end)
