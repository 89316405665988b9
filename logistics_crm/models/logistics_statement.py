from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .logistics_naming import next_sequence_names
from .logistics_selections import PDF_MIMETYPE, STATEMENT_STATES, XLSX_MIMETYPE

BILLING_CATEGORY = "logistics_crm.logistics_complaint_category_billing"
STATEMENT_REPORT = "logistics_crm.logistics_statement_report_action"


class LogisticsStatement(models.Model):
    """A monthly-settlement customer's statement of account: every shipment
    its month's invoice charges, which the customer confirms on the portal or
    disputes line by line."""

    _name = "logistics.statement"
    _description = "Statement of Account"
    _inherit = ["mail.thread", "mail.activity.mixin", "portal.mixin"]
    _order = "date_to desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    name = fields.Char(
        string="Number",
        required=True,
        readonly=True,
        copy=False,
        index="trigram",
        default=lambda self: self.env._("New"),
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    invoice_id = fields.Many2one(
        comodel_name="account.move",
        string="Invoice",
        required=True,
        readonly=True,
        ondelete="restrict",
        check_company=True,
    )
    currency_id = fields.Many2one(related="invoice_id.currency_id")
    date_from = fields.Date(string="From", required=True, readonly=True)
    date_to = fields.Date(string="To", required=True, readonly=True, index=True)
    amount_untaxed = fields.Monetary(related="invoice_id.amount_untaxed")
    amount_tax = fields.Monetary(related="invoice_id.amount_tax")
    amount_total = fields.Monetary(related="invoice_id.amount_total")
    payment_state = fields.Selection(related="invoice_id.payment_state")
    shipment_ids = fields.One2many(
        comodel_name="logistics.shipment",
        compute="_compute_shipment_ids",
        string="Shipments",
    )
    shipment_count = fields.Integer(compute="_compute_shipment_ids")
    state = fields.Selection(
        selection=STATEMENT_STATES,
        required=True,
        default="to_confirm",
        tracking=True,
        index=True,
    )
    confirmed_by = fields.Char(readonly=True, tracking=True)
    confirmed_date = fields.Datetime(readonly=True)
    complaint_ids = fields.One2many(
        comodel_name="logistics.complaint",
        inverse_name="statement_id",
        string="Disputes",
    )

    _invoice_unique = models.UniqueIndex(
        "(invoice_id)", "An invoice has one statement of account."
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("invoice_id")
    def _compute_shipment_ids(self):
        shipments = self.env["logistics.shipment"].search(
            [("invoice_id", "in", self.invoice_id.ids)],
            order="actual_delivery_date, id",
        )
        for statement in self:
            mine = shipments.filtered(
                lambda s, st=statement: s.invoice_id == st.invoice_id
            )
            statement.shipment_ids = mine
            statement.shipment_count = len(mine)

    def _compute_access_url(self):
        # The customer portal (logistics_crm_portal) points this at its own
        # page; without it, a mail's link opens the record in the back office.
        for statement in self:
            statement.access_url = f"/odoo/{statement._name}/{statement.id}"

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        new = self.env._("New")
        unnamed = [vals for vals in vals_list if vals.get("name", new) == new]
        names = next_sequence_names(self.env, "logistics.statement", len(unnamed))
        for vals, name in zip(unnamed, names, strict=True):
            vals["name"] = name or new
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_confirm(self, name):
        """The customer agrees with the statement."""
        self.ensure_one()
        if self.state != "to_confirm":
            raise UserError(self.env._("This statement was already answered."))
        if not (name or "").strip():
            raise UserError(self.env._("Type your name to confirm the statement."))
        self.write(
            {
                "state": "confirmed",
                "confirmed_by": name.strip(),
                "confirmed_date": fields.Datetime.now(),
            }
        )
        return True

    def action_dispute(self, shipment, reason, contact=None):
        """The customer disputes the charges of one of the statement's
        shipments: a billing complaint on that shipment, linked here."""
        self.ensure_one()
        if self.state == "confirmed":
            raise UserError(self.env._("A confirmed statement cannot be disputed."))
        if not shipment or shipment not in self.shipment_ids:
            raise UserError(self.env._("This shipment is not on the statement."))
        if not (reason or "").strip():
            raise UserError(self.env._("Say what is wrong with the charges."))
        complaint = self.env["logistics.complaint"].create(
            {
                "subject": self.env._(
                    "Statement %(statement)s: charges of %(shipment)s",
                    statement=self.name,
                    shipment=shipment.name,
                ),
                "description": reason.strip(),
                "partner_id": self.partner_id.id,
                "contact_id": contact.id if contact else False,
                "shipment_id": shipment.id,
                "category_id": self.env.ref(BILLING_CATEGORY).id,
                "channel": "portal",
                "statement_id": self.id,
            }
        )
        self.state = "disputed"
        return complaint

    def action_download_xlsx(self):
        self.ensure_one()
        attachment = self.env["logistics.statement.workbook"]._attach(self)
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def action_view_invoice(self):
        self.ensure_one()
        return self.invoice_id.get_formview_action()

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _create_for_invoices(self, invoices, date_from, date_to):
        return self.create(
            [
                {
                    "partner_id": invoice.partner_id.commercial_partner_id.id,
                    "company_id": invoice.company_id.id,
                    "invoice_id": invoice.id,
                    "date_from": date_from,
                    "date_to": date_to,
                }
                for invoice in invoices
            ]
        )

    def _statement_rows(self):
        """Every shipment of the statement with what the invoice charges for
        it (untaxed), in delivery order: one query for the charges whatever
        the number of shipments. The rows add up to the invoice's untaxed
        amount."""
        self.ensure_one()
        self.env["account.move.line"].flush_model(["price_subtotal", "move_id"])
        self.env["sale.order.line"].flush_model(["logistics_shipment_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT sol.logistics_shipment_id, SUM(aml.price_subtotal)
                  FROM account_move_line aml
                  JOIN sale_order_line_invoice_rel rel ON rel.invoice_line_id = aml.id
                  JOIN sale_order_line sol ON sol.id = rel.order_line_id
                 WHERE aml.move_id = %(invoice)s
                   AND sol.logistics_shipment_id IS NOT NULL
              GROUP BY sol.logistics_shipment_id
                """,
                invoice=self.invoice_id.id,
            )
        )
        charges = dict(self.env.cr.fetchall())
        shipments = self.shipment_ids
        shipments.fetch(
            [
                "name",
                "reference",
                "lane_id",
                "mode",
                "actual_pickup_date",
                "actual_delivery_date",
                "weight_kg",
                "volume_m3",
            ]
        )
        return [(shipment, charges.get(shipment.id, 0.0)) for shipment in shipments]

    def _statement_attachments(self):
        """The statement's PDF and Excel files, as attachments of the
        statement, made the first time they are asked for."""
        if not self:
            return self.env["ir.attachment"]
        self.ensure_one()
        Attachment = self.env["ir.attachment"]
        existing = Attachment.search(
            [
                ("res_model", "=", self._name),
                ("res_id", "=", self.id),
                ("mimetype", "in", (PDF_MIMETYPE, XLSX_MIMETYPE)),
            ]
        )
        made = existing
        if not existing.filtered(lambda a: a.mimetype == XLSX_MIMETYPE):
            made |= self.env["logistics.statement.workbook"]._attach(self)
        if not existing.filtered(lambda a: a.mimetype == PDF_MIMETYPE):
            pdf, _kind = self.env["ir.actions.report"]._render_qweb_pdf(
                STATEMENT_REPORT, self.ids
            )
            made |= Attachment.create(
                {
                    "name": f"{self._get_report_base_filename()}.pdf",
                    "raw": pdf,
                    "res_model": self._name,
                    "res_id": self.id,
                    "mimetype": PDF_MIMETYPE,
                }
            )
        return made

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Statement %(name)s", name=self.name)
