from odoo.tests import tagged

from .common import LogisticsPortalCase


@tagged("post_install", "-at_install")
class TestPortalTours(LogisticsPortalCase):
    """A portal customer's day, in headless Chromium."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._clear_rate_cards()
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

    def test_answer_the_relationship_survey(self):
        """Wang Fang, invited as Alpha's decision maker, answers from the card
        on the portal home: 9 (a promoter, NPS 100), exception handling 2
        (a low score, so a follow-up). The card is gone once answered, and
        the service page shows the result."""
        self.customer_a.write(
            {
                "tier_override_id": self.env.ref(
                    "logistics_crm.service_tier_strategic"
                ).id,
                "tier_override_reason": "Tour",
            }
        )
        contact = self.user_a.partner_id
        contact.write(
            {"logistics_survey_contact": True, "email": "wang.fang@example.com"}
        )
        invitation = (
            self.env["logistics.relationship.survey"]
            ._invite()
            .filtered(lambda answer: answer.partner_id == contact)
        )
        self.assertTrue(invitation)
        self.start_tour("/my", "logistics_portal_survey_tour", login="alpha1")
        self.assertEqual(invitation.state, "done")
        scores = {
            line.question_id.logistics_dimension: line.value_scale
            for line in invitation.user_input_line_ids
            if line.answer_type == "scale"
        }
        self.assertEqual(
            scores,
            {
                "nps": 9,
                "timeliness": 4,
                "tracking": 5,
                "exceptions": 2,
                "communication": 5,
                "billing": 4,
                "value": 4,
            },
        )
        self.assertIn(
            "Announce terminal delays",
            invitation.user_input_line_ids.filtered(
                lambda line: line.answer_type == "text_box"
            ).value_text_box,
        )
        self.env.flush_all()
        report = self.env["logistics.survey.report"].search(
            [("answer_id", "=", invitation.id)]
        )
        self.assertEqual((report.nps_class, report.nps), ("promoter", 100.0))
        self.assertIn(
            invitation, self.env["logistics.relationship.survey"]._follow_up()
        )
        self._login(self.user_a)
        self.assertNotIn("Relationship Survey", self.url_open("/my").text)
        self.assertIn("Net Promoter Score", self.url_open("/my/service").text)

    def _rate_card(self, name, partner=None, city="Shenzhen"):
        return self.env["logistics.rate.card"].create(
            {
                "name": name,
                "mode": "air",
                "partner_id": partner.id if partner else False,
                "date_start": "2026-01-01",
                "fuel_percent": 10.0,
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "origin_country_id": self.env.ref("base.cn").id,
                            "origin_city": city,
                            "destination_country_id": self.env.ref("base.de").id,
                            "rate_basis": "kg",
                            "rate": 4.0,
                        },
                    )
                ],
            }
        )

    def _requests_of_a(self):
        return self.env["logistics.quote.request"].search(
            [("partner_id", "=", self.customer_a.id)], order="id desc"
        )

    def test_request_with_instant_price(self):
        self._rate_card("Tour public air")
        self.start_tour(
            "/my/quote-requests", "logistics_portal_request_priced_tour", login="alpha1"
        )
        request = self._requests_of_a()[:1]
        self.assertEqual(request.state, "priced")
        self.assertAlmostEqual(request.indicative_total, 1100.0)

    def test_request_without_rate(self):
        self.start_tour(
            "/my/quote-requests",
            "logistics_portal_request_to_price_tour",
            login="alpha1",
        )
        request = self._requests_of_a()[:1]
        self.assertEqual(request.state, "to_price")
        self.assertEqual(request.lead_id.logistics_lane_ids.mode, "rail")

    def test_book_from_a_contract(self):
        self._rate_card("Alpha air contract", self.customer_a, city="Suzhou")
        self.start_tour("/my/book", "logistics_portal_booking_tour", login="alpha1")
        booking = self.env["sale.order"].search(
            [("partner_id", "=", self.customer_a.id), ("state", "=", "sale")]
        )
        self.assertEqual(len(booking), 1)
        # 200 kg x 4.00 = 800.00, fuel 10 % = 80.00, at the contract's rates.
        self.assertAlmostEqual(booking.amount_untaxed, 880.0)
        self.assertEqual(
            booking.logistics_shipment_ids.consignee_name, "Rhein Parts GmbH"
        )
