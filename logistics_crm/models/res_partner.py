from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

from .logistics_kpi import kpi_help
from .logistics_phone import normalize_phone
from .logistics_selections import (
    CARRIER_TYPES,
    CREDIT_RATINGS,
    CUSTOMER_DOMAIN,
    INVOICING_POLICIES,
    MANAGER_GROUP,
    SUPPLY_CHAIN_ROLES,
    TIER_OVERRIDE_FIELDS,
)
from .logistics_tier_followers import review_cadence, review_due_date, service_gap

COUNTED_MODELS = {
    "logistics.lane": "logistics_lane_count",
    "logistics.shipment": "logistics_shipment_count",
    "logistics.complaint": "logistics_complaint_count",
}
# The customer form's "last contact" per channel of the timeline.
LAST_CONTACT_FIELDS = {
    "call": "logistics_last_call_date",
    "email": "logistics_last_email_date",
    "meeting": "logistics_last_meeting_date",
    "portal": "logistics_last_portal_date",
}


class ResPartner(models.Model):
    """Logistics profile of a customer, held on its commercial partner: every
    reader goes through ``commercial_partner_id``, one profile for all contacts.
    """

    _inherit = "res.partner"

    # Odoo 19 keeps one number per contact; a logistics contact has a desk
    # line and a mobile (the one SMS goes to, first in Odoo's number fields).
    mobile = fields.Char()
    phone_e164 = fields.Char(
        string="Phone (E.164)",
        compute="_compute_phone_e164",
        store=True,
        index="btree_not_null",
        help="The phone number in international form, which the caller lookup "
        "searches on.",
    )
    mobile_e164 = fields.Char(
        string="Mobile (E.164)",
        compute="_compute_phone_e164",
        store=True,
        index="btree_not_null",
    )
    # Logistics profile
    logistics_role = fields.Selection(
        selection=SUPPLY_CHAIN_ROLES, string="Supply-Chain Role", tracking=True
    )
    logistics_business_model = fields.Text(
        string="Business Model", groups="base.group_user"
    )
    cargo_category_ids = fields.Many2many(
        comodel_name="logistics.cargo.category", string="Cargo Categories"
    )
    logistics_carrier_type = fields.Selection(
        selection=CARRIER_TYPES,
        string="Carrier Type",
        index="btree_not_null",
        tracking=True,
        help="Set for a transport provider the company buys from: a carrier "
        "is not a customer (no tier, no scorecard, not in Customers) and moves "
        "only the transport modes of its type.",
    )
    logistics_special_handling = fields.Text(string="Special Handling")
    logistics_contract_terms = fields.Text(
        string="Contractual Terms", groups="base.group_user"
    )
    communication_channel_ids = fields.Many2many(
        comodel_name="logistics.communication.channel", string="Preferred Channels"
    )
    # Account team and relationship
    account_manager_id = fields.Many2one(
        comodel_name="res.users",
        string="Account Manager",
        domain="[('share', '=', False)]",
        index="btree_not_null",
        tracking=True,
    )
    service_team_ids = fields.Many2many(
        comodel_name="res.users",
        relation="res_partner_logistics_service_team_rel",
        column1="partner_id",
        column2="user_id",
        string="Dedicated Service Team",
        domain="[('share', '=', False)]",
    )
    customer_since = fields.Date(tracking=True)
    years_of_cooperation = fields.Float(
        compute="_compute_years_of_cooperation",
        digits=(16, 1),
        help="Years elapsed since the customer-since date.",
    )
    # Credit limit and payment terms are Odoo's own (credit_limit,
    # property_payment_term_id), confidential to billing users.
    logistics_invoicing_policy = fields.Selection(
        selection=INVOICING_POLICIES,
        string="Invoicing",
        default="shipment",
        required=True,
        tracking=True,
        help="Per shipment: each booked shipment is invoiced when it is "
        "delivered. Monthly settlement: one invoice at the start of each "
        "month for every shipment delivered in the previous one, with a "
        "statement of account the customer confirms on the portal.",
    )
    logistics_overdue_amount = fields.Monetary(
        string="Overdue",
        compute="_compute_logistics_overdue_amount",
        currency_field="currency_id",
        groups="account.group_account_invoice,account.group_account_readonly",
        help="Posted receivables past their due date and not yet paid.",
    )
    logistics_credit_rating = fields.Selection(
        selection=CREDIT_RATINGS,
        string="Credit Rating",
        groups=MANAGER_GROUP,
        tracking=True,
    )
    # Profile reviews
    profile_reviewed_date = fields.Date(string="Profile Last Reviewed", tracking=True)
    profile_reviewed_by_id = fields.Many2one(
        comodel_name="res.users", string="Profile Reviewed By"
    )
    profile_review_cadence_days = fields.Integer(
        string="Review Cadence (days)",
        compute="_compute_profile_review_cadence_days",
        store=True,
        readonly=False,
        help="How often the logistics profile must be reviewed; follows the "
        "service tier unless changed by hand.",
    )
    profile_review_due_date = fields.Date(
        compute="_compute_profile_review_due_date",
        store=True,
        index="btree_not_null",
        help="Last review (or customer-since date) plus the review cadence.",
    )
    # Service tier: the scoring engine's output, and a manager's override
    tier_id = fields.Many2one(
        comodel_name="logistics.service.tier",
        string="Service Tier",
        index="btree_not_null",
        tracking=True,
        readonly=True,
        copy=False,
    )
    # The engines' output, stored on its own table (see logistics.customer.score)
    logistics_score_id = fields.Many2one(
        comodel_name="logistics.customer.score",
        string="Scores",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="base.group_user",
    )
    tier_score = fields.Float(
        related="logistics_score_id.tier_score", groups="base.group_user"
    )
    tier_computed_id = fields.Many2one(
        related="logistics_score_id.tier_computed_id", groups="base.group_user"
    )
    tier_breakdown = fields.Json(
        related="logistics_score_id.tier_breakdown", groups="base.group_user"
    )
    tier_breakdown_html = fields.Html(
        string="Why This Tier",
        compute="_compute_breakdown_html",
        sanitize=False,
        groups="base.group_user",
    )
    tier_computed_date = fields.Datetime(
        related="logistics_score_id.tier_computed_date", groups="base.group_user"
    )
    tier_override_id = fields.Many2one(
        comodel_name="logistics.service.tier",
        string="Forced Tier",
        tracking=True,
        copy=False,
        groups="base.group_user",
    )
    tier_override_reason = fields.Text(
        string="Override Reason", copy=False, groups="base.group_user"
    )
    tier_override_until = fields.Date(
        string="Override Until",
        copy=False,
        help="Empty: the forced tier stays until removed.",
        groups="base.group_user",
    )
    tier_history_ids = fields.One2many(
        comodel_name="logistics.tier.history",
        inverse_name="partner_id",
        string="Tier History",
        groups="base.group_user",
    )
    logistics_service_gap = fields.Boolean(
        string="Service Gap",
        compute="_compute_logistics_service_gap",
        store=True,
        help="The tier requires a dedicated account team and the customer has "
        "no account manager or no service team.",
        groups="base.group_user",
    )
    # Lanes, shipments and complaints
    logistics_lane_ids = fields.One2many(
        comodel_name="logistics.lane", inverse_name="partner_id", string="Lanes"
    )
    logistics_lane_count = fields.Integer(
        string="Lane Count", compute="_compute_logistics_counts"
    )
    logistics_shipment_count = fields.Integer(
        string="Shipment Count", compute="_compute_logistics_counts"
    )
    logistics_complaint_count = fields.Integer(
        string="Complaint Count", compute="_compute_logistics_counts"
    )
    logistics_survey_nps = fields.Float(
        string="NPS (12 months)",
        compute="_compute_logistics_survey_nps",
        help=kpi_help("nps"),
    )
    logistics_survey_answer_count = fields.Integer(
        string="Survey Answers (12 months)", compute="_compute_logistics_survey_nps"
    )
    logistics_complaint_ids = fields.One2many(
        comodel_name="logistics.complaint",
        inverse_name="partner_id",
        string="Complaints",
    )
    # Proactive notifications
    logistics_subscription_ids = fields.One2many(
        comodel_name="logistics.notification.subscription",
        inverse_name="partner_id",
        string="Shipment Notifications",
    )
    # A company holds none itself: its form lists what its contacts hold.
    logistics_contact_subscription_ids = fields.One2many(
        comodel_name="logistics.notification.subscription",
        inverse_name="customer_id",
        string="Contacts' Shipment Notifications",
    )
    logistics_notify_opt_out = fields.Boolean(
        string="No Shipment Notifications",
        tracking=True,
        help="The contact unsubscribed from all proactive shipment notifications.",
    )
    # Churn risk and scorecard
    churn_score = fields.Float(
        related="logistics_score_id.churn_score", groups="base.group_user"
    )
    churn_breakdown = fields.Json(
        related="logistics_score_id.churn_breakdown", groups="base.group_user"
    )
    churn_breakdown_html = fields.Html(
        string="Why This Risk",
        compute="_compute_breakdown_html",
        sanitize=False,
        groups="base.group_user",
    )
    churn_alert = fields.Boolean(
        related="logistics_score_id.churn_alert", groups="base.group_user"
    )
    logistics_snapshot_ids = fields.One2many(
        comodel_name="logistics.kpi.snapshot",
        inverse_name="partner_id",
        string="Monthly Scorecard",
    )
    logistics_scorecard_chart = fields.Html(
        string="Scorecard Trend",
        compute="_compute_logistics_scorecard_chart",
        sanitize=False,
        groups="logistics_crm.logistics_crm_group_user",
        help="The last 12 monthly snapshots: on-time rate and SLA compliance as "
        "a chart, every figure month by month.",
    )
    logistics_needs_review = fields.Boolean(
        string="Needs Review",
        help="Created from an email by an unknown sender: check who it is and "
        "attach it to its company.",
        groups="base.group_user",
    )
    # Last touch per channel, read from the timeline (logistics.interaction)
    logistics_last_call_date = fields.Datetime(
        string="Last Call",
        compute="_compute_logistics_last_contact_dates",
        groups="logistics_crm.logistics_crm_group_user",
    )
    logistics_last_email_date = fields.Datetime(
        string="Last E-mail",
        compute="_compute_logistics_last_contact_dates",
        groups="logistics_crm.logistics_crm_group_user",
    )
    logistics_last_meeting_date = fields.Datetime(
        string="Last Meeting",
        compute="_compute_logistics_last_contact_dates",
        groups="logistics_crm.logistics_crm_group_user",
    )
    logistics_last_portal_date = fields.Datetime(
        string="Last Portal Message",
        compute="_compute_logistics_last_contact_dates",
        groups="logistics_crm.logistics_crm_group_user",
    )

    # Contact cadence of the tier, kept by the daily cadence run
    # (logistics.account.followup._schedule_contact_cadence).
    last_contact_date = fields.Date(
        readonly=True,
        copy=False,
        groups="logistics_crm.logistics_crm_group_user",
        help="Last time the account team was in touch: a held call, a meeting, "
        "an e-mail or message our staff sent.",
    )
    contact_due_date = fields.Date(
        string="Next Contact Due",
        readonly=True,
        copy=False,
        groups="logistics_crm.logistics_crm_group_user",
        help="Last contact (or customer-since date) plus the tier's contact cadence.",
    )
    out_of_cadence = fields.Boolean(
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="logistics_crm.logistics_crm_group_user",
        help="The contact cadence of the customer's tier has lapsed.",
    )
    contact_gap_notified_date = fields.Date(
        readonly=True,
        copy=False,
        groups="logistics_crm.logistics_crm_group_user",
        help="The due date the account manager was last asked to get in touch "
        "for: one activity per gap.",
    )
    last_qbr_date = fields.Date(
        string="Last Business Review",
        readonly=True,
        copy=False,
        groups="logistics_crm.logistics_crm_group_user",
    )
    qbr_due_date = fields.Date(
        string="Business Review Due",
        readonly=True,
        copy=False,
        groups="logistics_crm.logistics_crm_group_user",
    )
    qbr_overdue = fields.Boolean(
        string="Business Review Overdue",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="logistics_crm.logistics_crm_group_user",
    )
    qbr_gap_notified_date = fields.Date(
        readonly=True,
        copy=False,
        groups="logistics_crm.logistics_crm_group_user",
    )

    # Segment facts: stored by logistics.customer.facts, read by segments.
    logistics_shipments_12m = fields.Integer(
        string="Shipments, Last 12 Months",
        readonly=True,
        copy=False,
        groups="base.group_user",
    )
    logistics_revenue_12m = fields.Float(
        string="Revenue, Last 12 Months",
        readonly=True,
        copy=False,
        groups="base.group_user",
    )
    logistics_last_shipment_date = fields.Date(
        string="Last Shipment", readonly=True, copy=False, groups="base.group_user"
    )
    logistics_service_line_ids = fields.Many2many(
        comodel_name="logistics.service.line",
        relation="logistics_partner_service_line_rel",
        column1="partner_id",
        column2="line_id",
        string="Service Lines Used",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="The company's service lines the customer used in the last 12 months.",
    )
    logistics_service_breadth = fields.Integer(
        string="Service Breadth",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help=kpi_help("service_breadth"),
    )
    logistics_peer_service_line_ids = fields.Many2many(
        comodel_name="logistics.service.line",
        relation="logistics_partner_peer_service_line_rel",
        column1="partner_id",
        column2="line_id",
        string="Peers Also Use",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="Transport modes most customers of the same industry use and this "
        "customer does not (key-customer discovery).",
    )
    logistics_facts_date = fields.Datetime(
        string="Facts Refreshed On", readonly=True, copy=False, groups="base.group_user"
    )
    logistics_marketing_opt_out = fields.Boolean(
        string="No Marketing E-mails",
        tracking=True,
        help="The contact receives no marketing mailing. Shipment notifications "
        "are operational and follow their own subscriptions.",
    )

    logistics_survey_contact = fields.Boolean(
        string="Relationship Survey Contact",
        tracking=True,
        help="A decision maker or main operational contact of the customer: "
        "invited to the relationship survey at the tier's interval.",
    )
    logistics_survey_opt_out = fields.Boolean(
        string="No Surveys",
        tracking=True,
        help="The contact is never invited to a relationship survey.",
    )

    _check_review_cadence = models.Constraint(
        "CHECK (profile_review_cadence_days IS NULL "
        "OR profile_review_cadence_days > 0)",
        "The profile review cadence must be a positive number of days.",
    )

    def _compute_logistics_overdue_amount(self):
        overdue = self.env["logistics.credit.control"]._overdue_amounts(
            self.commercial_partner_id
        )
        for partner in self:
            partner.logistics_overdue_amount = overdue.get(
                partner.commercial_partner_id.id, 0.0
            )

    @api.depends("customer_since")
    def _compute_years_of_cooperation(self):
        today = fields.Date.context_today(self)
        for partner in self:
            days = (today - (partner.customer_since or today)).days
            partner.years_of_cooperation = round(max(days, 0) / 365.25, 1)

    @api.depends("phone", "mobile", "country_id", "company_id")
    def _compute_phone_e164(self):
        default_region = self.env.company.country_id.code
        for partner in self:
            region = (
                partner.country_id.code
                or partner.company_id.country_id.code
                or default_region
            )
            partner.phone_e164 = normalize_phone(partner.phone, region)
            partner.mobile_e164 = normalize_phone(partner.mobile, region)

    @api.depends("tier_id.review_cadence_days")
    def _compute_profile_review_cadence_days(self):
        # After a tier recomputation this runs for thousands of customers:
        # read the one column needed rather than prefetch whole partner rows.
        self.fetch(["tier_id"])
        for partner in self:
            partner.profile_review_cadence_days = review_cadence(partner.tier_id)

    @api.depends(
        "tier_id.dedicated_team_required", "account_manager_id", "service_team_ids"
    )
    def _compute_logistics_service_gap(self):
        for partner in self:
            partner.logistics_service_gap = service_gap(partner.tier_id, partner)

    @api.depends("tier_breakdown", "churn_breakdown")
    def _compute_breakdown_html(self):
        scoring = self.env["logistics.customer.scoring"]
        for fname in ("tier_breakdown", "churn_breakdown"):
            tables = scoring._breakdown_tables(self, fname)
            for partner, html in zip(self, tables, strict=True):
                partner[f"{fname}_html"] = html

    @api.depends("logistics_snapshot_ids")
    def _compute_logistics_scorecard_chart(self):
        Snapshot = self.env["logistics.kpi.snapshot"]
        for partner in self:
            scorecard = Snapshot._scorecard(partner.commercial_partner_id)
            partner.logistics_scorecard_chart = Snapshot._scorecard_html(scorecard)

    @api.depends(
        "profile_reviewed_date", "profile_review_cadence_days", "customer_since"
    )
    def _compute_profile_review_due_date(self):
        self.fetch(
            ["profile_reviewed_date", "profile_review_cadence_days", "customer_since"]
        )
        for partner in self:
            partner.profile_review_due_date = review_due_date(
                partner.profile_reviewed_date or partner.customer_since,
                partner.profile_review_cadence_days,
            )

    def _compute_logistics_last_contact_dates(self):
        self.fetch(["commercial_partner_id"])
        dates = self.env["logistics.interaction"]._last_dates_by_channel(
            self.commercial_partner_id._origin
        )
        for partner in self:
            customer_id = partner.commercial_partner_id._origin.id
            for channel, fname in LAST_CONTACT_FIELDS.items():
                partner[fname] = dates.get((customer_id, channel), False)

    def _compute_logistics_counts(self):
        # A contact shows its company's counts. The company link is read in
        # the same round trip as the three counts: each model's own search
        # (its record rules and archived filter included), grouped by
        # customer, then united and joined back to the contacts. The contacts
        # are a materialized CTE so PostgreSQL reads them once, not per
        # model, and plans the query in half the time.
        contacts = self._origin.filtered("id")
        counts = {}
        if contacts:
            self.flush_model(["commercial_partner_id"])
            counts_by_model = []
            for model, fname in COUNTED_MODELS.items():
                query = self.env[model]._search([])
                customer = self.env[model]._field_to_sql(
                    query.table, "partner_id", query
                )
                query.add_where(
                    SQL(
                        "%s IN (SELECT commercial_partner_id FROM counted_contact)",
                        customer,
                    )
                )
                query.groupby = SQL("2")
                counts_by_model.append(
                    query.select(SQL("%s", fname), customer, SQL("count(*)"))
                )
            self.env.cr.execute(
                SQL(
                    """WITH counted_contact AS MATERIALIZED (
                           SELECT id, commercial_partner_id
                             FROM res_partner
                            WHERE id IN %s
                       )
                       SELECT contact.id, counted.fname, counted.count
                         FROM counted_contact contact
                         JOIN (%s) counted (fname, customer_id, count)
                           ON counted.customer_id = contact.commercial_partner_id""",
                    tuple(contacts.ids),
                    SQL(" UNION ALL ").join(counts_by_model),
                )
            )
            counts = {
                (fname, contact_id): count
                for contact_id, fname, count in self.env.cr.fetchall()
            }
        contact_ids = [partner._origin.id for partner in self]
        for fname in COUNTED_MODELS.values():
            # Straight into the cache: a computed field set per record goes
            # through the write machinery 3 times per contact.
            self._fields[fname]._insert_cache(
                self, [counts.get((fname, contact_id), 0) for contact_id in contact_ids]
            )

    def _compute_logistics_survey_nps(self):
        self.fetch(["commercial_partner_id"])
        # The results report reads what the ORM may still hold in memory.
        self.env.flush_all()
        groups = {
            customer: (count, nps)
            for customer, count, nps in self.env["logistics.survey.report"]._read_group(
                [
                    ("partner_id", "in", self.commercial_partner_id.ids),
                    ("date", ">=", fields.Datetime.now() - timedelta(days=365)),
                ],
                ["partner_id"],
                ["answer_count:sum", "nps:avg"],
            )
        }
        for partner in self:
            count, nps = groups.get(partner.commercial_partner_id, (0, 0.0))
            partner.logistics_survey_answer_count = count
            partner.logistics_survey_nps = nps

    @api.constrains("tier_override_id", "tier_override_reason")
    def _check_tier_override_reason(self):
        for partner in self.filtered("tier_override_id"):
            if not (partner.tier_override_reason or "").strip():
                name = partner.display_name
                raise ValidationError(
                    self.env._("Give the reason for forcing the tier of %s.", name)
                )

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        Subscription = self.env["logistics.notification.subscription"]
        Subscription._subscribe_tier_defaults(partners)
        return partners

    def write(self, vals):
        if vals.get("logistics_notify_opt_out"):
            self.env["logistics.notification.log"]._cancel_pending_for(self)
        if (
            set(TIER_OVERRIDE_FIELDS) & set(vals)
            and not self.env.su
            and not self.env.user.has_group(MANAGER_GROUP)
        ):
            raise AccessError(
                self.env._("Only Logistics CRM managers can force a service tier.")
            )
        result = super().write(vals)
        self.env["logistics.notification.subscription"]._follow_partners(self, vals)
        if "tier_override_id" in vals and not self.env.context.get("tier_recompute"):
            # A forced tier (or its removal) takes effect at once.
            self._recompute_logistics_tiers()
        return result

    def action_view_logistics_lanes(self):
        self.ensure_one()
        return self._logistics_action("logistics_crm.logistics_lane_action")

    def action_view_logistics_shipments(self):
        self.ensure_one()
        return self._logistics_action("logistics_crm.logistics_shipment_action")

    def action_view_logistics_complaints(self):
        self.ensure_one()
        return self._logistics_action("logistics_crm.logistics_complaint_action")

    def action_view_logistics_survey(self):
        self.ensure_one()
        return self._logistics_action("logistics_crm.logistics_survey_report_action")

    def action_new_logistics_complaint(self):
        self.ensure_one()
        action = self.action_view_logistics_complaints()
        contact_id = self.id if self.parent_id else False
        action["context"] = dict(action["context"], default_contact_id=contact_id)
        action.update(views=[(False, "form")], view_mode="form")
        return action

    def action_view_logistics_timeline(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_crm.logistics_interaction_action"
        )
        action["domain"] = [("customer_id", "=", self.commercial_partner_id.id)]
        action["context"] = {}
        return action

    def action_view_logistics_scorecard(self):
        self.ensure_one()
        return self._logistics_action("logistics_crm.logistics_kpi_snapshot_action")

    def action_mark_profile_reviewed(self):
        followup = self.env["logistics.account.followup"]
        followup._mark_profile_reviewed(self.commercial_partner_id)
        return True

    def action_recompute_churn_risk(self):
        self.commercial_partner_id._recompute_churn_risk()
        return True

    def action_recompute_logistics_tier(self):
        self.commercial_partner_id._recompute_logistics_tiers()
        return True

    def _logistics_action(self, xmlid):
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        commercial = self.commercial_partner_id
        action["domain"] = [("partner_id", "=", commercial.id)]
        action["context"] = {"default_partner_id": commercial.id}
        return action

    @api.model
    def _cron_schedule_profile_reviews(self):
        self.env["logistics.account.followup"]._schedule_profile_reviews()

    def _logistics_service_level(self):
        """What the customer's tier grants, for complaints and notifications."""
        self.ensure_one()
        return self.env["logistics.service.tier"]._service_level_of(self)

    def _logistics_sms_number(self):
        """The E.164 number shipment notifications are texted to: the mobile,
        else the phone (the same rule as the notification queue's SQL)."""
        self.ensure_one()
        return self.mobile_e164 or self.phone_e164 or False

    @api.model
    def _mailing_get_opt_out_list(self, mailing):
        """Email Marketing's hook: the recipients of ``mailing`` who take no
        marketing e-mail, skipped as opted out."""
        opted_out = self.search_fetch(
            Domain(mailing._get_recipients_domain())
            & Domain("logistics_marketing_opt_out", "=", True)
            & Domain("email_normalized", "!=", False),
            ["email_normalized"],
        )
        return set(opted_out.mapped("email_normalized"))

    @api.model
    def _cron_recompute_logistics_tiers(self):
        self.search(CUSTOMER_DOMAIN)._recompute_logistics_tiers()

    def _recompute_logistics_tiers(self, batch_size=None):
        """Score these customers and give each its tier (the scoring engine)."""
        self.env["logistics.customer.scoring"]._recompute_tiers(self, batch_size)

    @api.model
    def _cron_churn_risk(self):
        self.search(
            [*CUSTOMER_DOMAIN, ("customer_since", "!=", False)]
        )._recompute_churn_risk()

    def _recompute_churn_risk(self):
        """Score the churn risk of these customers (the scoring engine)."""
        self.env["logistics.customer.scoring"]._recompute_churn(self)
