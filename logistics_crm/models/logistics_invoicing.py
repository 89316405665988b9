from collections import defaultdict
from datetime import datetime, time

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models

INVOICE_CRON = "logistics_crm.ir_cron_logistics_invoice_deliveries"


class LogisticsInvoicing(models.AbstractModel):
    """Customer invoices for booked shipments, by the customer's invoicing
    policy: each shipment on its delivery, or every shipment delivered in a
    month on one invoice (monthly settlement, 月结) with its statement of
    account. Invoices are built from the bookings' lines in one batch: one
    ``account.move.create`` for all of them, whatever the number of
    shipments."""

    _name = "logistics.invoicing"
    _description = "Shipment Invoicing Engine"

    @api.model
    def _uninvoiced_domain(self, policy):
        return [
            ("state", "=", "delivered"),
            ("invoice_id", "=", False),
            ("sale_order_id", "!=", False),
            ("partner_id.logistics_invoicing_policy", "=", policy),
        ]

    @api.model
    def _schedule_delivery_invoicing(self, shipments):
        """Deliveries of per-shipment customers are invoiced by the job just
        after the tracking feed's transaction, not inside it."""
        if shipments.filtered(
            lambda s: s.sale_order_id
            and s.partner_id.logistics_invoicing_policy == "shipment"
        ):
            self.env.ref(INVOICE_CRON)._trigger()

    @api.model
    def _cron_invoice_deliveries(self):
        shipments = self.env["logistics.shipment"].search(
            self._uninvoiced_domain("shipment"), order="id"
        )
        return self._invoice_shipments(
            shipments,
            key=lambda shipment: shipment.id,
            invoice_date=lambda group: group.actual_delivery_date.date(),
        )

    @api.model
    def _cron_monthly_settlement(self, month=None):
        """Invoice the previous month (or the month of date ``month``) of
        every monthly-settlement customer: one invoice per customer and
        currency for all its shipments delivered up to the month's end, each
        with its statement of account."""
        first = (
            month or fields.Date.context_today(self) - relativedelta(months=1)
        ).replace(day=1)
        end = first + relativedelta(months=1)
        shipments = self.env["logistics.shipment"].search(
            [
                *self._uninvoiced_domain("monthly"),
                ("actual_delivery_date", "<", datetime.combine(end, time.min)),
            ],
            order="partner_id, actual_delivery_date, id",
        )
        last_day = end - relativedelta(days=1)
        invoices = self._invoice_shipments(
            shipments,
            key=lambda shipment: (
                shipment.partner_id.id,
                shipment.sale_order_id.currency_id.id,
            ),
            invoice_date=lambda group: last_day,
        )
        self.env["logistics.statement"]._create_for_invoices(invoices, first, last_day)
        return invoices

    @api.model
    def _invoice_shipments(self, shipments, key, invoice_date):
        """Post one invoice per group of ``shipments`` (grouped by ``key``)
        with the booking lines of its shipments; ``invoice_date(group)`` dates
        it. Returns the invoices."""
        groups = defaultdict(lambda: self.env["logistics.shipment"])
        for shipment in shipments:
            groups[key(shipment)] |= shipment
        groups = [group for group in groups.values() if group.sale_line_ids]
        if not groups:
            return self.env["account.move"]
        vals_list = [
            self._invoice_values(group, invoice_date(group)) for group in groups
        ]
        invoices = (
            self.env["account.move"]
            .with_context(default_move_type="out_invoice")
            .create(vals_list)
        )
        invoices.action_post()
        # One UPDATE per invoice: its shipments share the value.
        for group, invoice in zip(groups, invoices, strict=True):
            group.invoice_id = invoice
        return invoices

    @api.model
    def _invoice_values(self, shipments, invoice_date):
        orders = shipments.sale_order_id
        values = orders[0]._prepare_invoice()
        values.update(
            invoice_date=invoice_date,
            invoice_origin=", ".join(orders.mapped("name")),
            ref=", ".join(filter(None, shipments.mapped("reference")))[:200]
            or values["ref"],
            invoice_line_ids=[
                Command.create(
                    line._prepare_invoice_line(
                        quantity=line.product_uom_qty - line.qty_invoiced,
                        name=f"{shipment.name} - {line.name}",
                    )
                )
                for shipment in shipments
                for line in shipment.sale_line_ids
                if line.product_uom_qty > line.qty_invoiced
            ],
        )
        # A month's invoice gathers several bookings: the customer's payment
        # term, not the first booking's.
        if len(orders) > 1:
            values["invoice_payment_term_id"] = shipments.partner_id[
                :1
            ].property_payment_term_id.id
        return values
