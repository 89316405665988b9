from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .logistics_selections import EXCEPTION_TYPES

# Exception states customers hear about, and under which event.
NOTIFIED_STATES = {
    "in_progress": "exception_update",
    "resolved": "exception_resolved",
}


class LogisticsShipmentException(models.Model):
    """Something that went wrong with a shipment, followed until resolved."""

    _name = "logistics.shipment.exception"
    _description = "Shipment Exception"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _rec_names_search = ["shipment_id"]

    shipment_id = fields.Many2one(
        comodel_name="logistics.shipment",
        string="Shipment",
        required=True,
        index=True,
        ondelete="cascade",
        tracking=True,
    )
    partner_id = fields.Many2one(
        related="shipment_id.partner_id", store=True, index=True, string="Customer"
    )
    event_id = fields.Many2one(
        comodel_name="logistics.shipment.event",
        string="Raised by Event",
        ondelete="set null",
        readonly=True,
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    exception_type = fields.Selection(
        selection=EXCEPTION_TYPES, string="Type", required=True, tracking=True
    )
    severity = fields.Selection(
        selection=[
            ("low", "Low"),
            ("medium", "Medium"),
            ("high", "High"),
            ("critical", "Critical"),
        ],
        required=True,
        default="medium",
        tracking=True,
    )
    description = fields.Text()
    responsible_party = fields.Selection(
        selection=[
            ("carrier", "Carrier"),
            ("customer", "Customer"),
            ("us", "Us"),
            ("customs", "Customs"),
            ("other", "Other"),
        ],
        tracking=True,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Owner",
        default=lambda self: self.env.user,
        tracking=True,
    )
    state = fields.Selection(
        selection=[
            ("open", "Open"),
            ("in_progress", "In Progress"),
            ("resolved", "Resolved"),
        ],
        string="Status",
        required=True,
        default="open",
        tracking=True,
        index=True,
    )
    resolution = fields.Text()
    resolved_date = fields.Datetime(readonly=True, tracking=True)
    complaint_ids = fields.One2many(
        comodel_name="logistics.complaint",
        inverse_name="exception_id",
        string="Complaints",
    )

    @api.depends("shipment_id.name", "exception_type")
    def _compute_display_name(self):
        types = dict(self._fields["exception_type"]._description_selection(self.env))
        for exception in self:
            exception.display_name = self.env._(
                "%(shipment)s: %(type)s",
                shipment=exception.shipment_id.name or "",
                type=types.get(exception.exception_type, ""),
            )

    @api.constrains("state", "resolution")
    def _check_resolution(self):
        for exception in self:
            if (
                exception.state == "resolved"
                and not (exception.resolution or "").strip()
            ):
                raise ValidationError(
                    self.env._(
                        "Describe the resolution before resolving %s.",
                        exception.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        exceptions = super().create(vals_list)
        self.env["logistics.complaint"]._proactive_from_exceptions(exceptions)
        exceptions._queue_notifications("exception_raised")
        return exceptions

    def write(self, vals):
        if vals.get("state") == "resolved":
            vals = dict(vals, resolved_date=fields.Datetime.now())
        elif vals.get("state") in ("open", "in_progress"):
            vals = dict(vals, resolved_date=False)
        moving = self.filtered(lambda exception: exception.state != vals.get("state"))
        result = super().write(vals)
        if vals.get("state") in NOTIFIED_STATES:
            moving._queue_notifications(NOTIFIED_STATES[vals["state"]])
        return result

    def _queue_notifications(self, event_code):
        now = fields.Datetime.now()
        self.env["logistics.notification.log"]._queue(
            [
                (
                    exception.shipment_id.id,
                    event_code,
                    str(exception.id),
                    exception.date if event_code == "exception_raised" else now,
                )
                for exception in self
            ]
        )

    def action_start(self):
        self.filtered(lambda e: e.state == "open").write({"state": "in_progress"})
        return True

    def action_resolve(self):
        self.write({"state": "resolved"})
        return True

    def action_reopen(self):
        self.write({"state": "in_progress"})
        return True
