from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .logistics_selections import QUOTE_STATES

# Once out of draft, only these move (workflow, chatter, portal answer).
WORKFLOW_FIELDS = {
    "state",
    "date_sent",
    "revised_by_id",
    "accepted_by",
    "accepted_date",
    "accepted_ip",
    "booking_id",
    "rejection_reason",
    "access_token",
    "message_main_attachment_id",
}
LOCKED_STATES = ("superseded", "accepted", "rejected", "expired")
DEFAULT_VALIDITY_DAYS = 30
SEND_TEMPLATE = "logistics_crm.logistics_quote_mail_template_send"


class LogisticsQuote(models.Model):
    """A freight quote: rates per lane, versioned once sent."""

    _name = "logistics.quote"
    _description = "Freight Quote"
    _inherit = ["mail.thread", "mail.activity.mixin", "portal.mixin"]
    _order = "date_quote desc, id desc"

    name = fields.Char(
        string="Number",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
        index="trigram",
    )
    version = fields.Integer(default=1, readonly=True, copy=False)
    previous_version_id = fields.Many2one(
        comodel_name="logistics.quote",
        string="Revises",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    revised_by_id = fields.Many2one(
        comodel_name="logistics.quote",
        string="Revised By",
        readonly=True,
        copy=False,
    )
    lead_id = fields.Many2one(
        comodel_name="crm.lead",
        string="Opportunity",
        index="btree_not_null",
        tracking=True,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Salesperson",
        default=lambda self: self.env.user,
        index=True,
        tracking=True,
    )
    team_id = fields.Many2one(
        comodel_name="crm.team",
        string="Sales Team",
        compute="_compute_team_id",
        store=True,
        readonly=False,
        index="btree_not_null",
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
    )
    date_quote = fields.Date(
        string="Quote Date", required=True, default=fields.Date.context_today
    )
    validity_date = fields.Date(
        string="Valid Until",
        required=True,
        default=lambda self: fields.Date.context_today(self)
        + timedelta(days=DEFAULT_VALIDITY_DAYS),
        tracking=True,
    )
    state = fields.Selection(
        selection=QUOTE_STATES,
        required=True,
        default="draft",
        tracking=True,
        index=True,
        copy=False,
    )
    line_ids = fields.One2many(
        comodel_name="logistics.quote.line",
        inverse_name="quote_id",
        string="Rates",
        copy=True,
    )
    terms = fields.Html(string="Terms and Conditions", sanitize=True)
    amount_total = fields.Monetary(
        string="Estimated Total",
        compute="_compute_amount_total",
        store=True,
        help="The lines' estimates over the contract period, from the lanes' "
        "expected volumes.",
    )
    date_sent = fields.Datetime(
        string="Sent On",
        readonly=True,
        copy=False,
        help="When this version was first sent to the customer; the quote "
        "conversion and the days to booking count from the first version's.",
    )
    accepted_by = fields.Char(readonly=True, copy=False, tracking=True)
    accepted_date = fields.Datetime(readonly=True, copy=False)
    accepted_ip = fields.Char(string="Accepted From", readonly=True, copy=False)
    rejection_reason = fields.Text(readonly=True, copy=False)
    booking_id = fields.Many2one(
        comodel_name="sale.order",
        string="Booking",
        readonly=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
        help="The sale order this quote became when it was accepted.",
    )

    _check_validity = models.Constraint(
        "CHECK (validity_date >= date_quote)",
        "A quote cannot expire before its date.",
    )

    @api.depends("lead_id.team_id", "user_id")
    def _compute_team_id(self):
        for quote in self:
            quote.team_id = quote.lead_id.team_id or quote.user_id.sale_team_id

    @api.depends("line_ids.estimate")
    def _compute_amount_total(self):
        for quote in self:
            quote.amount_total = sum(quote.line_ids.mapped("estimate"))

    def _compute_access_url(self):
        # The customer portal (logistics_crm_portal) points this at its own
        # page; without it, a mail's link opens the record in the back office.
        for quote in self:
            quote.access_url = f"/odoo/{quote._name}/{quote.id}"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("name") or vals["name"] == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("logistics.quote")
        return super().create(vals_list)

    def write(self, vals):
        business = set(vals) - WORKFLOW_FIELDS
        if business and not self.env.context.get("logistics_quote_unlock"):
            self._check_editable()
        return super().write(vals)

    def copy(self, default=None):
        # A copied surcharge would stay on the original's freight line: it is
        # put on the copy's, so that a revision's booking ships and invoices
        # each surcharge with its freight.
        copies = super().copy(default)
        for quote, duplicate in zip(self, copies, strict=True):
            its_copy = dict(zip(quote.line_ids, duplicate.line_ids, strict=True))
            for line in duplicate.line_ids.filtered("parent_id"):
                if line.parent_id in its_copy:
                    line.with_context(logistics_quote_unlock=True).write(
                        {"parent_id": its_copy[line.parent_id].id}
                    )
        return copies

    def copy_data(self, default=None):
        # A copy is a new quote, not a version: a fresh number.
        default = dict(default or {})
        default.setdefault("name", self.env._("New"))
        return super().copy_data(default)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_send(self):
        """Open the mail composer with the quote template and its PDF."""
        self.ensure_one()
        template = self.env.ref(SEND_TEMPLATE)
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_template_id": template.id,
                "default_composition_mode": "comment",
                "default_email_layout_xmlid": "mail.mail_notification_light",
                "mark_logistics_quote_sent": True,
                "force_email": True,
            },
        }

    def action_mark_sent(self):
        drafts = self.filtered(lambda quote: quote.state == "draft")
        # Sent back to draft and sent again, a quote keeps the date the
        # customer first had it: the sales cycle counts from there.
        first = drafts.filtered(lambda quote: not quote.date_sent)
        first.write({"state": "sent", "date_sent": fields.Datetime.now()})
        (drafts - first).write({"state": "sent"})
        self.env["logistics.quote.response.clock"]._stop(drafts, fields.Datetime.now())
        return True

    def action_revise(self):
        """A new version of a sent quote; this one stays as it was, read-only."""
        self.ensure_one()
        if self.state not in ("sent", "rejected", "expired"):
            raise UserError(
                self.env._("Only a sent, rejected or expired quote can be revised.")
            )
        revision = self.copy(
            {
                "name": self.name,
                "version": self.version + 1,
                "previous_version_id": self.id,
                "date_quote": fields.Date.context_today(self),
                "validity_date": fields.Date.context_today(self)
                + timedelta(days=DEFAULT_VALIDITY_DAYS),
            }
        )
        self.write({"state": "superseded", "revised_by_id": revision.id})
        self.env["logistics.quote.request"].search(
            [("quote_id", "=", self.id)]
        ).quote_id = revision
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": revision.id,
            "view_mode": "form",
        }

    def action_accept(self, name, ip_address=False, self_service=False):
        """The customer's acceptance, with the name typed and the time; the
        quote becomes a draft booking. ``self_service``: accepted by the
        customer on the portal, where a booking over the credit limit is
        refused rather than left to staff."""
        self.ensure_one()
        if not (name or "").strip():
            raise UserError(self.env._("Type your name to accept the quote."))
        self._lock_for_answer()
        self._check_answerable()
        self.write(
            {
                "state": "accepted",
                "accepted_by": name.strip(),
                "accepted_date": fields.Datetime.now(),
                "accepted_ip": ip_address or False,
            }
        )
        self.lead_id._logistics_make_customers()
        booking = self.env["logistics.booking"]._book_quotes(self)
        if self_service:
            self.env["logistics.booking"]._check_self_service_credit(booking)
        return True

    def action_view_booking(self):
        self.ensure_one()
        return self.booking_id.get_formview_action()

    def action_reject(self, reason):
        self.ensure_one()
        self._check_answerable()
        self.write({"state": "rejected", "rejection_reason": reason or False})
        return True

    def action_draft(self):
        self.filtered(lambda quote: quote.state == "sent").write({"state": "draft"})
        return True

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _check_editable(self):
        locked = self.filtered(lambda quote: quote.state in LOCKED_STATES)
        if locked:
            raise UserError(
                self.env._(
                    "Quote %(quote)s (version %(version)s) is %(state)s: revise "
                    "it to change its terms.",
                    quote=locked[0].name,
                    version=locked[0].version,
                    state=dict(self._fields["state"]._description_selection(self.env))[
                        locked[0].state
                    ],
                )
            )

    def _lock_for_answer(self):
        """Hold the quote's row until the answer is committed: a second
        answer at the same moment (another tab) waits, then finds the quote
        answered, and so a quote is booked once."""
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE id IN %s FOR NO KEY UPDATE",
                SQL.identifier(self._table),
                tuple(self.ids),
            )
        )
        self.invalidate_recordset(["state", "booking_id"])

    def _check_answerable(self):
        if self.state != "sent":
            raise UserError(
                self.env._("Only a sent quote can be accepted or rejected.")
            )
        if self.validity_date < fields.Date.context_today(self):
            raise UserError(self.env._("This quote has expired."))

    @api.model
    def _cron_expire(self):
        self.search(
            [
                ("state", "=", "sent"),
                ("validity_date", "<", fields.Date.context_today(self)),
            ]
        ).write({"state": "expired"})

    def _message_post_after_hook(self, message, msg_values):
        if self.env.context.get("mark_logistics_quote_sent"):
            self.action_mark_sent()
        return super()._message_post_after_hook(message, msg_values)

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._(
            "Quote %(name)s v%(version)s", name=self.name, version=self.version
        )
