from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from .logistics_phone import display_phone, normalize_phone
from .logistics_selections import CALL_OUTCOMES, CUSTOMER_DOMAIN

# A phone system may open the screen pop more than once for one ringing
# call: within this window the agent's open call for the number is reused.
SCREEN_POP_REUSE = timedelta(minutes=5)


class CrmPhonecall(models.Model):
    """OCA's call record, placed in the customer's logistics: which customer,
    shipment and complaint the call was about, how it ended."""

    _inherit = "crm.phonecall"

    company_id = fields.Many2one(default=lambda self: self.env.company)
    state = fields.Selection(tracking=True)
    duration = fields.Float(tracking=True)
    customer_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        compute="_compute_customer_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        tracking=True,
        domain=CUSTOMER_DOMAIN,
    )
    shipment_id = fields.Many2one(
        comodel_name="logistics.shipment",
        string="Shipment",
        index="btree_not_null",
        tracking=True,
        domain="[('partner_id', '=?', customer_id)]",
    )
    complaint_id = fields.Many2one(
        comodel_name="logistics.complaint",
        string="Complaint",
        index="btree_not_null",
        tracking=True,
        copy=False,
    )
    outcome = fields.Selection(selection=CALL_OUTCOMES, tracking=True)
    first_contact_resolved = fields.Boolean(
        string="Resolved at First Contact",
        tracking=True,
        copy=False,
        help="The caller's question was settled during this call, with no follow-up.",
    )
    caller_e164 = fields.Char(
        string="Number (E.164)",
        compute="_compute_caller_e164",
        store=True,
        index="btree_not_null",
    )

    # The caller's file, shown on the call form while the agent talks.
    caller_match_ids = fields.Many2many(
        comodel_name="res.partner",
        string="Contacts with this Number",
        compute="_compute_caller_match_ids",
    )
    caller_match_count = fields.Integer(compute="_compute_caller_match_ids")
    customer_tier_id = fields.Many2one(related="customer_id.tier_id")
    customer_account_manager_id = fields.Many2one(
        related="customer_id.account_manager_id"
    )
    customer_open_complaint_ids = fields.Many2many(
        comodel_name="logistics.complaint",
        string="Open Complaints",
        compute="_compute_customer_file",
    )
    customer_transit_shipment_ids = fields.Many2many(
        comodel_name="logistics.shipment",
        string="Shipments on the Way",
        compute="_compute_customer_file",
    )

    @api.depends("caller_e164")
    def _compute_caller_match_ids(self):
        Lookup = self.env["logistics.caller.lookup"]
        for call in self:
            matches = Lookup._contacts_of(call.caller_e164) if call.caller_e164 else []
            call.caller_match_ids = matches
            call.caller_match_count = len(matches)

    @api.depends("customer_id")
    def _compute_customer_file(self):
        customers = self.customer_id
        Lookup = self.env["logistics.caller.lookup"]
        complaints = Lookup._open_complaints_of(customers)
        shipments = Lookup._shipments_on_the_way_of(customers)
        complaints_of = complaints.grouped("partner_id")
        shipments_of = shipments.grouped("partner_id")
        for call in self:
            customer = call.customer_id
            call.customer_open_complaint_ids = complaints_of.get(
                customer, complaints[:0]
            )
            call.customer_transit_shipment_ids = shipments_of.get(
                customer, shipments[:0]
            )

    @api.depends("partner_id")
    def _compute_customer_id(self):
        for call in self:
            if call.partner_id:
                call.customer_id = call.partner_id.commercial_partner_id

    @api.depends("partner_phone", "company_id")
    def _compute_caller_e164(self):
        for call in self:
            region = (call.company_id or self.env.company).country_id.code
            call.caller_e164 = normalize_phone(call.partner_phone, region)

    def action_new_complaint(self):
        """The complaint the caller just made: filled from the call (customer,
        contact, shipment, the agent's summary), on the call center channel,
        and linked to the call."""
        self.ensure_one()
        if not self.complaint_id:
            if not self.customer_id:
                raise UserError(
                    self.env._(
                        "Choose the caller's customer before filing a complaint "
                        "from this call."
                    )
                )
            Complaint = self.env["logistics.complaint"]
            complaint = Complaint.create(
                {
                    "category_id": Complaint._default_category().id,
                    "partner_id": self.customer_id.id,
                    "contact_id": self.partner_id.id,
                    "shipment_id": self.shipment_id.id,
                    "channel": "call_center",
                    "subject": self.name,
                    "description": self.description or False,
                }
            )
            self.write({"complaint_id": complaint.id, "outcome": "complaint"})
        return {
            "type": "ir.actions.act_window",
            "res_model": "logistics.complaint",
            "res_id": self.complaint_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_mark_resolved(self):
        """Settled on the spot: the call is held and counts as resolved at
        first contact."""
        self.ensure_one()
        self.write(
            {"first_contact_resolved": True, "outcome": "resolved", "state": "done"}
        )
        return True

    def action_create_lead(self):
        """An unknown caller asking for business: a lead with the number."""
        self.ensure_one()
        if not self.opportunity_id:
            lead = self.env["crm.lead"].create(
                {
                    "name": self.name,
                    "type": "lead",
                    "phone": self.partner_phone,
                    "partner_id": self.partner_id.id,
                    "description": self.description or False,
                    "user_id": self.env.uid,
                }
            )
            self.write({"opportunity_id": lead.id, "outcome": "quote"})
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "res_id": self.opportunity_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    @api.model
    def _open_from_screen_pop(self, answer, direction="in"):
        """The agent's call record for a ringing number: a new inbound call,
        with the caller when exactly one contact has the number."""
        e164 = answer["number"]
        recent = self.search(
            [
                ("user_id", "=", self.env.uid),
                ("caller_e164", "=", e164),
                ("state", "=", "open"),
                ("date", ">=", fields.Datetime.now() - SCREEN_POP_REUSE),
            ],
            order="date desc",
            limit=1,
        )
        if recent:
            return recent
        matches = answer.get("matches") or []
        caller = matches[0] if len(matches) == 1 else None
        return self.create(
            {
                "name": self.env._("Call from %s", display_phone(e164)),
                "partner_phone": display_phone(e164),
                "direction": direction,
                "state": "open",
                "date": fields.Datetime.now(),
                "partner_id": caller and caller["contact"]["id"],
                "customer_id": caller and caller["customer"]["id"],
            }
        )
