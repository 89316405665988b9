import json
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Domain
from odoo.tools.misc import hmac

from .bulk_write import write_columns
from .logistics_selections import NOTIFICATION_LEVEL_EVENTS
from .scorecard_chart import scorecard_chart

PROFILE_REVIEW_ACTIVITY = "logistics_crm.mail_activity_type_profile_review"
TIER_CHANGE_ACTIVITY = "logistics_crm.mail_activity_type_tier_change"
CHURN_ACTIVITY = "logistics_crm.mail_activity_type_churn_alert"
CHURN_THRESHOLD = 60.0
MANAGER_GROUP = "logistics_crm.logistics_crm_group_manager"
DEFAULT_REVIEW_CADENCE = 180
# Tiers whose arrival or departure the account manager must act on.
WATCHED_TIER_CODES = ("strategic", "key")
OVERRIDE_FIELDS = ("tier_override_id", "tier_override_reason", "tier_override_until")
# Large batches: the metrics aggregate scans shipments by customer, and a few
# big scans cost far less than many small ones (50 000 customers: 2.8 s in one
# batch, 3.4 s in two, 5.6 s in ten).
TIER_BATCH_SIZE = 50000
SCORE_FIELDS = (
    "tier_score",
    "tier_breakdown",
    "tier_computed_id",
    "tier_computed_date",
)
BREAKDOWN_HEAD = Markup(
    "<table class='table table-sm o_logistics_tier_breakdown'><thead><tr>"
    "<th>{}</th><th class='text-end'>{}</th><th class='text-end'>{}</th>"
    "<th class='text-end'>{}</th></tr></thead><tbody>"
)
BREAKDOWN_ROW = Markup(
    "<tr><td>{}</td><td class='text-end'>{}</td>"
    "<td class='text-end'>{}</td><td class='text-end'>{}</td></tr>"
)


