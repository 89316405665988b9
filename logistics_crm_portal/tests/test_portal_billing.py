from datetime import date

from odoo.tests import new_test_user, tagged

from .common import LogisticsPortalCase

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@tagged("post_install", "-at_install")
class TestPortalBilling(LogisticsPortalCase):
    """Bookings and statements of account on the portal: a customer reaches
    their own, confirms a statement or disputes one of its shipments, and is
    refused a booking over the credit limit, with nothing written."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["logistics.quote.line"].create(
            {"quote_id": cls.quote_a.id, "rate": 1500.0, "quantity": 2}
        )

    def _bookings_of(self, quote):
        return self.env["sale.order"].search([("logistics_quote_id", "=", quote.id)])

    def test_accepting_books_and_the_booking_opens(self):
        self._login(self.user_a)
        self._post(f"/my/quotes/{self.quote_a.id}/accept", {"name": "Li Wei"})
        booking = self.quote_a.booking_id
        self.assertTrue(booking)
        page = self.url_open(self.quote_a.access_url).text
        self.assertIn(booking.name, page)
        self.assertIn("Awaiting confirmation", page)
        response = self.url_open(f"/my/orders/{booking.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(booking.name, response.text)
        # Another customer's portal user cannot open it.
        self._login(self.user_b)
        response = self.url_open(f"/my/orders/{booking.id}")
        self.assertNotIn(booking.name, response.text)

    def test_over_the_credit_limit_refused_with_nothing_written(self):
        self.env.company.account_use_credit_limit = True
        self.customer_a.credit_limit = 1000.0
        self._login(self.user_a)
        response = self._post(
            f"/my/quotes/{self.quote_a.id}/accept", {"name": "Li Wei"}
        )
        self.assertIn("credit limit", response.text)
        self.quote_a.invalidate_recordset()
        self.assertEqual(self.quote_a.state, "sent")
        self.assertFalse(self.quote_a.accepted_by)
        self.assertFalse(self._bookings_of(self.quote_a))

    def test_statement_page_and_downloads(self):
        self._login(self.user_a)
        page = self.url_open(self.statement_a.access_url)
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.shipment_a.name, page.text)
        self.assertNotIn(self.shipment_b.name, page.text)
        workbook = self.url_open(f"{self.statement_a.access_url}?report_type=xlsx")
        self.assertEqual(workbook.headers["Content-Type"], XLSX)
        self.assertTrue(workbook.content.startswith(b"PK"))
        listing = self.url_open("/my/statements").text
        self.assertIn(self.statement_a.name, listing)
        self.assertNotIn(self.statement_b.name, listing)

    def test_confirm_a_statement(self):
        self._login(self.user_a)
        url = f"/my/statements/{self.statement_a.id}/confirm"
        response = self._post(url, {"name": " "})
        self.assertIn("Type your name to confirm the statement.", response.text)
        self.assertEqual(self.statement_a.state, "to_confirm")
        self._post(url, {"name": "Li Wei"})
        self.assertEqual(self.statement_a.state, "confirmed")
        self.assertEqual(self.statement_a.confirmed_by, "Li Wei")

    def test_dispute_only_a_shipment_of_the_statement(self):
        self._login(self.user_a)
        url = f"/my/statements/{self.statement_a.id}/dispute"
        for shipment_id in (self.shipment_b.id, "x", 2**40):
            response = self._post(url, {"shipment_id": shipment_id, "reason": "Wrong"})
            self.assertIn("This shipment is not on the statement.", response.text)
        self.assertFalse(self.statement_a.complaint_ids)
        self.assertEqual(self.statement_a.state, "to_confirm")
        self._post(
            url,
            {"shipment_id": self.shipment_a.id, "reason": "Charged twice for fuel."},
        )
        complaint = self.statement_a.complaint_ids
        self.assertEqual(self.statement_a.state, "disputed")
        self.assertEqual(complaint.shipment_id, self.shipment_a)
        self.assertEqual(complaint.contact_id, self.user_a.partner_id)
        self.assertEqual(complaint.channel, "portal")
        self.assertIn("Charged twice for fuel.", complaint.description)
        # The customer follows the dispute like any complaint of theirs.
        self.assertEqual(self.url_open(complaint.access_url).status_code, 200)


@tagged("post_install", "-at_install")
class TestQuoteToCashEndToEnd(LogisticsPortalCase):
    """A deal from the opportunity to the salesperson's settled commission,
    the customer acting on the portal: lead, quote, acceptance on the portal,
    booking, confirmation, shipments, tracking to delivery, invoice (on
    delivery for one customer, in the monthly settlement with its statement
    confirmed on the portal for the other), payment, commission settled."""

    RATE = 1200.0
    TEUS = 3.0
    PERCENT = 3.0

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        plan = cls.env["commission"].create(
            {
                "name": "End-to-end 3%",
                "commission_type": "fixed",
                "fix_qty": cls.PERCENT,
                "amount_base_type": "gross_amount",
                "settlement_type": "sale_invoice",
                "invoice_state": "paid",
            }
        )
        cls.seller = new_test_user(
            cls.env,
            login="lcrm_e2e_seller",
            groups="logistics_crm.logistics_crm_group_user",
        )
        cls.seller.partner_id.write(
            {
                "agent": True,
                "agent_type": "agent",
                "commission_id": plan.id,
                "settlement": "monthly",
            }
        )
        cls.customer_b.logistics_invoicing_policy = "monthly"

    def _deal(self, customer, user):
        """Lead and lane, the quote sent, accepted by ``user`` on the portal."""
        lead = self.env["crm.lead"].create(
            {
                "name": f"{customer.name} sea contract",
                "type": "opportunity",
                "partner_id": customer.id,
                "user_id": self.seller.id,
            }
        )
        self.env["logistics.lane"].create(
            {
                "lead_id": lead.id,
                "origin_city": "Shanghai",
                "origin_country_id": self.env.ref("base.cn").id,
                "destination_city": "Hamburg",
                "destination_country_id": self.env.ref("base.de").id,
                "mode": "sea_fcl",
                "rate": self.RATE,
            }
        )
        quote = self.env["logistics.quote"].browse(
            lead.action_new_logistics_quote()["res_id"]
        )
        quote.line_ids.write({"rate_basis": "teu", "quantity": self.TEUS})
        quote.action_mark_sent()
        self._login(user)
        self._post(f"/my/quotes/{quote.id}/accept", {"name": user.name})
        self.assertEqual(quote.state, "accepted")
        self.assertEqual(quote.booking_id.opportunity_id, lead)
        return quote.booking_id

    def _deliver(self, booking, day):
        booking.action_confirm()
        shipments = booking.logistics_shipment_ids
        self.assertEqual(set(shipments.mapped("state")), {"booked"})
        self.env["logistics.shipment.event"].ingest_events(
            [
                {
                    "shipment": shipment.name,
                    "code": code,
                    "event_time": f"{day}T{hour}:00:00Z",
                    "external_id": f"e2e-{code}-{shipment.name}",
                }
                for shipment in shipments
                for code, hour in (
                    ("picked_up", "02"),
                    ("departed", "06"),
                    ("delivered", "20"),
                )
            ]
        )
        self.assertEqual(set(shipments.mapped("state")), {"delivered"})
        return shipments

    def _pay(self, invoice):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"payment_date": invoice.invoice_date})._create_payments()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))

    def test_from_the_lead_to_the_settled_commission(self):
        amount = self.RATE * self.TEUS
        invoicing = self.env["logistics.invoicing"]
        # Per shipment, on delivery.
        booking_a = self._deal(self.customer_a, self.user_a)
        shipments_a = self._deliver(booking_a, "2026-01-14")
        invoice_a = invoicing._cron_invoice_deliveries()
        self.assertEqual(shipments_a.invoice_id, invoice_a)
        self.assertAlmostEqual(invoice_a.amount_untaxed, amount)
        self._pay(invoice_a)
        # Monthly settlement, the statement confirmed on the portal.
        booking_b = self._deal(self.customer_b, self.user_b)
        shipments_b = self._deliver(booking_b, "2026-01-20")
        self.assertFalse(invoicing._cron_invoice_deliveries())
        invoice_b = invoicing._cron_monthly_settlement(date(2026, 1, 1))
        self.assertEqual(shipments_b.invoice_id, invoice_b)
        statement = self.env["logistics.statement"].search(
            [("invoice_id", "=", invoice_b.id)]
        )
        self._login(self.user_b)
        self._post(f"/my/statements/{statement.id}/confirm", {"name": "Beta Buyer"})
        self.assertEqual(statement.state, "confirmed")
        self._pay(invoice_b)
        # The salesperson's commission on both paid invoices, settled for
        # January by the monthly job.
        settlement = self.env[
            "commission.make.settle"
        ]._cron_logistics_settle_commissions(date(2026, 2, 1))
        settlement = settlement.filtered(lambda s: s.agent_id == self.seller.partner_id)
        self.assertEqual(len(settlement), 1)
        self.assertEqual(settlement.date_from, date(2026, 1, 1))
        self.assertAlmostEqual(settlement.total, 2 * amount * self.PERCENT / 100)
