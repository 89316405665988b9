from datetime import timedelta

from odoo import api, fields, models

PROFILE_REVIEW_ACTIVITY = "logistics_crm.mail_activity_type_profile_review"
MANAGER_GROUP = "logistics_crm.logistics_crm_group_manager"


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
    logistics_business_model = fields.Text(string="Business Model")
    cargo_category_ids = fields.Many2many(
        comodel_name="logistics.cargo.category",
        string="Cargo Categories",
    )
    logistics_special_handling = fields.Text(string="Special Handling")
    logistics_contract_terms = fields.Text(string="Contractual Terms")
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
        default=180,
        help="How often the logistics profile must be reviewed.",
    )
    profile_review_due_date = fields.Date(
        compute="_compute_profile_review_due_date",
        store=True,
        index="btree_not_null",
        help="Last review (or customer-since date) plus the review cadence.",
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

    @api.depends(
        "profile_reviewed_date", "profile_review_cadence_days", "customer_since"
    )
    def _compute_profile_review_due_date(self):
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
        for model in ("logistics.lane", "logistics.shipment"):
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

    def action_view_logistics_lanes(self):
        self.ensure_one()
        return self._logistics_action(
            "logistics_crm.logistics_lane_action", "logistics.lane"
        )

    def action_view_logistics_shipments(self):
        self.ensure_one()
        return self._logistics_action(
            "logistics_crm.logistics_shipment_action", "logistics.shipment"
        )

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

    def _logistics_action(self, xmlid, model):
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
        Activity = self.env["mail.activity"]
        already_open = {
            res_id
            for [res_id] in Activity._read_group(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", overdue.ids),
                    ("activity_type_id", "=", activity_type.id),
                ],
                ["res_id"],
            )
        }
        res_model_id = self.env["ir.model"]._get_id(self._name)
        Activity.create(
            [
                {
                    "res_model_id": res_model_id,
                    "res_id": partner.id,
                    "activity_type_id": activity_type.id,
                    "user_id": partner.account_manager_id.id,
                    "date_deadline": today,
                    "summary": self.env._("Review the logistics profile"),
                }
                for partner in overdue
                if partner.id not in already_open
            ]
        )
