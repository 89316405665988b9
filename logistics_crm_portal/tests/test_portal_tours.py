from odoo.tests import tagged

from .common import LogisticsPortalCase


@tagged("post_install", "-at_install")
class TestPortalTours(LogisticsPortalCase):
    """A portal customer's day, in headless Chromium."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shipment_a.name = "LCRM-TOUR-SHIPMENT"
        cls.env["logistics.shipment.event"].ingest_events(
            [
                {
                    "shipment": cls.shipment_a.name,
                    "external_id": "tour-pickup",
                    "code": "departed",
                    "event_time": "2026-01-05 08:00:00",
                    "location": "Tour pickup hub",
                }
            ]
        )
        cls.quote_a.name = "LCRM-TOUR-QUOTE"
        cls.env["logistics.quote.line"].create(
            {"quote_id": cls.quote_a.id, "rate": 950.0, "quantity": 2}
        )
        cls.statement_a.name = "LCRM-TOUR-STATEMENT"

    def test_follow_complain_reply_and_rate(self):
        self.start_tour(
            "/my/shipments", "logistics_portal_complaint_tour", login="alpha1"
        )
        complaint = self.env["logistics.complaint"].search(
            [("subject", "=", "Crushed pallet on tour")]
        )
        self.assertEqual(complaint.shipment_id, self.shipment_a)
        self.assertEqual(complaint.category_id.code, "damage")
        self.assertEqual(complaint.contact_id, self.user_a.partner_id)
        self.assertTrue(
            self.env["ir.attachment"].search_count(
                [
                    ("res_model", "=", complaint._name),
                    ("res_id", "=", complaint.id),
                    ("name", "=", "pallet.txt"),
                ]
            )
        )
        self.assertIn(
            "The pallet number is 4711.",
            "".join(complaint.message_ids.mapped("body")),
        )
        # Resolved in the back office, then rated by the customer.
        complaint.with_user(self.staff).write(
            {
                "resolution": "<p>Pallet replaced.</p>",
                "root_cause_id": self.env["logistics.complaint.root.cause"]
                .search([], limit=1)
                .id,
                "stage_id": self.env.ref(
                    "logistics_crm.logistics_complaint_stage_resolved"
                ).id,
            }
        )
        self.start_tour(
            "/my/complaints", "logistics_portal_rating_tour", login="alpha1"
        )
        self.assertEqual(complaint.rating_last_value, 5)

    def test_accept_a_quote_and_view_its_booking(self):
        self.env["product.product"].search(
            [("logistics_service", "=", "freight_multimodal")]
        ).name = "Tour lane freight"
        self.start_tour("/my/quotes", "logistics_portal_quote_tour", login="alpha1")
        self.assertEqual(self.quote_a.state, "accepted")
        self.assertEqual(self.quote_a.accepted_by, "Wang Fang")
        self.assertEqual(self.quote_a.booking_id.state, "draft")
        self.assertAlmostEqual(self.quote_a.booking_id.amount_untaxed, 1900.0)

    def test_confirm_a_statement(self):
        self.start_tour(
            "/my/statements", "logistics_portal_statement_tour", login="alpha1"
        )
        self.assertEqual(self.statement_a.state, "confirmed")
        self.assertEqual(self.statement_a.confirmed_by, "Wang Fang")

    def test_change_a_notification_preference(self):
        self.start_tour(
            "/my/notifications", "logistics_portal_notifications_tour", login="alpha1"
        )
        subscription = self.env["logistics.notification.subscription"].search(
            [
                ("partner_id", "=", self.user_a.partner_id.id),
                ("event_code", "=", "delivered"),
            ]
        )
        self.assertEqual(subscription.mode, "digest")
