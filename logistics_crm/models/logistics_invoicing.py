from collections import defaultdict
from datetime import datetime, time

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models

INVOICE_CRON = "logistics_crm.ir_cron_logistics_invoice_deliveries"
# Invoices created and posted per transaction when the scheduler runs a job.
INVOICES_PER_BATCH = 200


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
        return self._invoice_in_batches(
            self._groups(shipments, key=lambda shipment: shipment.id),
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
        last_day = end - relativedelta(days=1)
        shipments = self.env["logistics.shipment"].search(
            [
                *self._uninvoiced_domain("monthly"),
                ("actual_delivery_date", "<", datetime.combine(end, time.min)),
            ],
            order="partner_id, actual_delivery_date, id",
        )
        groups = self._groups(
            shipments,
            key=lambda shipment: (
                shipment.partner_id.id,
                shipment.sale_order_id.currency_id.id,
            ),
        )
        return self._invoice_in_batches(
            groups,
            invoice_date=lambda group: last_day,
            then=lambda invoices: self.env["logistics.statement"]._create_for_invoices(
                invoices, first, last_day
            ),
        )

    @api.model
    def _groups(self, shipments, key):
        """``shipments`` grouped by ``key``, those with booking lines only.
        Every group prefetches with all of ``shipments``: their booking lines
        and orders are read once for the whole run, not group by group."""
        ids = defaultdict(list)
        for shipment in shipments:
            ids[key(shipment)].append(shipment.id)
        billed = set(shipments.sale_line_ids.logistics_shipment_id.ids)
        return [
            shipments.browse(group_ids).with_prefetch(shipments._prefetch_ids)
            for group_ids in ids.values()
            if billed.intersection(group_ids)
        ]

    @api.model
    def _invoice_in_batches(self, groups, invoice_date, then=None):
        """Invoice ``groups`` batch by batch. Run by the scheduler, each batch
        is committed with the job's progress and the job stops when its time
        is up, to go on at its next run where it stopped (what is invoiced
        is never selected again); called directly, everything is done in the
        caller's transaction."""
        cron = self.env["ir.cron"] if self.env.context.get("cron_id") else None
        if cron:
            cron._commit_progress(remaining=len(groups))
        invoices = self.env["account.move"]
        for start in range(0, len(groups), INVOICES_PER_BATCH):
            batch = groups[start : start + INVOICES_PER_BATCH]
            new = self._invoice_groups(batch, invoice_date)
            if then:
                then(new)
            invoices |= new
            if cron and not cron._commit_progress(len(batch)):
                break
        return invoices

    @api.model
    def _invoice_groups(self, groups, invoice_date):
        """Post one invoice per group of shipments with the booking lines of
        its shipments; ``invoice_date(group)`` dates it."""
        if not groups:
            return self.env["account.move"]
        vals_list = [
            self._invoice_values(group, invoice_date(group)) for group in groups
        ]
        # No "invoice created" log per invoice: the shipments and the
        # statement say where each one comes from.
        invoices = (
            self.env["account.move"]
            .with_context(default_move_type="out_invoice", mail_create_nolog=True)
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
                        # The booking line's distribution came from the same
                        # analytic models: given, it spares one lookup per line.
                        analytic_distribution=line.analytic_distribution or False,
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
