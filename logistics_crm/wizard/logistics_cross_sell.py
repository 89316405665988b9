from odoo import Command, api, fields, models
from odoo.exceptions import UserError

# The customer's lanes an opportunity is sold on: its busiest, enough for a
# first proposal.
LANES_PER_OPPORTUNITY = 3


class LogisticsCrossSell(models.TransientModel):
    """Opportunities in one go for customers picked in key-customer discovery
    (or a segment): one per customer, for the service it is suggested (a
    mode its industry peers use, or the chosen service line), on its busiest
    lanes, assigned to its account manager and tagged with the campaign."""

    _name = "logistics.cross.sell"
    _description = "Create Cross-Sell Opportunities"

    partner_ids = fields.Many2many(
        comodel_name="res.partner",
        relation="logistics_cross_sell_partner_rel",
        string="Customers",
        required=True,
    )
    service_line_id = fields.Many2one(
        comodel_name="logistics.service.line",
        string="Service to Offer",
        help="Leave empty to offer each customer the first mode its industry "
        "peers use and it does not (key-customer discovery's hint).",
    )
    campaign_id = fields.Many2one(comodel_name="utm.campaign", string="Campaign")
    team_id = fields.Many2one(comodel_name="crm.team", string="Sales Team")
    skipped_count = fields.Integer(compute="_compute_skipped_count")

    @api.depends("partner_ids", "service_line_id")
    def _compute_skipped_count(self):
        for wizard in self:
            wizard.skipped_count = len(wizard.partner_ids) - len(wizard._offers())

    def _offers(self):
        """{customer: service line} of the customers an opportunity is made
        for: those with a service to offer."""
        self.ensure_one()
        if self.service_line_id:
            return dict.fromkeys(self.partner_ids, self.service_line_id)
        self.partner_ids.fetch(["logistics_peer_service_line_ids"])
        return {
            partner: partner.logistics_peer_service_line_ids[:1]
            for partner in self.partner_ids
            if partner.logistics_peer_service_line_ids
        }

    def action_create_opportunities(self):
        self.ensure_one()
        offers = self._offers()
        if not offers:
            raise UserError(
                self.env._(
                    "None of these customers has a service to offer: choose the "
                    "service, or pick customers with a cross-sell hint."
                )
            )
        leads = self._create_opportunities(offers)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Cross-Sell Opportunities"),
            "res_model": "crm.lead",
            "views": [(False, "list"), (False, "kanban"), (False, "form")],
            "domain": [("id", "in", leads.ids)],
        }

    def _create_opportunities(self, offers):
        """One opportunity per customer of ``offers``, with copies of its
        busiest lanes for the offered mode, in two creates whatever the
        number of customers."""
        customers = self.env["res.partner"].union(*offers)
        customers.fetch(["name", "account_manager_id"])
        lanes_by_customer = self._busiest_lanes(customers)
        tag = self.env.ref("logistics_crm.crm_tag_cross_sell", raise_if_not_found=False)
        # The first open stage, found once rather than by each opportunity.
        stage = self.env["crm.lead"]._stage_find(
            team_id=self.team_id.id, domain=[("fold", "=", False)]
        )
        leads = (
            self.env["crm.lead"]
            # An account manager given a hundred opportunities at once gets
            # them in the pipeline, not a hundred "assigned to you" e-mails.
            .with_context(mail_create_nolog=True, mail_auto_subscribe_no_notify=True)
            .create(
                [
                    {
                        "type": "opportunity",
                        "name": self.env._(
                            "%(service)s for %(customer)s",
                            service=line.name,
                            customer=customer.name,
                        ),
                        "partner_id": customer.id,
                        "user_id": customer.account_manager_id.id,
                        "team_id": self.team_id.id,
                        "stage_id": stage.id,
                        "campaign_id": self.campaign_id.id,
                        "logistics_source": "expansion",
                        "logistics_service_line_id": line.id,
                        "tag_ids": [Command.link(tag.id)] if tag else [],
                    }
                    for customer, line in offers.items()
                ]
            )
        )
        self.env["logistics.lane"].create(
            [
                lane.copy_data(
                    {
                        "partner_id": False,
                        "lead_id": lead.id,
                        # A value-added service is sold on the lane as it is;
                        # another mode has its price to be made.
                        "mode": line.code if line.kind == "transport" else lane.mode,
                        "rate": lane.rate if line.kind != "transport" else 0.0,
                    }
                )[0]
                for lead, (customer, line) in zip(leads, offers.items(), strict=True)
                for lane in lanes_by_customer.get(customer.id, [])
            ]
        )
        return leads

    def _busiest_lanes(self, customers):
        """{customer id: its LANES_PER_OPPORTUNITY active lanes with the most
        annual volume}, in one search."""
        lanes = self.env["logistics.lane"].search(
            [("partner_id", "in", customers.ids), ("lead_id", "=", False)],
            order="partner_id, annual_volume desc, id",
        )
        by_customer = {}
        for lane in lanes:
            kept = by_customer.setdefault(lane.partner_id.id, [])
            if len(kept) < LANES_PER_OPPORTUNITY:
                kept.append(lane)
        return by_customer
