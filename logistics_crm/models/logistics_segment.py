from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain

from .logistics_selections import CUSTOMER_DOMAIN, SUPPLY_CHAIN_ROLES

# (minimum field, maximum field, customer field) of each band criterion.
BANDS = (
    ("shipments_min", "shipments_max", "logistics_shipments_12m"),
    ("revenue_min", "revenue_max", "logistics_revenue_12m"),
    ("churn_score_min", "churn_score_max", "churn_score"),
    ("service_breadth_min", "service_breadth_max", "logistics_service_breadth"),
)
# (criterion field, customer field) of each "any of these" criterion.
ANY_OF = (
    ("tier_ids", "tier_id"),
    ("industry_ids", "industry_id"),
    ("country_ids", "country_id"),
    ("state_ids", "state_id"),
    ("uses_service_line_ids", "logistics_service_line_ids"),
    ("peer_service_line_ids", "logistics_peer_service_line_ids"),
)
# (criterion field, lane field) of the criteria one lane must meet together:
# "from China to Germany" is a China-Germany lane.
LANE_CRITERIA = (
    ("lane_origin_country_ids", "origin_country_id"),
    ("lane_destination_country_ids", "destination_country_id"),
    ("lane_origin_state_ids", "origin_state_id"),
    ("lane_destination_state_ids", "destination_state_id"),
    ("lane_mode_ids", "mode"),
)


