from odoo import api, fields, models

NOTIFICATION_LEVELS = [
    ("all", "All Events"),
    ("milestones", "Key Milestones"),
    ("exceptions", "Exceptions Only"),
    ("none", "None"),
]


class LogisticsServiceTier(models.Model):
    """A customer segment and the service level it grants."""

    _name = "logistics.service.tier"
    _description = "Service Tier"
    _order = "sequence, min_score desc, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    active = fields.Boolean(default=True)
    min_score = fields.Float(
        string="Minimum Score",
        help="A customer whose score reaches this minimum (0-100) gets this tier, "
        "unless a tier with a higher minimum is reached too.",
    )
    first_response_hours = fields.Float(
        string="First Response Target (h)", default=24.0
    )
    resolution_hours = fields.Float(string="Resolution Target (h)", default=120.0)
    quote_response_hours = fields.Float(
        string="Quote Response Target (h)",
        default=8.0,
        help="Working hours within which a quote request of this tier's "
        "customers gets its firm quote.",
    )
    resource_calendar_id = fields.Many2one(
        comodel_name="resource.calendar",
        string="Working Hours",
        help="The working time the complaint targets count in.",
    )
    complaint_priority = fields.Selection(
        selection=[("0", "Normal"), ("1", "High"), ("2", "Urgent"), ("3", "Critical")],
        default="0",
        required=True,
    )
    dedicated_team_required = fields.Boolean(string="Dedicated Account Team Required")
    review_cadence_days = fields.Integer(
        string="Profile Review Cadence (days)", default=180, required=True
    )
    notification_level = fields.Selection(
        selection=NOTIFICATION_LEVELS,
        default="milestones",
        required=True,
        help="Which proactive notifications the customers of this tier get by default.",
    )
    qbr_required = fields.Boolean(
        string="Quarterly Business Review",
        help="A business review meeting (a meeting of type Business Review with "
        "the customer's people) is due every quarter.",
    )
    contact_cadence_days = fields.Integer(
        string="Contact Cadence (days)",
        default=0,
        help="How often the account team must be in touch with the customers of "
        "this tier (a held call, a meeting, an e-mail or message sent); 0: no "
        "cadence. A customer past it is flagged and its account manager asked to "
        "get in touch.",
    )
    survey_interval_months = fields.Integer(
        string="Relationship Survey Every (months)",
        default=12,
        help="How often the survey contacts of this tier's customers are invited "
        "to the relationship survey; 0: never.",
    )
    survey_detractor_complaint = fields.Boolean(
        string="Complaint Ticket for Detractors",
        help="A detractor answer to the relationship survey also opens a "
        "proactive complaint ticket, with its SLA.",
    )
    proactive_complaints = fields.Boolean(
        string="Proactive Complaint Tickets",
        help="A shipment exception of a customer of this tier opens a complaint "
        "ticket at once, before the customer complains.",
    )

    _code_unique = models.UniqueIndex("(code)", "A service tier code must be unique.")
    _check_survey_interval = models.Constraint(
        "CHECK (survey_interval_months >= 0)",
        "The relationship survey interval cannot be negative.",
    )
    _check_min_score = models.Constraint(
        "CHECK (min_score >= 0 AND min_score <= 100)",
        "The minimum score of a tier must be between 0 and 100.",
    )
    _check_targets = models.Constraint(
        "CHECK (first_response_hours > 0 AND resolution_hours >= first_response_hours)",
        "Response targets must be positive and the resolution target cannot be "
        "shorter than the first-response target.",
    )
    _check_review_cadence = models.Constraint(
        "CHECK (review_cadence_days > 0)",
        "The profile review cadence must be a positive number of days.",
    )

    @api.model
    def _tier_picker(self):
        """Return a function giving the tier a score reaches: the active tier
        with the highest minimum at or below the score, else the lowest tier;
        None when no tier is active. The tiers are read and sorted once for a
        whole batch of customers."""
        tiers = self.search([("active", "=", True)]).sorted("min_score", reverse=True)
        if not tiers:
            return None
        thresholds = [(tier.min_score, tier) for tier in tiers]
        lowest = tiers[-1:]

        def pick(score):
            for min_score, tier in thresholds:
                if score >= min_score:
                    return tier
            return lowest

        return pick

    @api.model
    def _service_level_of(self, partner):
        """What the partner's customer tier grants, for complaints and
        notifications."""
        customer = partner.commercial_partner_id
        tier = customer.tier_id
        return {
            "tier": tier,
            "first_response_hours": tier.first_response_hours,
            "resolution_hours": tier.resolution_hours,
            "calendar": tier.resource_calendar_id,
            "complaint_priority": tier.complaint_priority or "0",
            "notification_level": tier.notification_level or "milestones",
            "dedicated_team_required": tier.dedicated_team_required,
            "qbr_required": tier.qbr_required,
            "account_manager": customer.account_manager_id,
            "service_team": customer.service_team_ids,
        }
