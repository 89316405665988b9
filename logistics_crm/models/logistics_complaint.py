from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.mail import parse_contact_from_email

from .logistics_selections import (
    COMPLAINT_CHANNELS,
    COMPLAINT_PRIORITIES,
    CUSTOMER_FIELD_DOMAIN,
    SLA_STATUSES,
)

# Worst first: the ticket shows the most urgent state of its milestones.
SLA_STATUS_RANK = ("breached", "running", "paused", "met", "cancelled")
LOW_RATING = 2
LOW_RATING_ACTIVITY = "logistics_crm.mail_activity_type_low_rating"
RATING_TEMPLATE = "logistics_crm.logistics_complaint_mail_template_rating"


class LogisticsComplaint(models.Model):
    """A customer complaint, handled against the SLA of the customer's tier."""

    _name = "logistics.complaint"
    _description = "Complaint"
    _inherit = [
        "mail.thread.cc",
        "mail.activity.mixin",
        "rating.mixin",
        "portal.mixin",
    ]
    _order = "priority desc, create_date desc, id desc"
    _mail_post_access = "read"

    @api.model
    def _default_stage_id(self):
        # The SLA engine reads these flags right after create: fetch them now.
        return self.env["logistics.complaint.stage"].search_fetch(
            [], ["pause_sla", "is_resolved", "is_closed"], limit=1
        )

    name = fields.Char(
        string="Number",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
        index="trigram",
    )
    subject = fields.Char(required=True, tracking=True)
    description = fields.Html(sanitize=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        required=True,
        index=True,
        tracking=True,
        domain=CUSTOMER_FIELD_DOMAIN,
    )
    contact_id = fields.Many2one(
        comodel_name="res.partner",
        string="Contact",
        domain="['|', ('id', '=', partner_id), ('parent_id', '=', partner_id)]",
    )
    shipment_id = fields.Many2one(
        comodel_name="logistics.shipment",
        string="Shipment",
        index="btree_not_null",
        domain="[('partner_id', '=?', partner_id)]",
        tracking=True,
    )
    lane_id = fields.Many2one(related="shipment_id.lane_id", store=True)
    carrier_id = fields.Many2one(related="shipment_id.carrier_id", store=True)
    exception_id = fields.Many2one(
        comodel_name="logistics.shipment.exception",
        string="Exception",
        index="btree_not_null",
        ondelete="set null",
    )
    statement_id = fields.Many2one(
        comodel_name="logistics.statement",
        string="Disputed Statement",
        readonly=True,
        index="btree_not_null",
        help="The statement of account whose charges this complaint disputes.",
    )
    category_id = fields.Many2one(
        comodel_name="logistics.complaint.category",
        string="Category",
        required=True,
        tracking=True,
    )
    channel = fields.Selection(
        selection=COMPLAINT_CHANNELS, required=True, default="phone", tracking=True
    )
    priority = fields.Selection(
        selection=COMPLAINT_PRIORITIES,
        compute="_compute_priority",
        store=True,
        readonly=False,
        tracking=True,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Assigned To",
        compute="_compute_assignment",
        store=True,
        readonly=False,
        index="btree_not_null",
        tracking=True,
        domain="[('share', '=', False)]",
    )
    team_id = fields.Many2one(
        comodel_name="crm.team",
        string="Team",
        compute="_compute_assignment",
        store=True,
        readonly=False,
        tracking=True,
    )
    stage_id = fields.Many2one(
        comodel_name="logistics.complaint.stage",
        string="Stage",
        default=lambda self: self._default_stage_id(),
        group_expand="_read_group_expand_full",
        required=True,
        index=True,
        tracking=True,
        copy=False,
        ondelete="restrict",
    )
    is_closed = fields.Boolean(related="stage_id.is_closed", store=True)
    claim_amount = fields.Monetary(currency_field="currency_id", tracking=True)
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        default=lambda self: self.env.company.currency_id,
    )
    root_cause_id = fields.Many2one(
        comodel_name="logistics.complaint.root.cause",
        string="Root Cause",
        tracking=True,
    )
    root_cause_detail = fields.Text(string="Root Cause Analysis")
    corrective_action = fields.Text(string="Corrective and Preventive Action")
    action_owner_id = fields.Many2one(
        comodel_name="res.users", string="Action Owner", tracking=True
    )
    action_due_date = fields.Date(string="Action Due", tracking=True)
    action_done = fields.Boolean(tracking=True)
    effectiveness_check_date = fields.Date(
        string="Effectiveness Check",
        tracking=True,
        help="When to verify the corrective action prevented a recurrence.",
    )
    resolution = fields.Html(sanitize=True)
    first_response_date = fields.Datetime(readonly=True, copy=False)
    resolved_date = fields.Datetime(readonly=True, copy=False, tracking=True)
    closed_date = fields.Datetime(readonly=True, copy=False, tracking=True)
    sla_ids = fields.One2many(
        comodel_name="logistics.complaint.sla",
        inverse_name="complaint_id",
        string="SLA Milestones",
    )
    sla_status = fields.Selection(
        selection=SLA_STATUSES,
        string="SLA Status",
        compute="_compute_sla_summary",
        store=True,
        index=True,
        tracking=True,
    )
    sla_deadline = fields.Datetime(
        string="SLA Due",
        compute="_compute_sla_summary",
        store=True,
        index="btree_not_null",
        help="The nearest deadline of the running milestones.",
    )
    pause_ids = fields.One2many(
        comodel_name="logistics.complaint.pause",
        inverse_name="complaint_id",
        string="SLA Pauses",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("contact_id", "shipment_id")
    def _compute_partner_id(self):
        for complaint in self:
            source = complaint.contact_id or complaint.shipment_id.partner_id
            if source and not complaint.partner_id:
                complaint.partner_id = source.commercial_partner_id

    @api.depends("partner_id")
    def _compute_priority(self):
        for complaint in self:
            complaint.priority = (
                complaint.partner_id.commercial_partner_id.tier_id.complaint_priority
                or "0"
            )

    @api.depends("partner_id", "category_id")
    def _compute_assignment(self):
        for complaint in self:
            team = complaint.category_id.team_id
            dedicated = complaint.partner_id.commercial_partner_id.service_team_ids
            complaint.team_id = team
            # Without a dedicated team, the ticket waits in the team's queue.
            complaint.user_id = dedicated[:1]

    @api.depends("sla_ids.status", "sla_ids.deadline")
    def _compute_sla_summary(self):
        for complaint in self:
            statuses = set(complaint.sla_ids.mapped("status"))
            complaint.sla_status = next(
                (status for status in SLA_STATUS_RANK if status in statuses), False
            )
            deadlines = [
                sla.deadline
                for sla in complaint.sla_ids
                if sla.deadline and sla.status not in ("met", "cancelled")
            ]
            complaint.sla_deadline = min(deadlines, default=False)

    def _compute_access_url(self):
        # The customer portal (logistics_crm_portal) points this at its own
        # page; without it, a mail's link opens the record in the back office.
        for complaint in self:
            complaint.access_url = f"/odoo/{complaint._name}/{complaint.id}"

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        sequence = self.env["ir.sequence"]
        for vals in vals_list:
            if not vals.get("name") or vals["name"] == self.env._("New"):
                vals["name"] = sequence.next_by_code("logistics.complaint")
        complaints = super().create(vals_list)
        for stage, created in complaints.grouped("stage_id").items():
            if stage.is_resolved:
                created._check_resolvable({}, stage)
        self.env["logistics.complaint.sla.engine"]._start(complaints)
        return complaints

    def write(self, vals):
        if "stage_id" not in vals:
            return super().write(vals)
        new_stage = self.env["logistics.complaint.stage"].browse(vals["stage_id"])
        moves = defaultdict(lambda: self.browse())
        for complaint in self:
            if complaint.stage_id != new_stage:
                moves[complaint.stage_id] |= complaint
        if new_stage.is_resolved:
            self._check_resolvable(vals, new_stage)
        result = super().write(vals)
        engine = self.env["logistics.complaint.sla.engine"]
        for old_stage, complaints in moves.items():
            engine._apply_stage_change(complaints, old_stage, new_stage)
        return result

    def unlink(self):
        # Checked before mail.thread's unlink, which deletes the messages first.
        self._check_no_conversation()
        return super().unlink()

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_open_shipment(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "logistics.shipment",
            "res_id": self.shipment_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------
    # Workflow (the SLA clocks: logistics.complaint.sla.engine)
    # ------------------------------------------------------------------
    def _check_no_conversation(self):
        talked = (
            self.env["mail.message"]
            .sudo()
            .search_count(
                [
                    ("model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("message_type", "in", ("comment", "email")),
                ],
                limit=1,
            )
        )
        if talked:
            raise UserError(
                self.env._(
                    "A complaint with messages cannot be deleted: archive it instead."
                )
            )

    def _check_resolvable(self, vals, stage):
        """A ticket enters a resolved stage with its resolution written (the
        customer reads it on the portal), and closes with its root cause
        where the category asks for one. ``vals`` are the values written
        along with the stage."""
        for complaint in self:
            resolution = vals.get("resolution", complaint.resolution)
            root_cause = vals.get("root_cause_id", complaint.root_cause_id)
            category = self.env["logistics.complaint.category"].browse(
                vals.get("category_id", complaint.category_id.id)
            )
            if not _has_text(resolution):
                raise ValidationError(
                    self.env._(
                        "Describe the resolution of %(complaint)s before moving "
                        "it to %(stage)s.",
                        complaint=complaint.name,
                        stage=stage.name,
                    )
                )
            if stage.is_closed and category.root_cause_required and not root_cause:
                raise ValidationError(
                    self.env._(
                        "Complaints of category %(category)s need a root cause "
                        "before closing (%(complaint)s).",
                        category=category.name,
                        complaint=complaint.name,
                    )
                )

    def _request_rating(self):
        template = self.env.ref(RATING_TEMPLATE, raise_if_not_found=False)
        if not template:
            return
        for complaint in self.filtered(lambda c: c._rating_get_partner()):
            complaint.rating_send_request(template, force_send=False)

    # ------------------------------------------------------------------
    # Mail, rating and portal
    # ------------------------------------------------------------------
    def _creation_message(self):
        # Said directly: the generic message reads the model's name first.
        return self.env._("Complaint registered")

    def _track_template(self, changes):
        res = super()._track_template(changes)
        complaint = self[0]
        template = complaint.stage_id.mail_template_id
        if "stage_id" in changes and template:
            res["stage_id"] = (
                template,
                {
                    "auto_delete_keep_log": False,
                    "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id(
                        "mail.mt_note"
                    ),
                    "email_layout_xmlid": "mail.mail_notification_light",
                },
            )
        return res

    def _message_post_after_hook(self, message, msg_values):
        author_user = message.author_id.user_ids[:1]
        if (
            message.message_type in ("comment", "email")
            and message.subtype_id
            and not message.subtype_id.internal
            and author_user
            and not author_user.share
        ):
            self.env["logistics.complaint.sla.engine"]._mark_first_response(
                self, message
            )
        return super()._message_post_after_hook(message, msg_values)

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A complaint from an email: the sender's contact and company, or a
        new contact flagged for review when the sender is unknown."""
        values = dict(custom_values or {})
        contact = self._partner_from_email(msg_dict.get("email_from") or "")
        values.setdefault("subject", msg_dict.get("subject") or self.env._("(none)"))
        values.setdefault("description", msg_dict.get("body"))
        values.setdefault("channel", "email")
        values.setdefault("contact_id", contact.id)
        values.setdefault("partner_id", contact.commercial_partner_id.id)
        if not values.get("category_id"):
            values["category_id"] = self._default_category().id
        return super().message_new(msg_dict, custom_values=values)

    @api.model
    def _partner_from_email(self, email_from):
        partner = self._partner_find_from_emails_single([email_from], no_create=True)
        if partner:
            return partner
        name, email = parse_contact_from_email(email_from)
        return (
            self.env["res.partner"]
            .sudo()
            .create(
                {
                    "name": name or email,
                    "email": email,
                    "logistics_needs_review": True,
                }
            )
        )

    @api.model
    def _default_category(self):
        Category = self.env["logistics.complaint.category"]
        return Category.search([("code", "=", "other")], limit=1) or Category.search(
            [], limit=1
        )

    def _rating_get_partner(self):
        return self.contact_id or self.partner_id

    def rating_apply(
        self,
        rate,
        token=None,
        rating=None,
        feedback=None,
        subtype_xmlid=None,
        notify_delay_send=False,
    ):
        rating = super().rating_apply(
            rate,
            token=token,
            rating=rating,
            feedback=feedback,
            subtype_xmlid=subtype_xmlid,
            notify_delay_send=notify_delay_send,
        )
        if rating.rating <= LOW_RATING:
            self._follow_up_low_rating(rating)
        return rating

    def _follow_up_low_rating(self, rating):
        manager = self.partner_id.commercial_partner_id.account_manager_id
        user = manager or self.user_id
        if not user:
            return
        self.sudo().activity_schedule(
            LOW_RATING_ACTIVITY,
            user_id=user.id,
            summary=self.env._("Low satisfaction rating on %s", self.name),
            note=Markup("<p>%s</p>") % (rating.feedback or ""),
        )

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Complaint %s", self.name)

    @api.model
    def _proactive_from_exceptions(self, exceptions):
        """Open a proactive ticket for each new exception on a shipment of a
        customer whose tier asks for it, before the customer complains."""
        categories = self.env["logistics.complaint.category"].search(
            [("exception_types", "!=", False)]
        )
        category_of = {}
        for category in categories:
            for exception_type in category.exception_types.split(","):
                category_of.setdefault(exception_type.strip(), category)
        fallback = self._default_category()
        type_labels = dict(
            self.env["logistics.shipment.exception"]
            ._fields["exception_type"]
            ._description_selection(self.env)
        )
        values_list = []
        for exception in exceptions:
            customer = exception.shipment_id.partner_id.commercial_partner_id
            if not customer.tier_id.proactive_complaints:
                continue
            values_list.append(
                {
                    "subject": self.env._(
                        "%(type)s on shipment %(shipment)s",
                        type=type_labels.get(exception.exception_type),
                        shipment=exception.shipment_id.name,
                    ),
                    "description": exception.description,
                    "partner_id": customer.id,
                    "shipment_id": exception.shipment_id.id,
                    "exception_id": exception.id,
                    "category_id": category_of.get(
                        exception.exception_type, fallback
                    ).id,
                    "channel": "proactive",
                }
            )
        return self.sudo().create(values_list)


def _has_text(html):
    return bool(html and Markup(html).striptags().strip())