class LogisticsSegment(models.Model):
    """A named, saved group of customers defined by the logistics facts the
    project holds: tier, industry, role, region, lanes, service lines used
    and missing, volume, revenue, churn risk and service breadth bands,
    months since the last shipment, contact cadence.

    The customers are found by a domain built from the stored criteria
    alone, never from text a user typed; a segment is live (its count and
    customers follow the data) and can be the recipients of an Email
    Marketing mailing: the contacts of its customers, minus the opted out.
    """

    _name = "logistics.segment"
    _description = "Customer Segment"
    _inherit = ["mail.thread"]
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    description = fields.Text(translate=True)
    color = fields.Integer()
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Owner",
        default=lambda self: self.env.user,
        tracking=True,
    )
    # Who the customer is
    tier_ids = fields.Many2many(
        comodel_name="logistics.service.tier",
        relation="logistics_segment_tier_rel",
        string="Service Tiers",
    )
    industry_ids = fields.Many2many(
        comodel_name="res.partner.industry",
        relation="logistics_segment_industry_rel",
        string="Industries",
    )
    role = fields.Selection(selection=SUPPLY_CHAIN_ROLES, string="Supply-Chain Role")
    country_ids = fields.Many2many(
        comodel_name="res.country",
        relation="logistics_segment_country_rel",
        string="Countries",
        help="The customer's own address is in one of these countries.",
    )
    state_ids = fields.Many2many(
        comodel_name="res.country.state",
        relation="logistics_segment_state_rel",
        string="Provinces",
        help="The customer's own address is in one of these provinces or states.",
    )
    # Where it ships
    lane_origin_country_ids = fields.Many2many(
        comodel_name="res.country",
        relation="logistics_segment_origin_country_rel",
        string="Lanes From Countries",
    )
    lane_destination_country_ids = fields.Many2many(
        comodel_name="res.country",
        relation="logistics_segment_destination_country_rel",
        string="Lanes To Countries",
    )
    lane_origin_state_ids = fields.Many2many(
        comodel_name="res.country.state",
        relation="logistics_segment_origin_state_rel",
        string="Lanes From Provinces",
    )
    lane_destination_state_ids = fields.Many2many(
        comodel_name="res.country.state",
        relation="logistics_segment_destination_state_rel",
        string="Lanes To Provinces",
    )
    lane_mode_ids = fields.Many2many(
        comodel_name="logistics.service.line",
        relation="logistics_segment_lane_mode_rel",
        string="Lanes by Mode",
        domain=[("kind", "=", "transport")],
        help="The customer has an active lane on one of these transport modes. "
        "The lane criteria apply to one lane together: from China to Germany by "
        "rail is a China-Germany rail lane.",
    )
    # What it buys
    uses_service_line_ids = fields.Many2many(
        comodel_name="logistics.service.line",
        relation="logistics_segment_uses_line_rel",
        string="Uses Any Of",
        help="Used at least one of these service lines in the last 12 months.",
    )
    lacks_service_line_ids = fields.Many2many(
        comodel_name="logistics.service.line",
        relation="logistics_segment_lacks_line_rel",
        string="Uses None Of",
        help="Used none of these service lines in the last 12 months.",
    )
    only_service_line_ids = fields.Many2many(
        comodel_name="logistics.service.line",
        relation="logistics_segment_only_line_rel",
        string="Uses Only",
        help="Used some of these service lines in the last 12 months and no "
        'other (e.g. "ships only by sea": Sea FCL and Sea LCL).',
    )
    peer_service_line_ids = fields.Many2many(
        comodel_name="logistics.service.line",
        relation="logistics_segment_peer_line_rel",
        string="Peers Also Use",
        domain=[("kind", "=", "transport")],
        help="Key-customer discovery's hint: most customers of its industry use "
        "one of these modes and it does not.",
    )
    # Bands
    shipments_min = fields.Integer(string="Shipments (12 Months) From")
    shipments_max = fields.Integer(string="Shipments (12 Months) Up To")
    revenue_min = fields.Float(string="Revenue (12 Months) From")
    revenue_max = fields.Float(string="Revenue (12 Months) Up To")
    churn_score_min = fields.Float(string="Churn Risk From")
    churn_score_max = fields.Float(string="Churn Risk Up To")
    service_breadth_min = fields.Integer(string="Service Breadth From")
    service_breadth_max = fields.Integer(string="Service Breadth Up To")
    months_without_shipment = fields.Integer(
        help="No shipment for at least this many months (or never).",
    )
    out_of_cadence = fields.Boolean(
        string="Out of Contact Cadence",
        help="The account team is late on the contact cadence of the tier.",
    )
    # Live figures
    customer_count = fields.Integer(string="Customers", compute="_compute_counts")
    recipient_count = fields.Integer(
        string="Mailing Recipients",
        compute="_compute_counts",
        help="Contacts of the customers with an e-mail, not blacklisted and "
        "not opted out of marketing.",
    )
    mailing_ids = fields.One2many(
        comodel_name="mailing.mailing",
        inverse_name="logistics_segment_id",
        string="Mailings",
    )
    mailing_count = fields.Integer(compute="_compute_mailing_count")

    _check_bands = models.Constraint(
        "CHECK ((shipments_min IS NULL OR shipments_min >= 0)"
        " AND (shipments_max IS NULL OR shipments_max >= 0)"
        " AND (revenue_min IS NULL OR revenue_min >= 0)"
        " AND (revenue_max IS NULL OR revenue_max >= 0)"
        " AND (churn_score_min IS NULL OR churn_score_min >= 0)"
        " AND (churn_score_max IS NULL OR churn_score_max >= 0)"
        " AND (service_breadth_min IS NULL OR service_breadth_min >= 0)"
        " AND (service_breadth_max IS NULL OR service_breadth_max >= 0)"
        " AND (months_without_shipment IS NULL OR months_without_shipment >= 0))",
        "A segment's bands and months cannot be negative.",
    )

    def _compute_counts(self):
        Partner = self.env["res.partner"]
        for segment in self:
            segment.customer_count = Partner.search_count(segment._customer_domain())
            segment.recipient_count = Partner.search_count(
                segment._recipient_domain()
                & Domain("is_blacklisted", "=", False)
                & Domain("logistics_marketing_opt_out", "=", False)
            )

    @api.depends("mailing_ids")
    def _compute_mailing_count(self):
        groups = self.env["mailing.mailing"]._read_group(
            [("logistics_segment_id", "in", self.ids)],
            ["logistics_segment_id"],
            ["__count"],
        )
        counts = {segment.id: count for segment, count in groups}
        for segment in self:
            segment.mailing_count = counts.get(segment.id, 0)

    @api.constrains(*(fname for band in BANDS for fname in band[:2]))
    def _check_band_order(self):
        labels = self._fields
        for segment in self:
            for low, high, _target in BANDS:
                if segment[high] and segment[low] > segment[high]:
                    raise ValidationError(
                        self.env._(
                            "Segment %(segment)s: %(low)s is above %(high)s.",
                            segment=segment.name,
                            low=labels[low]._description_string(self.env),
                            high=labels[high]._description_string(self.env),
                        )
                    )

    @api.constrains("uses_service_line_ids", "lacks_service_line_ids")
    def _check_service_lines(self):
        for segment in self:
            both = segment.uses_service_line_ids & segment.lacks_service_line_ids
            if both:
                raise ValidationError(
                    self.env._(
                        "Segment %(segment)s cannot ask for customers that both "
                        "use and do not use %(lines)s.",
                        segment=segment.name,
                        lines=", ".join(both.mapped("name")),
                    )
                )

    def action_open_customers(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Customers of %s", self.name),
            "res_model": "res.partner",
            "views": [(False, "list"), (False, "kanban"), (False, "form")],
            "domain": list(self._customer_domain()),
            "context": {"create": False},
        }

    def action_open_mailings(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "mass_mailing.mailing_mailing_action_mail"
        )
        action["domain"] = [("logistics_segment_id", "=", self.id)]
        action["context"] = {
            "default_logistics_segment_id": self.id,
            "default_mailing_model_id": self.env["ir.model"]._get_id("res.partner"),
        }
        return action

    def action_new_mailing(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "mailing.mailing",
            "views": [(False, "form")],
            "context": {
                "default_logistics_segment_id": self.id,
                "default_mailing_model_id": self.env["ir.model"]._get_id("res.partner"),
                "default_subject": self.name,
            },
        }

    def _customer_domain(self):
        """The customers of the segment, as a domain on res.partner built from
        the stored criteria only."""
        self.ensure_one()
        domain = Domain(CUSTOMER_DOMAIN)
        for criterion, fname in ANY_OF:
            if self[criterion]:
                domain &= Domain(fname, "in", self[criterion].ids)
        lane = [
            Domain(fname, "in", self._lane_values(criterion, fname))
            for criterion, fname in LANE_CRITERIA
            if self[criterion]
        ]
        if lane:
            domain &= Domain("logistics_lane_ids", "any", Domain.AND(lane))
        if self.role:
            domain &= Domain("logistics_role", "=", self.role)
        if self.lacks_service_line_ids:
            domain &= Domain(
                "logistics_service_line_ids", "not in", self.lacks_service_line_ids.ids
            )
        if self.only_service_line_ids:
            others = (
                self.env["logistics.service.line"]
                .with_context(active_test=False)
                .search([("id", "not in", self.only_service_line_ids.ids)])
            )
            domain &= Domain("logistics_service_line_ids", "!=", False)
            if others:
                domain &= Domain("logistics_service_line_ids", "not in", others.ids)
        for low, high, target in BANDS:
            if self[low]:
                domain &= Domain(target, ">=", self[low])
            if self[high]:
                domain &= Domain(target, "<=", self[high])
        if self.months_without_shipment:
            since = fields.Date.context_today(self) - relativedelta(
                months=self.months_without_shipment
            )
            # A string: the domain is also a mailing's, stored as text.
            domain &= Domain("logistics_last_shipment_date", "=", False) | Domain(
                "logistics_last_shipment_date", "<", fields.Date.to_string(since)
            )
        if self.out_of_cadence:
            domain &= Domain("out_of_cadence", "=", True)
        return domain

    def _lane_values(self, criterion, fname):
        # A lane's mode is a code, the service line's.
        records = self[criterion]
        return records.mapped("code") if fname == "mode" else records.ids

    def _recipient_domain(self):
        """The people a mailing to the segment writes to: the customers and
        their contacts that have an e-mail address. Email Marketing itself
        skips the blacklisted; the marketing opt-out is skipped by the
        opt-out list of res.partner."""
        self.ensure_one()
        return Domain("commercial_partner_id", "any", self._customer_domain()) & Domain(
            "email_normalized", "!=", False
        )
