from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.orm.models import parse_read_group_spec
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column, table_exists

from .logistics_naming import next_sequence_names
from .logistics_selections import (
    CARRIER_MODES,
    CUSTOMER_FIELD_DOMAIN,
    SHIPMENT_STATES,
    TRANSPORT_MODES,
)

# The key of the portal list's indexes: a customer's shipments, newest first.
PORTAL_PAGE_INDEX_KEY = "(partner_id, planned_pickup_date DESC, id DESC)"


class LogisticsShipment(models.Model):
    """One order the company moves for a customer.

    Status, ETA and actual dates follow the tracking events (see
    ``_apply_tracking_events``); only booking and cancelling are done by hand.
    """

    _name = "logistics.shipment"
    _description = "Shipment"
    _inherit = ["mail.thread", "mail.activity.mixin", "portal.mixin"]
    _order = "id desc"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    name = fields.Char(
        string="Number",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        default=lambda self: self.env._("New"),
    )
    reference = fields.Char(
        string="Customer Reference", index="btree_not_null", tracking=True
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        domain=CUSTOMER_FIELD_DOMAIN,
    )
    contact_id = fields.Many2one(
        comodel_name="res.partner",
        string="Contact",
        domain="[('commercial_partner_id', '=', partner_id)]",
    )
    lane_id = fields.Many2one(
        comodel_name="logistics.lane",
        string="Lane",
        index="btree_not_null",
        domain="[('partner_id', '=', partner_id)]",
    )
    mode = fields.Selection(
        selection=TRANSPORT_MODES,
        compute="_compute_route",
        store=True,
        readonly=False,
        index=True,
    )
    carrier_id = fields.Many2one(
        comodel_name="res.partner",
        string="Carrier",
        index="btree_not_null",
        domain="[('logistics_carrier_type', '!=', False)]",
    )
    origin_country_id = fields.Many2one(
        comodel_name="res.country",
        compute="_compute_route",
        store=True,
        readonly=False,
    )
    origin_city = fields.Char(compute="_compute_route", store=True, readonly=False)
    destination_country_id = fields.Many2one(
        comodel_name="res.country",
        compute="_compute_route",
        store=True,
        readonly=False,
    )
    destination_city = fields.Char(compute="_compute_route", store=True, readonly=False)
    cargo_description = fields.Text()
    pieces = fields.Integer()
    weight_kg = fields.Float(string="Weight (kg)")
    volume_m3 = fields.Float(string="Volume (m³)")
    planned_pickup_date = fields.Datetime(string="Planned Pickup")
    pickup_window_end = fields.Datetime(string="Pickup Until")
    pickup_address = fields.Text()
    consignee_name = fields.Char(string="Consignee")
    consignee_address = fields.Text()
    promised_date = fields.Datetime(
        string="Promised Delivery",
        tracking=True,
        index=True,
        help="The delivery date promised to the customer; on-time is measured "
        "against it.",
    )
    eta = fields.Datetime(
        string="ETA", tracking=True, help="Latest estimated time of arrival."
    )
    actual_pickup_date = fields.Datetime(string="Actual Pickup", readonly=True)
    actual_delivery_date = fields.Datetime(
        string="Actual Delivery", readonly=True, index="btree_not_null"
    )
    last_event_time = fields.Datetime(
        readonly=True,
        help="Time of the latest tracking event that set the status.",
    )
    state = fields.Selection(
        selection=SHIPMENT_STATES,
        string="Status",
        required=True,
        default="draft",
        tracking=True,
        index=True,
        group_expand=True,
    )
    revenue = fields.Monetary(currency_field="currency_id")
    cost = fields.Monetary(currency_field="currency_id")
    margin = fields.Monetary(
        currency_field="currency_id", compute="_compute_margin", store=True
    )
    is_on_time = fields.Boolean(
        string="On Time",
        compute="_compute_delivery_performance",
        store=True,
        help="Delivered no later than the promised date plus the company's "
        "on-time tolerance.",
    )
    delivery_delay_hours = fields.Float(
        string="Delay (h)",
        compute="_compute_delivery_performance",
        store=True,
        help="Hours between the promised date and the actual delivery of a "
        "shipment delivered late; 0 otherwise.",
    )
    is_late_risk = fields.Boolean(
        string="Late Risk",
        compute="_compute_is_late_risk",
        store=True,
        help="Not delivered yet and its ETA is past the promised date.",
    )
    is_late = fields.Boolean(
        string="Late",
        compute="_compute_is_late",
        store=True,
        help="At risk of arriving late, or delivered late.",
    )
    event_ids = fields.One2many(
        comodel_name="logistics.shipment.event",
        inverse_name="shipment_id",
        string="Tracking Events",
    )
    exception_ids = fields.One2many(
        comodel_name="logistics.shipment.exception",
        inverse_name="shipment_id",
        string="Exceptions",
    )
    has_open_exception = fields.Boolean(
        compute="_compute_has_open_exception",
        store=True,
        index=True,
    )
    complaint_ids = fields.One2many(
        comodel_name="logistics.complaint",
        inverse_name="shipment_id",
        string="Complaints",
    )
    complaint_count = fields.Integer(compute="_compute_complaint_count")
    notified_eta = fields.Datetime(
        string="ETA Last Notified",
        readonly=True,
        copy=False,
        help="The ETA customers were last told; a new ETA is notified when it "
        "moves further than the company's threshold from this one.",
    )
    notification_log_ids = fields.One2many(
        comodel_name="logistics.notification.log",
        inverse_name="shipment_id",
        string="Notifications Sent",
    )

    sale_order_id = fields.Many2one(
        comodel_name="sale.order",
        string="Booking",
        readonly=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
    )
    sale_line_ids = fields.One2many(
        comodel_name="sale.order.line",
        inverse_name="logistics_shipment_id",
        string="Booking Lines",
        readonly=True,
    )
    invoice_id = fields.Many2one(
        comodel_name="account.move",
        string="Invoice",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        tracking=True,
        help="The customer invoice that charges this shipment: its own on "
        "delivery, or the month's under a monthly settlement.",
    )

    _check_quantities = models.Constraint(
        "CHECK (COALESCE(pieces, 0) >= 0 AND COALESCE(weight_kg, 0) >= 0 "
        "AND COALESCE(volume_m3, 0) >= 0)",
        "Pieces, weight and volume of a shipment cannot be negative.",
    )
    _check_amounts = models.Constraint(
        "CHECK (COALESCE(revenue, 0) >= 0 AND COALESCE(cost, 0) >= 0)",
        "Revenue and cost of a shipment cannot be negative.",
    )
    _partner_state_index = models.Index("(partner_id, state)")
    # A customer's shipments by ETA (portal sorting and its "late" filter):
    # read in index order until a page is found, not sorted from all rows.
    _partner_eta_index = models.Index("(partner_id, eta DESC, id DESC)")
    # The portal's default order ("Newest") and each of its filters, on the
    # customer with the most shipments (300 000 at the benchmark's large
    # scale): a page is the first rows of the filter's own index, and the
    # filter's count reads only its rows. The conditions are the portal's
    # domains as the ORM writes them, archived shipments left out. The
    # multi-company rule adds company_id to every portal query, so the
    # indexes carry it: the count is then an index-only scan, where fetching
    # its 10 000 scattered rows from the table took 28 ms with the table in
    # memory and 800 ms without.
    _partner_pickup_index = models.Index(
        f"{PORTAL_PAGE_INDEX_KEY} INCLUDE (active, company_id)"
    )
    _partner_in_progress_index = models.Index(
        f"{PORTAL_PAGE_INDEX_KEY} INCLUDE (company_id) WHERE active IS TRUE"
        " AND state IN ('booked', 'picked_up', 'in_transit', 'at_destination')"
    )
    _partner_delivered_index = models.Index(
        f"{PORTAL_PAGE_INDEX_KEY} INCLUDE (company_id)"
        " WHERE active IS TRUE AND state = 'delivered'"
    )
    _partner_late_index = models.Index(
        f"{PORTAL_PAGE_INDEX_KEY} INCLUDE (company_id)"
        " WHERE active IS TRUE AND is_late IS TRUE"
    )
    # Late shipments by ETA: when will the late ones arrive.
    _partner_late_eta_index = models.Index(
        "(partner_id, eta DESC, id DESC) WHERE active IS TRUE AND is_late IS TRUE"
    )
    _partner_exception_index = models.Index(
        f"{PORTAL_PAGE_INDEX_KEY} INCLUDE (company_id)"
        " WHERE active IS TRUE AND has_open_exception IS TRUE"
    )

    # ------------------------------------------------------------------
    # Computes and constraints
    # ------------------------------------------------------------------
    @api.constrains("carrier_id", "mode")
    def _check_carrier_mode(self):
        """A road haulier moves no sea container: a typed carrier carries
        only the modes of its type."""
        labels = dict(self._fields["mode"]._description_selection(self.env))
        for shipment in self:
            carrier_type = shipment.carrier_id.logistics_carrier_type
            if carrier_type and shipment.mode not in CARRIER_MODES[carrier_type]:
                raise ValidationError(
                    self.env._(
                        "%(carrier)s does not carry %(mode)s shipments (%(shipment)s).",
                        carrier=shipment.carrier_id.display_name,
                        mode=labels.get(shipment.mode, shipment.mode),
                        shipment=shipment.name,
                    )
                )

    @api.depends("lane_id")
    def _compute_route(self):
        for shipment in self:
            lane = shipment.lane_id
            if not lane:
                continue
            shipment.mode = lane.mode
            shipment.origin_country_id = lane.origin_country_id
            shipment.origin_city = lane.origin_city
            shipment.destination_country_id = lane.destination_country_id
            shipment.destination_city = lane.destination_city

    @api.depends("revenue", "cost")
    def _compute_margin(self):
        for shipment in self:
            shipment.margin = shipment.revenue - shipment.cost

    @api.depends(
        "state",
        "actual_delivery_date",
        "promised_date",
        "company_id.logistics_on_time_tolerance_hours",
    )
    def _compute_delivery_performance(self):
        for shipment in self:
            delivered = shipment.actual_delivery_date
            promised = shipment.promised_date
            if shipment.state != "delivered" or not delivered or not promised:
                shipment.is_on_time = False
                shipment.delivery_delay_hours = 0.0
                continue
            tolerance = timedelta(
                hours=shipment.company_id.logistics_on_time_tolerance_hours
            )
            shipment.is_on_time = delivered <= promised + tolerance
            shipment.delivery_delay_hours = (
                0.0
                if shipment.is_on_time
                else round((delivered - promised).total_seconds() / 3600, 2)
            )

    @api.depends("state", "eta", "promised_date")
    def _compute_is_late_risk(self):
        for shipment in self:
            shipment.is_late_risk = bool(
                shipment.state not in ("delivered", "cancelled")
                and shipment.eta
                and shipment.promised_date
                and shipment.eta > shipment.promised_date
            )

    @api.depends("is_late_risk", "delivery_delay_hours")
    def _compute_is_late(self):
        for shipment in self:
            shipment.is_late = (
                shipment.is_late_risk or shipment.delivery_delay_hours > 0
            )

    @api.depends("exception_ids.state")
    def _compute_has_open_exception(self):
        for shipment in self:
            shipment.has_open_exception = any(
                exception.state != "resolved" for exception in shipment.exception_ids
            )

    def _compute_access_url(self):
        # The customer portal (logistics_crm_portal) points this at its own
        # page; without it, a mail's link opens the record in the back office.
        for shipment in self:
            shipment.access_url = f"/odoo/{shipment._name}/{shipment.id}"

    def _compute_complaint_count(self):
        counts = dict(
            self.env["logistics.complaint"]._read_group(
                [("shipment_id", "in", self.ids)], ["shipment_id"], ["__count"]
            )
        )
        for shipment in self:
            shipment.complaint_count = counts.get(shipment, 0)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    def _auto_init(self):
        # A database upgraded with millions of shipments gets the late flag
        # from its stored ingredients in one UPDATE; the ORM would load and
        # compute every shipment.
        cr = self.env.cr
        if table_exists(cr, self._table) and not column_exists(
            cr, self._table, "is_late"
        ):
            create_column(cr, self._table, "is_late", "boolean")
            cr.execute(
                SQL(
                    "UPDATE %s SET is_late = COALESCE(is_late_risk, FALSE)"
                    " OR COALESCE(delivery_delay_hours, 0) > 0",
                    SQL.identifier(self._table),
                )
            )
        return super()._auto_init()

    @api.model_create_multi
    def create(self, vals_list):
        partners = self.env["res.partner"].browse(
            {vals["partner_id"] for vals in vals_list if vals.get("partner_id")}
        )
        commercial_by_partner = {p.id: p.commercial_partner_id.id for p in partners}
        new = self.env._("New")
        unnamed = [vals for vals in vals_list if vals.get("name", new) == new]
        names = next_sequence_names(self.env, "logistics.shipment", len(unnamed))
        for vals, name in zip(unnamed, names, strict=True):
            vals["name"] = name or new
        for vals in vals_list:
            # A contact given as customer: keep it as contact, bill its company.
            partner_id = vals.get("partner_id")
            if partner_id and commercial_by_partner[partner_id] != partner_id:
                vals.setdefault("contact_id", partner_id)
                vals["partner_id"] = commercial_by_partner[partner_id]
        return super().create(vals_list)

    @api.model
    def _read_group_select(self, aggregate_spec, query):
        # The sum of a flag counts the shipments that have it, so the on-time
        # (or late) count comes in the same grouping as the shipment count:
        # ``_read_group(domain, ["partner_id"], ["__count", "is_on_time:sum"])``.
        # Grouping by the flag instead doubles the groups.
        fname, _property, func = parse_read_group_spec(aggregate_spec)
        field = self._fields.get(fname)
        if func == "sum" and field and field.type == "boolean" and field.store:
            return SQL(
                "COUNT(*) FILTER (WHERE %s)",
                self._field_to_sql(self._table, fname, query),
            )
        return super()._read_group_select(aggregate_spec, query)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if any(shipment.state != "draft" for shipment in self):
            raise UserError(
                self.env._(
                    "Only draft shipments can be deleted; archive the others "
                    "to keep their history."
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_book(self):
        """Confirm the order: a manual 'booked' event moves it to Booked."""
        drafts = self.filtered(lambda s: s.state == "draft")
        if drafts:
            self.env["logistics.shipment.event"].create(
                [
                    {"shipment_id": shipment.id, "code": "booked", "source": "manual"}
                    for shipment in drafts
                ]
            )
        return True

    def action_cancel(self):
        if any(shipment.state == "delivered" for shipment in self):
            raise UserError(self.env._("A delivered shipment cannot be cancelled."))
        self.write({"state": "cancelled"})
        return True

    def action_view_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_crm.logistics_complaint_action"
        )
        action["domain"] = [("shipment_id", "=", self.id)]
        action["context"] = {
            "default_shipment_id": self.id,
            "default_partner_id": self.partner_id.id,
            "default_contact_id": self.contact_id.id,
        }
        return action

    def action_new_complaint(self):
        self.ensure_one()
        action = self.action_view_complaints()
        action.update(views=[(False, "form")], view_mode="form", target="current")
        return action

    def action_view_events(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_crm.logistics_shipment_event_action"
        )
        action["domain"] = [("shipment_id", "=", self.id)]
        action["context"] = {"default_shipment_id": self.id}
        return action

    def action_view_booking(self):
        self.ensure_one()
        return self.sale_order_id.get_formview_action()

    def action_view_invoice(self):
        self.ensure_one()
        return self.invoice_id.get_formview_action()

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _apply_tracking_events(self):
        """Set status, ETA and actual dates from the events, in one query,
        and return where each shipment stands (``{id: TrackingProgress}``)
        for the notifications to be decided by the same rule.

        The outcome depends only on the events, never on the order they
        arrived in: the status is that of the furthest event in the journey
        (see logistics.shipment.event._tracking_progress), the ETA that of
        the latest event carrying one, pickup the first pick-up, delivery
        the last delivery. Cancelled shipments stay cancelled.
        """
        shipments = self.filtered(lambda s: s.state != "cancelled")
        if not shipments:
            return {}
        progress = self.env["logistics.shipment.event"]._tracking_progress(shipments)
        by_id = {shipment.id: shipment for shipment in shipments}
        # One write per distinct set of new values: a feed often moves many
        # shipments to the same status at the same time.
        to_write = defaultdict(list)
        for shipment_id, standing in progress.items():
            shipment = by_id[shipment_id]
            vals = {
                "state": standing.state or shipment.state,
                "last_event_time": standing.last_event_time or shipment.last_event_time,
                "actual_pickup_date": standing.first_pickup,
                "actual_delivery_date": standing.last_delivery,
            }
            if standing.new_eta:
                vals["eta"] = standing.new_eta
            elif standing.last_delivery and vals["state"] == "delivered":
                vals["eta"] = standing.last_delivery
            changed = tuple(
                sorted(
                    (fname, value)
                    for fname, value in vals.items()
                    if (shipment[fname] or None) != (value or None)
                )
            )
            if changed:
                to_write[changed].append(shipment.id)
        delivered = []
        for changed, ids in to_write.items():
            self.browse(ids).write(dict(changed))
            if dict(changed).get("state") == "delivered":
                delivered += ids
        if delivered:
            self.env["logistics.invoicing"]._schedule_delivery_invoicing(
                self.browse(delivered)
            )
        return progress
