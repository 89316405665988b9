from odoo.tests import tagged

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
