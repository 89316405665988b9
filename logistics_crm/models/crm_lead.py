from datetime import timedelta

from odoo import api, fields, models

from .logistics_selections import MARKET_NEWS_KINDS, OPPORTUNITY_SOURCES

TENDER_ACTIVITY = "logistics_crm.mail_activity_type_tender_deadline"
RENEWAL_ACTIVITY = "logistics_crm.mail_activity_type_contract_renewal"
TENDER_LEAD_DAYS = 3
RENEWAL_LEAD_DAYS = 60
# What can make an unassigned opportunity a strategic prospect.
ROUTING_FIELDS = {
    "expected_revenue",
    "logistics_contract_months",
    "logistics_lane_ids",
    "logistics_revenue_manual",
    "user_id",
}


class CrmLead(models.Model):
    """An opportunity sold the way a logistics buyer thinks: lanes and volumes."""

    _inherit = "crm.lead"

    logistics_lane_ids = fields.One2many(
        comodel_name="logistics.lane",
        inverse_name="lead_id",
        string="Lanes",
    )
    logistics_cargo_category_ids = fields.Many2many(
        comodel_name="logistics.cargo.category", string="Cargo Categories"
    )
    logistics_special_handling = fields.Text(string="Special Handling")
    logistics_criterion_ids = fields.Many2many(
        comodel_name="logistics.decision.criterion", string="Decision Criteria"
    )
    logistics_current_provider = fields.Char(string="Current Provider")
    logistics_contract_end = fields.Date(
        string="Current Contract Ends",
        tracking=True,
        help="The end of the customer's contract with its current provider: a "
        "call is planned ahead of it.",
    )
    logistics_source = fields.Selection(
        selection=OPPORTUNITY_SOURCES,
        string="Opportunity Source",
        tracking=True,
    )
    logistics_escalated_date = fields.Datetime(
        string="Escalated On",
        readonly=True,
        copy=False,
        tracking=True,
        help="When the lead, left without a salesperson for a working day, was "
        "escalated to its sales team's leader.",
    )
    logistics_news_kind = fields.Selection(
        selection=MARKET_NEWS_KINDS,
        string="Market News",
        help="What the market-intelligence tip behind this lead reported.",
    )
    logistics_source_url = fields.Char(
        string="Article Link", help="The article the market-intelligence tip cites."
    )
    logistics_service_line_id = fields.Many2one(
        comodel_name="logistics.service.line",
        string="Service Offered",
        index="btree_not_null",
        tracking=True,
        help="The service line this opportunity sells an existing customer "
        "(cross-sell from key-customer discovery).",
    )
    logistics_tender_deadline = fields.Date(string="Tender Deadline", tracking=True)
    logistics_contract_months = fields.Integer(
        string="Contract Period (months)", default=12
    )
    logistics_lane_revenue = fields.Monetary(
        string="Revenue from Lanes",
        currency_field="company_currency",
        compute="_compute_logistics_lane_revenue",
        store=True,
    )
    logistics_revenue_manual = fields.Boolean(
        string="Revenue Set by Hand",
        help="Keep the expected revenue typed in rather than the lanes' total.",
    )
    # No default: crm's 0.0 would be a value given at create, which Odoo
    # protects from the compute, so the lanes created with the opportunity
    # (the API, an import) would leave it at 0 until edited in a form.
    expected_revenue = fields.Monetary(
        compute="_compute_expected_revenue", store=True, readonly=False, default=None
    )
    logistics_annual_revenue = fields.Monetary(
        string="Annual Expected Revenue",
        currency_field="company_currency",
        compute="_compute_logistics_annual_revenue",
        store=True,
        help="The expected revenue over a year of the contract period: what "
        "assignment rules and the strategic-prospect threshold compare.",
    )
    logistics_strategic_prospect = fields.Boolean(
        string="Strategic Prospect",
        compute="_compute_logistics_annual_revenue",
        store=True,
        index=True,
        tracking=True,
        help="Its annual expected revenue reaches the company's strategic "
        "prospect threshold: the senior team sells it.",
    )
    logistics_quote_ids = fields.One2many(
        comodel_name="logistics.quote", inverse_name="lead_id", string="Quotes"
    )
    logistics_quote_count = fields.Integer(
        string="Quote Count", compute="_compute_logistics_quote_count"
    )

    _check_contract_months = models.Constraint(
        "CHECK (logistics_contract_months IS NULL OR logistics_contract_months > 0)",
        "The contract period must be a positive number of months.",
    )

    @api.depends("logistics_lane_ids.expected_revenue")
    def _compute_logistics_lane_revenue(self):
        for lead in self:
            lead.logistics_lane_revenue = sum(
                lead.logistics_lane_ids.mapped("expected_revenue")
            )

    @api.depends("logistics_lane_revenue", "logistics_revenue_manual")
    def _compute_expected_revenue(self):
        for lead in self:
            if lead.logistics_lane_ids and not lead.logistics_revenue_manual:
                lead.expected_revenue = lead.logistics_lane_revenue
            else:
                # No lanes, or typed by hand: the value stays what it is.
                lead.expected_revenue = lead.expected_revenue

    @api.depends(
        "expected_revenue",
        "logistics_contract_months",
        "company_id.logistics_strategic_revenue",
    )
    def _compute_logistics_annual_revenue(self):
        for lead in self:
            months = lead.logistics_contract_months or 12
            lead.logistics_annual_revenue = lead.expected_revenue * 12 / months
            threshold = (
                lead.company_id or self.env.company
            ).logistics_strategic_revenue
            lead.logistics_strategic_prospect = bool(
                threshold and lead.logistics_annual_revenue >= threshold
            )

    def _compute_logistics_quote_count(self):
        counts = dict(
            self.env["logistics.quote"]._read_group(
                [("lead_id", "in", self.ids)], ["lead_id"], ["__count"]
            )
        )
        for lead in self:
            lead.logistics_quote_count = counts.get(lead, 0)

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        leads._logistics_schedule_calls()
        self.env["logistics.lead.assignment"]._route_strategic(leads)
        return leads

    def write(self, vals):
        not_won = self.filtered(lambda lead: lead.won_status != "won")
        result = super().write(vals)
        if {"logistics_tender_deadline", "logistics_contract_end", "user_id"} & set(
            vals
        ):
            self._logistics_schedule_calls()
        if ROUTING_FIELDS & set(vals):
            self.env["logistics.lead.assignment"]._route_strategic(self)
        newly_won = not_won.filtered(lambda lead: lead.won_status == "won")
        if newly_won:
            newly_won._logistics_make_customers()
        return result

    def action_view_logistics_quotes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_crm.logistics_quote_action"
        )
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {
            "default_lead_id": self.id,
            "default_partner_id": self.partner_id.commercial_partner_id.id,
        }
        return action

    def action_new_logistics_quote(self):
        self.ensure_one()
        quote = self.env["logistics.quote"].create(
            {
                "lead_id": self.id,
                "partner_id": self.partner_id.commercial_partner_id.id,
                # The opportunity's salesperson sells it (and earns on it).
                "user_id": (self.user_id or self.env.user).id,
                "line_ids": [
                    (0, 0, line)
                    for line in self.env["logistics.quote.line"]._values_from_lanes(
                        self.logistics_lane_ids
                    )
                ],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "logistics.quote",
            "res_id": quote.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _logistics_schedule_calls(self):
        """One open activity per deadline worth a call: before the tender
        closes, and ahead of the end of the current provider's contract."""
        today = fields.Date.context_today(self)
        for xmlid, date_field, lead_days, summary in (
            (
                TENDER_ACTIVITY,
                "logistics_tender_deadline",
                TENDER_LEAD_DAYS,
                self.env._("Tender closes: submit the offer"),
            ),
            (
                RENEWAL_ACTIVITY,
                "logistics_contract_end",
                RENEWAL_LEAD_DAYS,
                self.env._("The current logistics contract ends: call the customer"),
            ),
        ):
            activity_type = self.env.ref(xmlid)
            leads = self.filtered(date_field)
            leads.activity_ids.filtered(
                lambda act, kind=activity_type: act.activity_type_id == kind
            ).unlink()
            for lead in leads:
                lead.activity_schedule(
                    activity_type_id=activity_type.id,
                    date_deadline=max(
                        today, lead[date_field] - timedelta(days=lead_days)
                    ),
                    user_id=lead.user_id.id or self.env.uid,
                    summary=summary,
                )

    def _logistics_make_customers(self):
        """The won opportunity's customer company gets its logistics profile
        and the lanes sold, linked to the quoted rates. Idempotent: a lane
        already copied is not copied again."""
        today = fields.Date.context_today(self)
        Lane = self.env["logistics.lane"]
        copied = (
            Lane.with_context(active_test=False)
            .search([("source_lane_id", "in", self.logistics_lane_ids.ids)])
            .source_lane_id
        )
        new_lanes = []
        for lead in self:
            customer = lead._logistics_customer()
            profile = {
                "cargo_category_ids": [
                    (4, category.id) for category in lead.logistics_cargo_category_ids
                ],
            }
            if not customer.customer_since:
                profile["customer_since"] = today
            if (
                lead.logistics_special_handling
                and not customer.logistics_special_handling
            ):
                profile["logistics_special_handling"] = lead.logistics_special_handling
            customer.write(profile)
            accepted = lead.logistics_quote_ids.filtered(
                lambda quote: quote.state == "accepted"
            )[:1]
            rate_of = {line.lane_id: line for line in accepted.line_ids if line.lane_id}
            for lane in lead.logistics_lane_ids - copied:
                line = rate_of.get(lane, self.env["logistics.quote.line"])
                new_lanes.append(
                    lane.copy_data(
                        {
                            "partner_id": customer.id,
                            "lead_id": False,
                            "source_lane_id": lane.id,
                            "quote_line_id": line.id,
                            "rate": line.rate if line else lane.rate,
                        }
                    )[0]
                )
            if not lead.partner_id:
                lead.partner_id = customer
        Lane.create(new_lanes)

    def _logistics_customer(self):
        """The company to make a customer of: the lead's, or a new one."""
        self.ensure_one()
        if self.partner_id:
            return self.partner_id.commercial_partner_id
        return self.env["res.partner"].create(
            {
                "name": self.partner_name or self.name,
                "is_company": True,
                "email": self.email_from,
                "phone": self.phone,
                "country_id": self.country_id.id,
                "user_id": self.user_id.id,
            }
        )