class ResPartner(models.Model):
    """Logistics profile of a customer, held on its commercial partner.

    Contacts of a company show and edit nothing of it: every reader goes
    through ``commercial_partner_id``, so one profile serves all contacts.
    """

    _inherit = "res.partner"

    logistics_role = fields.Selection(
        selection=[
            ("shipper", "Shipper"),
            ("consignee", "Consignee"),
            ("manufacturer", "Manufacturer"),
            ("distributor", "Distributor"),
            ("retailer", "Retailer"),
            ("ecommerce", "E-commerce"),
            ("forwarder", "Freight Forwarder / Partner"),
        ],
        string="Supply-Chain Role",
        tracking=True,
    )
    logistics_business_model = fields.Text(
        string="Business Model", groups="base.group_user"
    )
    cargo_category_ids = fields.Many2many(
        comodel_name="logistics.cargo.category",
        string="Cargo Categories",
    )
    logistics_special_handling = fields.Text(string="Special Handling")
    logistics_contract_terms = fields.Text(
        string="Contractual Terms", groups="base.group_user"
    )
    communication_channel_ids = fields.Many2many(
        comodel_name="logistics.communication.channel",
        string="Preferred Channels",
    )
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
    # Confidential: payment credit is for managers only (field groups).
    logistics_credit_limit = fields.Monetary(
        string="Credit Limit",
        currency_field="logistics_credit_currency_id",
        groups=MANAGER_GROUP,
        tracking=True,
    )
    # Not confidential itself, and a default on a field restricted to
    # managers would make every other user fail to create a partner.
    logistics_credit_currency_id = fields.Many2one(
        comodel_name="res.currency",
        string="Credit Currency",
        default=lambda self: self.env.company.currency_id,
    )
    logistics_payment_terms = fields.Char(
        string="Payment Terms",
        groups=MANAGER_GROUP,
        help="Agreed payment terms, e.g. '30 days end of month'.",
    )
    logistics_payment_term_days = fields.Integer(
        string="Payment Term (days)",
        groups=MANAGER_GROUP,
    )
    logistics_credit_rating = fields.Selection(
        selection=[
            ("a", "A - Excellent"),
            ("b", "B - Good"),
            ("c", "C - Watch"),
            ("d", "D - High Risk"),
        ],
        string="Credit Rating",
        groups=MANAGER_GROUP,
        tracking=True,
    )
    profile_reviewed_date = fields.Date(string="Profile Last Reviewed", tracking=True)
    profile_reviewed_by_id = fields.Many2one(
        comodel_name="res.users",
        string="Profile Reviewed By",
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
    tier_id = fields.Many2one(
        comodel_name="logistics.service.tier",
        string="Service Tier",
        index="btree_not_null",
        tracking=True,
        readonly=True,
        copy=False,
    )
    tier_score = fields.Float(
        digits=(16, 1), readonly=True, copy=False, groups="base.group_user"
    )
    tier_computed_id = fields.Many2one(
        comodel_name="logistics.service.tier",
        string="Computed Tier",
        readonly=True,
        copy=False,
        groups="base.group_user",
    )
    tier_breakdown = fields.Json(readonly=True, copy=False, groups="base.group_user")
    tier_breakdown_html = fields.Html(
        string="Why This Tier",
        compute="_compute_tier_breakdown_html",
        sanitize=False,
        groups="base.group_user",
    )
    tier_computed_date = fields.Datetime(
        string="Tier Computed On",
        readonly=True,
        copy=False,
        groups="base.group_user",
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
        search="_search_logistics_service_gap",
        help="The tier requires a dedicated account team and the customer has "
        "no account manager or no service team.",
        groups="base.group_user",
    )
    logistics_lane_ids = fields.One2many(
        comodel_name="logistics.lane",
        inverse_name="partner_id",
        string="Lanes",
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
    logistics_complaint_ids = fields.One2many(
        comodel_name="logistics.complaint",
        inverse_name="partner_id",
        string="Complaints",
    )
    logistics_subscription_ids = fields.One2many(
        comodel_name="logistics.notification.subscription",
        inverse_name="partner_id",
        string="Shipment Notifications",
    )
    logistics_notify_opt_out = fields.Boolean(
        string="No Shipment Notifications",
        tracking=True,
        help="The contact unsubscribed from all proactive shipment notifications.",
    )
    churn_score = fields.Float(
        string="Churn Risk",
        digits=(16, 1),
        readonly=True,
        copy=False,
        help="0-100: the weighted churn-risk rules on the customer's recent "
        "volumes, complaints, ratings, SLA breaches, exceptions, contacts and "
        "contract end.",
        groups="base.group_user",
    )
    churn_breakdown = fields.Json(readonly=True, copy=False, groups="base.group_user")
    churn_breakdown_html = fields.Html(
        string="Why This Risk",
        compute="_compute_churn_breakdown_html",
        sanitize=False,
        groups="base.group_user",
    )
    churn_alert = fields.Boolean(
        string="At Risk",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        help="The churn risk was at or above the alert threshold at the last run.",
        groups="base.group_user",
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
        help="On-time rate and SLA compliance of the last 12 monthly snapshots.",
    )
    logistics_needs_review = fields.Boolean(
        string="Needs Review",
        help="Created from an email by an unknown sender: check who it is and "
        "attach it to its company.",
        groups="base.group_user",
    )

    _check_review_cadence = models.Constraint(
        "CHECK (profile_review_cadence_days IS NULL "
        "OR profile_review_cadence_days > 0)",
        "The profile review cadence must be a positive number of days.",
    )
    _check_payment_term_days = models.Constraint(
        "CHECK (logistics_payment_term_days IS NULL "
        "OR logistics_payment_term_days >= 0)",
        "Payment term days cannot be negative.",
    )

    @api.depends("customer_since")
    def _compute_years_of_cooperation(self):
        today = fields.Date.context_today(self)
        for partner in self:
            since = partner.customer_since
            partner.years_of_cooperation = (
                round((today - since).days / 365.25, 1)
                if since and since <= today
                else 0.0
            )

    @api.depends("tier_id.review_cadence_days")
    def _compute_profile_review_cadence_days(self):
        # After a tier recomputation this runs for thousands of customers:
        # read the one column needed rather than prefetch whole partner rows.
        self.fetch(["tier_id"])
        for partner in self:
            partner.profile_review_cadence_days = (
                partner.tier_id.review_cadence_days or DEFAULT_REVIEW_CADENCE
            )

    @api.depends(
        "tier_id.dedicated_team_required", "account_manager_id", "service_team_ids"
    )
    def _compute_logistics_service_gap(self):
        for partner in self:
            partner.logistics_service_gap = bool(
                partner.tier_id.dedicated_team_required
                and not (partner.account_manager_id and partner.service_team_ids)
            )

    def _search_logistics_service_gap(self, operator, value):
        if operator != "in":
            return NotImplemented
        gap = Domain("tier_id.dedicated_team_required", "=", True) & (
            Domain("account_manager_id", "=", False)
            | Domain("service_team_ids", "=", False)
        )
        if True in value and False in value:
            return Domain.TRUE
        return gap if True in value else ~gap

    @api.depends("tier_breakdown")
    def _compute_tier_breakdown_html(self):
        for partner, html in zip(
            self, self._breakdown_html("tier_breakdown"), strict=True
        ):
            partner.tier_breakdown_html = html

    @api.depends("churn_breakdown")
    def _compute_churn_breakdown_html(self):
        for partner, html in zip(
            self, self._breakdown_html("churn_breakdown"), strict=True
        ):
            partner.churn_breakdown_html = html

    @api.depends("logistics_snapshot_ids")
    def _compute_logistics_scorecard_chart(self):
        for partner in self:
            partner.logistics_scorecard_chart = (
                partner._logistics_scorecard_chart_html()
            )

    def _breakdown_html(self, fname):
        """The "why" table of a score: metric, value, points and weight."""
        labels = dict(self.env["logistics.tier.rule"]._selection_metric())
        head = BREAKDOWN_HEAD.format(
            self.env._("Metric"),
            self.env._("Value"),
            self.env._("Points"),
            self.env._("Weight"),
        )
        tables = []
        for partner in self:
            rows = partner[fname] or []
            if not rows:
                tables.append(False)
                continue
            # Markup.format escapes every cell: metric labels and numbers only.
            body = Markup("").join(
                BREAKDOWN_ROW.format(
                    labels.get(row["metric"], row["metric"]),
                    f"{row['value']:,.1f}",
                    f"{row['points']:.0f}",
                    f"{row['weight']:g}",
                )
                for row in rows
            )
            tables.append(head + body + Markup("</tbody></table>"))
        return tables

    @api.depends(
        "profile_reviewed_date", "profile_review_cadence_days", "customer_since"
    )
    def _compute_profile_review_due_date(self):
        self.fetch(
            ["profile_reviewed_date", "profile_review_cadence_days", "customer_since"]
        )
        for partner in self:
            base = partner.profile_reviewed_date or partner.customer_since
            partner.profile_review_due_date = (
                base + timedelta(days=partner.profile_review_cadence_days or 0)
                if base
                else False
            )

    def _compute_logistics_counts(self):
        # Only the commercial link is needed, not every column of res.partner.
        self.fetch(["commercial_partner_id"])
        commercial = self.commercial_partner_id
        counts = {}
        for model in ("logistics.lane", "logistics.shipment", "logistics.complaint"):
            groups = self.env[model]._read_group(
                [("partner_id", "in", commercial.ids)], ["partner_id"], ["__count"]
            )
            counts[model] = {partner.id: count for partner, count in groups}
        for partner in self:
            commercial_id = partner.commercial_partner_id.id
            partner.logistics_lane_count = counts["logistics.lane"].get(
                commercial_id, 0
            )
            partner.logistics_shipment_count = counts["logistics.shipment"].get(
                commercial_id, 0
            )
            partner.logistics_complaint_count = counts["logistics.complaint"].get(
                commercial_id, 0
            )

    @api.constrains("tier_override_id", "tier_override_reason")
    def _check_tier_override_reason(self):
        for partner in self:
            if (
                partner.tier_override_id
                and not (partner.tier_override_reason or "").strip()
            ):
                raise ValidationError(
                    self.env._(
                        "Give the reason for forcing the tier of %s.",
                        partner.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        partners._logistics_default_subscriptions()
        return partners

    def write(self, vals):
        if vals.get("logistics_notify_opt_out"):
            # Honoured at once: what is queued for the contact is dropped.
            self.env["logistics.notification.log"].sudo().search(
                [("partner_id", "in", self.ids), ("state", "=", "pending")]
            ).write({"state": "cancelled"})
        if (
            set(OVERRIDE_FIELDS) & set(vals)
            and not self.env.su
            and not self.env.user.has_group(MANAGER_GROUP)
        ):
            raise AccessError(
                self.env._("Only Logistics CRM managers can force a service tier.")
            )
        result = super().write(vals)
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

    def action_new_logistics_complaint(self):
        self.ensure_one()
        action = self.action_view_logistics_complaints()
        action["context"] = dict(
            action["context"],
            default_contact_id=self.id if self.parent_id else False,
        )
        action.update(views=[(False, "form")], view_mode="form")
        return action

    def action_view_logistics_scorecard(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_crm.logistics_kpi_snapshot_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        return action

    def action_mark_profile_reviewed(self):
        """Record the review and close the open review activities it answers."""
        commercial = self.commercial_partner_id
        commercial.write(
            {
                "profile_reviewed_date": fields.Date.context_today(self),
                "profile_reviewed_by_id": self.env.uid,
            }
        )
        activity_type = self.env.ref(PROFILE_REVIEW_ACTIVITY)
        commercial.activity_ids.filtered(
            lambda act: act.activity_type_id == activity_type
        ).action_done()
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
        """Give each overdue profile one review activity for its account manager.

        A profile that already has an open review activity gets no second one.
        """
        today = fields.Date.context_today(self)
        overdue = self.search(
            [
                ("is_company", "=", True),
                ("account_manager_id", "!=", False),
                ("profile_review_due_date", "<=", today),
            ]
        )
        if not overdue:
            return
        activity_type = self.env.ref(PROFILE_REVIEW_ACTIVITY)
        already_open = {
            res_id
            for [res_id] in self.env["mail.activity"]._read_group(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", overdue.ids),
                    ("activity_type_id", "=", activity_type.id),
                ],
                ["res_id"],
            )
        }
        summary = self.env._("Review the logistics profile")
        self._create_account_manager_activities(
            activity_type,
            [
                (partner, summary)
                for partner in overdue
                if partner.id not in already_open
            ],
            date_deadline=today,
        )

    def _logistics_scorecard(self, months=12):
        """The last ``months`` monthly snapshots of the customer, oldest
        first, as plain values (for the form, the portal and exports)."""
        self.ensure_one()
        snapshots = self.env["logistics.kpi.snapshot"].search(
            [("partner_id", "=", self.commercial_partner_id.id)],
            order="month desc",
            limit=months,
        )
        return [
            {
                "month": snapshot.month,
                "shipments": snapshot.shipments,
                "on_time_rate": snapshot.on_time_rate,
                "complaints": snapshot.complaints,
                "sla_met_rate": snapshot.sla_met_rate,
                "satisfaction": snapshot.satisfaction,
            }
            for snapshot in reversed(snapshots)
        ]

    def _logistics_scorecard_chart_html(self, scorecard=None):
        """An inline SVG of the scorecard's rates, rendered from numbers
        only (the back-office form and the portal show the same chart)."""
        self.ensure_one()
        if scorecard is None:
            scorecard = self._logistics_scorecard()
        return self.env["ir.qweb"]._render(
            "logistics_crm.logistics_scorecard_chart",
            {"chart": scorecard_chart(scorecard)},
        )

    # ------------------------------------------------------------------
    # Shipment notifications
    # ------------------------------------------------------------------
    def _logistics_default_subscriptions(self):
        """Subscribe new contacts of customer companies (and the companies
        themselves) to the events their customer's tier notifies by default."""
        own = set(
            self.env["res.company"]
            .sudo()
            .search_fetch([], ["partner_id"])
            .partner_id.ids
        )
        # The companies' own people are not customers to notify.
        targets = self.filtered(
            lambda partner: partner.commercial_partner_id.is_company
            and partner.commercial_partner_id.id not in own
        )
        values = []
        for partner in targets:
            level = partner._logistics_service_level()["notification_level"]
            values += [
                {"partner_id": partner.id, "event_code": code}
                for code in NOTIFICATION_LEVEL_EVENTS.get(level, [])
            ]
        self.env["logistics.notification.subscription"].sudo().create(values)

    def _logistics_unsubscribe_token(self):
        self.ensure_one()
        return hmac(self.env(su=True), "logistics-unsubscribe", self.id)

    def _logistics_unsubscribe_url(self):
        self.ensure_one()
        token = self._logistics_unsubscribe_token()
        return (
            f"{self.get_base_url()}/logistics/notifications/unsubscribe/"
            f"{self.id}/{token}"
        )

    # ------------------------------------------------------------------
    # Service tiers
    # ------------------------------------------------------------------
    def _logistics_service_level(self):
        """What the customer's tier grants, for complaints and notifications."""
        self.ensure_one()
        tier = self.commercial_partner_id.tier_id
        return {
            "tier": tier,
            "first_response_hours": tier.first_response_hours,
            "resolution_hours": tier.resolution_hours,
            "calendar": tier.resource_calendar_id,
            "complaint_priority": tier.complaint_priority or "0",
            "notification_level": tier.notification_level or "milestones",
            "dedicated_team_required": tier.dedicated_team_required,
            "qbr_required": tier.qbr_required,
            "account_manager": self.commercial_partner_id.account_manager_id,
            "service_team": self.commercial_partner_id.service_team_ids,
        }

    @api.model
    def _cron_recompute_logistics_tiers(self):
        self.search([("is_company", "=", True)])._recompute_logistics_tiers()

    def _recompute_logistics_tiers(self, batch_size=TIER_BATCH_SIZE):
        """Score the customers and give each its tier, batch by batch.

        Each batch costs a fixed number of queries: the metrics (one aggregate
        per source), then writes grouped by new tier. History, the chatter
        message (tracking) and activities follow only real changes.
        """
        rules = self.env["logistics.tier.rule"].search(
            [("active", "=", True), ("purpose", "=", "tier")]
        )
        tier_of = self.env["logistics.service.tier"]._tier_picker()
        if not tier_of:
            return
        # A domain, not filtered(): filtering would load every column of
        # 50 000 partners to read two of them.
        partners = self.search(
            [
                ("id", "in", self.ids),
                "|",
                ("is_company", "=", True),
                ("parent_id", "=", False),
            ],
            order="id",
        )
        for start in range(0, len(partners), batch_size):
            partners[start : start + batch_size]._recompute_tier_batch(rules, tier_of)

    def _recompute_tier_batch(self, rules, tier_of):
        now = fields.Datetime.now()
        today = fields.Date.context_today(self)
        Tier = self.env["logistics.service.tier"]
        metrics = list(dict.fromkeys(rules.mapped("metric")))
        values = self.env["logistics.tier.rule"]._metric_values(self.ids, now, metrics)
        score_of = rules._scorer()
        results, history, moved, changed_ids, retier_ids, expired_ids = (
            [],
            [],
            [],
            [],
            [],
            [],
        )
        self.fetch(
            [
                "tier_id",
                "tier_override_id",
                "tier_override_until",
                "tier_override_reason",
                "account_manager_id",
            ]
        )
        for partner in self:
            score, breakdown = score_of(values[partner.id])
            score = round(score, 1)
            computed = tier_of(score)
            override = partner.tier_override_id
            if (
                override
                and partner.tier_override_until
                and partner.tier_override_until < today
            ):
                expired_ids.append(partner.id)
                override = Tier
            new_tier = override or computed
            old_tier = partner.tier_id
            results.append((partner.id, score, breakdown, computed.id, new_tier.id))
            if new_tier == old_tier:
                continue
            changed_ids.append(partner.id)
            if old_tier:
                retier_ids.append(partner.id)
            history.append(
                (
                    partner.id,
                    old_tier.id or None,
                    new_tier.id,
                    score,
                    "override" if override else "computed",
                    (partner.tier_override_reason or None) if override else None,
                )
            )
            watched = {old_tier.code, new_tier.code} & set(WATCHED_TIER_CODES)
            if watched and partner.account_manager_id:
                moved.append((partner, old_tier, new_tier))
        if expired_ids:
            self.browse(expired_ids).with_context(tier_recompute=True).sudo().write(
                dict.fromkeys(OVERRIDE_FIELDS, False)
            )
        # Odoo's tracking posts the chatter message of a change of tier. A
        # first tier is an initialisation, kept in the history only: a message
        # on each of 50 000 customers would be noise.
        self.browse(retier_ids)._track_prepare(["tier_id"])
        self._store_tier_results(results, now)
        # What follows the tier (review cadence, ...) is recomputed for the
        # customers whose tier moved, and only for them.
        self.browse(changed_ids).modified(["tier_id"])
        self.env["logistics.tier.history"]._insert_changes(history, now)
        self.invalidate_recordset(["tier_history_ids"])
        self._schedule_tier_change_activities(moved)

    @api.model
    def _cron_churn_risk(self):
        self.search(
            [("is_company", "=", True), ("customer_since", "!=", False)]
        )._recompute_churn_risk()

    def _recompute_churn_risk(self):
        """Score the churn risk of these customers with the churn rules, one
        query per metric source, and give the account manager an activity
        when a customer crosses the alert threshold: once per crossing, not at
        every run while it stays above."""
        rules = self.env["logistics.tier.rule"].search(
            [("active", "=", True), ("purpose", "=", "churn")]
        )
        if not rules or not self:
            return
        threshold = float(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("logistics_crm.churn_alert_threshold", CHURN_THRESHOLD)
        )
        metrics = list(dict.fromkeys(rules.mapped("metric")))
        values = self.env["logistics.tier.rule"]._metric_values(
            self.ids, fields.Datetime.now(), metrics
        )
        score_of = rules._scorer()
        self.fetch(["churn_alert", "account_manager_id"])
        crossing = []
        results = []
        for partner in self:
            score, breakdown = score_of(values[partner.id])
            alert = score >= threshold
            if alert and not partner.churn_alert and partner.account_manager_id:
                crossing.append(
                    (
                        partner,
                        self.env._(
                            "Churn risk %(score)s: call the customer",
                            score=round(score),
                        ),
                    )
                )
            results.append((partner.id, round(score, 1), json.dumps(breakdown), alert))
        write_columns(
            self,
            {
                "churn_score": "numeric",
                "churn_breakdown": "jsonb",
                "churn_alert": "bool",
            },
            results,
        )
        self._create_account_manager_activities(self.env.ref(CHURN_ACTIVITY), crossing)

    def _store_tier_results(self, results, now):
        """Write every customer's score, breakdown and tier in one UPDATE.

        These fields are the engine's own output (read-only, with no rule nor
        commercial sync to apply): through ``write``, with its per-record
        tracking preparation, sync and cache bookkeeping, storing the results
        of 50 000 customers took longer than computing them, and rewrote each
        partner row twice.
        """
        write_columns(
            self,
            {
                "tier_score": "numeric",
                "tier_breakdown": "jsonb",
                "tier_computed_id": "int",
                "tier_id": "int",
                "tier_computed_date": "timestamp",
            },
            [
                (
                    partner_id,
                    score,
                    json.dumps(breakdown),
                    computed_id or None,
                    tier_id or None,
                    now,
                )
                for partner_id, score, breakdown, computed_id, tier_id in results
            ],
        )

    def _schedule_tier_change_activities(self, moved):
        self._create_account_manager_activities(
            self.env.ref(TIER_CHANGE_ACTIVITY),
            [
                (
                    partner,
                    self.env._(
                        "Service tier changed: %(old)s -> %(new)s",
                        old=old.name or self.env._("none"),
                        new=new.name,
                    ),
                )
                for partner, old, new in moved
            ],
        )

    def _create_account_manager_activities(self, activity_type, entries, **values):
        """One activity per (partner, summary) for the partner's account
        manager, created in a single batch rather than one
        ``activity_schedule`` per partner."""
        if not entries:
            return
        res_model_id = self.env["ir.model"]._get_id("res.partner")
        self.env["mail.activity"].sudo().create(
            [
                {
                    "res_model_id": res_model_id,
                    "res_id": partner.id,
                    "activity_type_id": activity_type.id,
                    "user_id": partner.account_manager_id.id,
                    "summary": summary,
                    **values,
                }
                for partner, summary in entries
            ]
        )
