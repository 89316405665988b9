import io
import logging
from datetime import date
from unittest.mock import patch

import openpyxl
import psycopg2

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import Form, freeze_time, tagged
from odoo.tools import mute_logger

from odoo.addons.logistics_crm.models import logistics_invoicing

from .common import LogisticsCrmCase

_logger = logging.getLogger(__name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@tagged("post_install", "-at_install")
class TestQuoteToCash(LogisticsCrmCase):
    """An accepted freight quote becomes a booking (sale.order), a confirmed
    booking its shipments, delivered shipments invoices by the customer's
    policy, and a month's invoice a statement of account."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Shanghai-Rotterdam contract",
                "type": "opportunity",
                "partner_id": cls.customer.id,
            }
        )
        cls.lane.rate = 1000.0

    def _quote(self, sent=True, lines=None):
        if lines:
            quote = self.env["logistics.quote"].create(
                {
                    "partner_id": self.customer.id,
                    "lead_id": self.lead.id,
                    "line_ids": lines,
                }
            )
        else:
            quote = self._freight_quote(
                self.lane, 1000.0, 50.0, 4, "teu", lead_id=self.lead.id
            )
        if sent:
            quote.action_mark_sent()
        return quote

    def _booked(self, quote=None):
        quote = quote or self._quote()
        quote.action_accept("Li Wei")
        quote.booking_id.action_confirm()
        return quote.booking_id

    def _deliver(self, shipments, day):
        results = self._deliver_shipments(shipments, day)
        self.assertEqual({result["status"] for result in results}, {"created"})

    # ------------------------------------------------------------------
    # Booking
    # ------------------------------------------------------------------
    def test_accepting_books_the_quote_once(self):
        quote = self._quote()
        quote.action_accept("Li Wei")
        order = quote.booking_id
        self.assertTrue(order)
        self.assertEqual(order.logistics_quote_id, quote)
        self.assertEqual(order.opportunity_id, self.lead)
        self.assertEqual(order.partner_id, self.customer)
        self.assertEqual(order.state, "draft")
        self.assertEqual(
            order.order_line.product_id.mapped("logistics_service"),
            ["freight_sea_fcl", "fuel"],
        )
        self.assertEqual(order.order_line.mapped("product_uom_qty"), [4.0, 4.0])
        self.assertAlmostEqual(order.amount_untaxed, quote.amount_total)
        self.assertEqual(order.order_line.logistics_quote_line_id, quote.line_ids)
        # A second answer (another tab) is refused and books nothing more.
        with self.assertRaises(UserError):
            quote.action_accept("Li Wei")
        self.assertEqual(
            self.env["sale.order"].search_count(
                [("logistics_quote_id", "=", quote.id)]
            ),
            1,
        )

    def test_a_quote_has_one_booking_even_past_the_checks(self):
        quote = self._quote()
        quote.action_accept("Li Wei")
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.IntegrityError):
            with self.env.cr.savepoint():
                self.env["sale.order"].create(
                    {"partner_id": self.customer.id, "logistics_quote_id": quote.id}
                )

    def test_refused_answers_create_nothing(self):
        draft = self._quote(sent=False)
        rejected = self._quote()
        rejected.action_reject("Too dear")
        with freeze_time("2026-01-01"):
            expired = self._quote()
        for quote in (draft, rejected, expired):
            with self.subTest(state=quote.state), self.assertRaises(UserError):
                quote.action_accept("Li Wei")
            self.assertFalse(quote.booking_id)
        self.assertFalse(
            self.env["sale.order"].search(
                [("logistics_quote_id", "in", (draft | rejected | expired).ids)]
            )
        )

    def test_staff_record_an_acceptance_from_the_quote(self):
        quote = self._quote()
        quote.user_id = self.lead.user_id = self.user
        wizard = Form(
            self.env["logistics.quote.accept"]
            .with_user(self.user)
            .with_context(default_quote_id=quote.id)
        )
        wizard.accepted_by = "Chen Jie (by phone)"
        action = wizard.save().action_accept()
        self.assertEqual(quote.state, "accepted")
        self.assertEqual(quote.accepted_by, "Chen Jie (by phone)")
        self.assertEqual(action["res_id"], quote.booking_id.id)

    # ------------------------------------------------------------------
    # Credit
    # ------------------------------------------------------------------
    def test_over_the_credit_limit_staff_are_warned_the_portal_refused(self):
        self.env.company.account_use_credit_limit = True
        self.customer.credit_limit = 1000.0
        quote = self._quote()
        with self.assertRaisesRegex(UserError, "credit limit"):
            with self.env.cr.savepoint():
                quote.action_accept("Li Wei", self_service=True)
        quote.invalidate_recordset()
        self.assertEqual(quote.state, "sent")
        self.assertFalse(
            self.env["sale.order"].search([("logistics_quote_id", "=", quote.id)])
        )
        quote.action_accept("Li Wei")
        self.assertIn(self.customer.name, quote.booking_id.partner_credit_warning)

    # ------------------------------------------------------------------
    # Shipments
    # ------------------------------------------------------------------
    def test_confirming_the_booking_books_its_shipments(self):
        contact = self._notified_contact()
        Subscription = self.env["logistics.notification.subscription"]
        if not Subscription.search(
            [("partner_id", "=", contact.id), ("event_code", "=", "booked")]
        ):
            Subscription.create({"partner_id": contact.id, "event_code": "booked"})
        order = self._booked()
        shipment = order.logistics_shipment_ids
        self.assertEqual(len(shipment), 1, "one shipment per freight line")
        self.assertEqual(shipment.state, "booked")
        self.assertEqual(shipment.lane_id, self.lane)
        self.assertEqual(shipment.mode, "sea_fcl")
        self.assertEqual(shipment.sale_order_id, order)
        self.assertAlmostEqual(shipment.revenue, 4 * 1000 + 4 * 50)
        self.assertEqual(shipment.sale_line_ids, order.order_line)
        self.assertEqual(order.logistics_shipment_count, 1)
        booked = self.env["logistics.notification.log"].search(
            [("shipment_id", "=", shipment.id), ("event_code", "=", "booked")]
        )
        self.assertEqual(len(booked), 1)
        # The carrier's own booking event tells the customer nothing new.
        self._ingest(
            [
                {
                    "shipment": shipment.name,
                    "code": "booked",
                    "event_time": "2026-03-01T08:00:00Z",
                    "external_id": "carrier-booking",
                }
            ]
        )
        self.assertEqual(
            self.env["logistics.notification.log"].search_count(
                [("shipment_id", "=", shipment.id), ("event_code", "=", "booked")]
            ),
            1,
        )
        # Asked again, the booking makes no second set of shipments.
        self.assertFalse(self.env["logistics.booking"]._create_shipments(order))

    def _notified_contact(self):
        self.contact.email = "ops@test-customer.example.com"
        return self.contact

    def test_confirm_query_count_does_not_grow_with_lines(self):
        """Confirming a booking costs Odoo's own per-line work and nothing
        more per line: measured against a plain order of as many lines."""
        self.env.ref("base.user_admin").write({"tz": "UTC"})
        costs = {}
        for count in (5, 50):
            lines = [
                Command.create(
                    {"lane_id": self.lane.id, "rate": 100.0 + index, "quantity": 1}
                )
                for index in range(count)
            ]
            quote = self._quote(lines=lines)
            quote.action_accept("Li Wei")
            booking = quote.booking_id
            plain = booking.copy({"logistics_quote_id": False})
            plain.order_line.write({"logistics_quote_line_id": False})
            self.env.flush_all()
            self.env.invalidate_all()
            plain = plain.browse(plain.id)
            start = self.cr.sql_log_count
            plain.action_confirm()
            self.env.flush_all()
            plain_cost = self.cr.sql_log_count - start
            self.env.invalidate_all()
            # Browsed afresh, as a request does: a record reached through a
            # field of an invalidated one would prefetch nothing.
            booking = booking.browse(booking.id)
            start = self.cr.sql_log_count
            booking.action_confirm()
            self.env.flush_all()
            costs[count] = (plain_cost, self.cr.sql_log_count - start)
            self.assertEqual(len(booking.logistics_shipment_ids), count)
        (plain_5, ours_5), (plain_50, ours_50) = costs[5], costs[50]
        _logger.info(
            "booking confirm queries: 5 lines %s (plain order %s), 50 lines %s "
            "(plain order %s)",
            ours_5,
            plain_5,
            ours_50,
            plain_50,
        )
        self.assertLessEqual(ours_50 - ours_5, max(plain_50 - plain_5, 0) + 3)

    # ------------------------------------------------------------------
    # Invoicing
    # ------------------------------------------------------------------
    def test_per_shipment_invoice_on_delivery(self):
        order = self._booked()
        shipment = order.logistics_shipment_ids
        cron = self.env.ref("logistics_crm.ir_cron_logistics_invoice_deliveries")
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        self._deliver(shipment, "2026-03-09")
        self.assertEqual(shipment.state, "delivered")
        self.assertGreater(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]),
            triggers,
            "the delivery wakes the invoicing job",
        )
        invoices = self.env["logistics.invoicing"]._cron_invoice_deliveries()
        self.assertEqual(shipment.invoice_id, invoices)
        self.assertEqual(invoices.state, "posted")
        self.assertEqual(invoices.move_type, "out_invoice")
        self.assertEqual(invoices.partner_id, self.customer)
        self.assertEqual(invoices.invoice_date, date(2026, 3, 9))
        self.assertAlmostEqual(invoices.amount_untaxed, shipment.revenue)
        self.assertEqual(order.invoice_ids, invoices)
        self.assertEqual(order.invoice_status, "invoiced")
        self.assertFalse(self.env["logistics.invoicing"]._cron_invoice_deliveries())

    def test_monthly_settlement_one_invoice_and_its_statement(self):
        self.customer.logistics_invoicing_policy = "monthly"
        first, second, later = (self._booked() for _index in range(3))
        self._deliver(first.logistics_shipment_ids, "2026-01-12")
        self._deliver(second.logistics_shipment_ids, "2026-01-28")
        self._deliver(later.logistics_shipment_ids, "2026-02-02")
        self.assertFalse(self.env["logistics.invoicing"]._cron_invoice_deliveries())
        invoices = self.env["logistics.invoicing"]._cron_monthly_settlement(
            date(2026, 1, 15)
        )
        self.assertEqual(len(invoices), 1, "one invoice per customer and month")
        january = (first | second).logistics_shipment_ids
        self.assertEqual(january.invoice_id, invoices)
        self.assertFalse(later.logistics_shipment_ids.invoice_id)
        self.assertEqual(invoices.invoice_date, date(2026, 1, 31))
        self.assertAlmostEqual(invoices.amount_untaxed, sum(january.mapped("revenue")))
        statement = self.env["logistics.statement"].search(
            [("invoice_id", "=", invoices.id)]
        )
        self.assertEqual(
            (statement.date_from, statement.date_to),
            (date(2026, 1, 1), date(2026, 1, 31)),
        )
        self.assertEqual(statement.shipment_ids, january)
        rows = statement._statement_rows()
        self.assertAlmostEqual(
            sum(charge for _shipment, charge in rows), invoices.amount_untaxed
        )
        # The Excel statement: every shipment and the invoice's totals.
        sheet = openpyxl.load_workbook(
            io.BytesIO(self.env["logistics.statement.workbook"]._build(statement))
        ).active
        values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
        for shipment in january:
            self.assertIn(shipment.name, values)
        self.assertIn(invoices.amount_total, values)
        # Run again: nothing is invoiced twice.
        self.assertFalse(
            self.env["logistics.invoicing"]._cron_monthly_settlement(date(2026, 1, 15))
        )

    def test_the_scheduled_job_settles_in_committed_batches(self):
        """Run by the scheduler, the month is invoiced batch by batch with
        the job's progress; a run cut short goes on where it stopped."""
        second = self.env["res.partner"].create(
            {"name": "Second Co.", "is_company": True}
        )
        self.lane.copy({"partner_id": second.id})
        (self.customer | second).logistics_invoicing_policy = "monthly"
        self._deliver(self._booked().logistics_shipment_ids, "2026-11-10")
        quote = self._quote()
        quote.partner_id = second
        self._deliver(self._booked(quote).logistics_shipment_ids, "2026-11-12")
        with (
            freeze_time("2026-12-01 01:00:00"),
            patch.object(logistics_invoicing, "INVOICES_PER_BATCH", 1),
        ):
            self._run_cron("logistics_crm.ir_cron_logistics_monthly_settlement")
        statements = self.env["logistics.statement"].search(
            [("partner_id", "in", (self.customer | second).ids)]
        )
        self.assertEqual(statements.partner_id, self.customer | second)
        self.assertEqual(set(statements.mapped("date_to")), {date(2026, 11, 30)})

    def test_monthly_invoice_costs_no_query_per_shipment(self):
        """A customer's month costs the same queries with 3 shipments or 12:
        the invoice, its statement and their links are written in batch."""
        self.customer.logistics_invoicing_policy = "monthly"
        counts = {}
        for size in (3, 12):
            lines = [
                Command.create(
                    {"lane_id": self.lane.id, "rate": 500.0 + index, "quantity": 1}
                )
                for index in range(size)
            ]
            booking = self._booked(self._quote(lines=lines))
            self._deliver(booking.logistics_shipment_ids, "2026-01-12")
            self.env.flush_all()
            self.env.invalidate_all()
            # What an earlier size invoiced is not selected again.
            start = self.cr.sql_log_count
            invoices = self.env["logistics.invoicing"]._cron_monthly_settlement(
                date(2026, 1, 1)
            )
            self.env.flush_all()
            counts[size] = self.cr.sql_log_count - start
            self.assertEqual(len(invoices.invoice_line_ids), size)
            self.env.invalidate_all()
        _logger.info(
            "monthly invoice queries: 3 shipments %s, 12 shipments %s",
            counts[3],
            counts[12],
        )
        self.assertLessEqual(counts[12], counts[3] + 2)

    def test_the_month_invoice_goes_out_with_its_statement(self):
        self.customer.logistics_invoicing_policy = "monthly"
        self._deliver(self._booked().logistics_shipment_ids, "2026-01-12")
        invoice = self.env["logistics.invoicing"]._cron_monthly_settlement(
            date(2026, 1, 1)
        )
        statement = self.env["logistics.statement"].search(
            [("invoice_id", "=", invoice.id)]
        )
        Send = self.env["account.move.send"]
        attachments = Send._get_invoice_extra_attachments(invoice)
        files = attachments.filtered(lambda a: a.res_model == statement._name)
        self.assertEqual(
            sorted(files.mapped("mimetype")),
            ["application/pdf", XLSX],
        )
        self.assertEqual(set(files.mapped("res_id")), {statement.id})
        # Made once: sending again reuses them.
        self.assertEqual(Send._get_invoice_extra_attachments(invoice), attachments)
        # An invoice without a statement goes out as before.
        self.customer.logistics_invoicing_policy = "shipment"
        self._deliver(self._booked().logistics_shipment_ids, "2026-02-03")
        single = self.env["logistics.invoicing"]._cron_invoice_deliveries()
        self.assertFalse(
            Send._get_invoice_extra_attachments(single).filtered(
                lambda a: a.res_model == statement._name
            )
        )

    def test_statement_confirmed_or_disputed_line_by_line(self):
        self.customer.logistics_invoicing_policy = "monthly"
        order = self._booked()
        other = self._create_shipments(1)
        self._deliver(order.logistics_shipment_ids, "2026-01-12")
        invoice = self.env["logistics.invoicing"]._cron_monthly_settlement(
            date(2026, 1, 1)
        )
        statement = self.env["logistics.statement"].search(
            [("invoice_id", "=", invoice.id)]
        )
        self.assertEqual(statement.state, "to_confirm")
        with self.assertRaises(UserError):
            statement.action_dispute(other, "Not ours")
        with self.assertRaises(UserError):
            statement.action_dispute(order.logistics_shipment_ids, " ")
        complaint = statement.action_dispute(
            order.logistics_shipment_ids, "The fuel surcharge was not agreed."
        )
        self.assertEqual(statement.state, "disputed")
        self.assertEqual(complaint.statement_id, statement)
        self.assertEqual(complaint.shipment_id, order.logistics_shipment_ids)
        self.assertEqual(
            complaint.category_id,
            self.env.ref("logistics_crm.logistics_complaint_category_billing"),
        )
        with self.assertRaises(UserError):
            statement.action_confirm("Li Wei")

    def test_payment_pays_the_shipment_invoice(self):
        order = self._booked()
        shipment = order.logistics_shipment_ids
        self._deliver(shipment, "2026-03-09")
        invoice = self.env["logistics.invoicing"]._cron_invoice_deliveries()
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"payment_date": fields.Date.today()})._create_payments()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(self.customer.logistics_overdue_amount, 0.0)

    def test_overdue_receivables_on_the_customer(self):
        order = self._booked()
        self._deliver(order.logistics_shipment_ids, "2026-01-09")
        invoice = self.env["logistics.invoicing"]._cron_invoice_deliveries()
        invoice_due = invoice.invoice_date_due
        with freeze_time(fields.Date.add(invoice_due, days=1)):
            self.customer.invalidate_recordset(["logistics_overdue_amount"])
            self.assertAlmostEqual(
                self.customer.logistics_overdue_amount, invoice.amount_total
            )
            self.assertAlmostEqual(
                self.contact.logistics_overdue_amount, invoice.amount_total
            )

    # ------------------------------------------------------------------
    # Payment behaviour and profit, for tiers, churn and scorecards
    # ------------------------------------------------------------------
    def _invoice(self, invoice_date, amount=1000.0):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": invoice_date,
                "invoice_date_due": invoice_date,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Freight", "price_unit": amount, "tax_ids": []}
                    )
                ],
            }
        )
        invoice.action_post()
        return invoice

    def _pay(self, invoice, when):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"payment_date": when})._create_payments()

    def test_payment_behaviour_metrics(self):
        on_time = self._invoice(date(2026, 3, 1))
        late = self._invoice(date(2026, 3, 10))
        unpaid = self._invoice(date(2026, 3, 20))
        self._pay(on_time, date(2026, 2, 27))
        self._pay(late, date(2026, 3, 22))
        as_of = date(2026, 3, 31)
        values = self.env["logistics.customer.metrics"]._metric_values(
            self.customer.ids, as_of, ["days_paid_late", "late_payment_share"]
        )[self.customer.id]
        days_late = [0, (date(2026, 3, 22) - date(2026, 3, 10)).days]
        days_late.append((as_of - unpaid.invoice_date_due).days)
        self.assertAlmostEqual(values["days_paid_late"], sum(days_late) / 3)
        self.assertAlmostEqual(values["late_payment_share"], 100.0 * 2 / 3)
        # A customer without invoices has no figure, not a perfect one.
        other = self.env["res.partner"].create({"name": "No Bills", "is_company": True})
        self.assertIsNone(
            self.env["logistics.customer.metrics"]._metric_values(
                other.ids, as_of, ["late_payment_share"]
            )[other.id]["late_payment_share"]
        )

    def test_profit_contribution_comes_from_invoices(self):
        invoiced, booked_only = self._booked(), self._booked()
        shipment = invoiced.logistics_shipment_ids
        shipment.write({"cost": 3000.0, "promised_date": "2026-03-05 12:00:00"})
        booked_only.logistics_shipment_ids.write(
            {"cost": 1000.0, "promised_date": "2026-03-06 12:00:00"}
        )
        legacy = self._create_shipments(1, promised_date="2026-03-07 12:00:00")
        self._deliver(shipment, "2026-03-09")
        invoice = self.env["logistics.invoicing"]._cron_invoice_deliveries()
        # Typed revenue on the booked shipment changes nothing: the invoice counts.
        shipment.revenue = 99999.0
        contribution = self.env["logistics.customer.metrics"]._metric_values(
            self.customer.ids, date(2026, 4, 1), ["profit_contribution_12m"]
        )[self.customer.id]["profit_contribution_12m"]
        self.assertAlmostEqual(
            contribution, invoice.amount_untaxed - 3000.0 + legacy.margin
        )
        # The month's scorecard carries the same figure.
        self.env["logistics.kpi.snapshot"]._take(date(2026, 3, 1))
        snapshot = self.env["logistics.kpi.snapshot"].search(
            [("partner_id", "=", self.customer.id), ("month", "=", "2026-03-01")]
        )
        self.assertAlmostEqual(snapshot.profit_contribution, contribution)

    # ------------------------------------------------------------------
    # Upgrade
    # ------------------------------------------------------------------
    def test_legacy_credit_fields_move_to_odoo(self):
        """The 19.0.1.1.0 migration on a database that still has the old
        columns (created here the way the previous version had them)."""
        self.cr.execute(
            """
            ALTER TABLE res_partner
                ADD COLUMN logistics_credit_limit numeric,
                ADD COLUMN logistics_credit_currency_id int4,
                ADD COLUMN logistics_payment_terms varchar,
                ADD COLUMN logistics_payment_term_days int4
            """
        )
        other = self.env["res.partner"].create(
            {"name": "Other Co.", "is_company": True}
        )
        self.cr.execute(
            """
            UPDATE res_partner SET logistics_credit_limit = 250000,
                   logistics_credit_currency_id = %s,
                   logistics_payment_terms = '45 days end of month',
                   logistics_payment_term_days = 45
             WHERE id = %s
            """,
            (self.env.company.currency_id.id, self.customer.id),
        )
        self.cr.execute(
            "UPDATE res_partner SET logistics_payment_terms = '30 days' WHERE id = %s",
            (other.id,),
        )
        migrated = self.env["logistics.credit.control"]._migrate_legacy_credit()
        self.assertEqual(migrated, 2)
        self.env.invalidate_all()
        self.assertEqual(self.customer.credit_limit, 250000)
        self.assertTrue(self.customer.use_partner_credit_limit)
        self.assertTrue(self.env.company.account_use_credit_limit)
        term_line = self.customer.property_payment_term_id.line_ids
        self.assertEqual(
            (term_line.nb_days, term_line.delay_type), (45, "days_after_end_of_month")
        )
        other_line = other.property_payment_term_id.line_ids
        self.assertEqual(
            (other_line.nb_days, other_line.delay_type), (30, "days_after")
        )
        self.cr.execute(
            "SELECT count(*) FROM information_schema.columns"
            " WHERE table_name = 'res_partner'"
            " AND column_name = 'logistics_credit_limit'"
        )
        self.assertEqual(self.cr.fetchone()[0], 0, "the old columns are dropped")
        # A database without them (a new install) has nothing to migrate.
        self.assertEqual(
            self.env["logistics.credit.control"]._migrate_legacy_credit(), 0
        )
