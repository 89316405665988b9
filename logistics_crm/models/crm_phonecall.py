from odoo import api, fields, models

from .logistics_phone import normalize_phone
from .logistics_selections import CALL_OUTCOMES, CUSTOMER_DOMAIN

COMPLAINT_ACTION = "logistics_crm.logistics_complaint_action"


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
