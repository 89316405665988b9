from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import LogisticsCrmCase

RAW_EMAIL = """Return-Path: <{sender}>
To: complaints@example.com
From: {name} <{sender}>
Subject: {subject}
Message-ID: <{message_id}>
{extra}MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

{body}
"""


@tagged("post_install", "-at_install")
class TestComplaintIntake(LogisticsCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Complaint = cls.env["logistics.complaint"]
        cls.contact.email = "buyer@bright.example.com"
        cls.key = cls.env.ref("logistics_crm.service_tier_key")
        cls.regular = cls.env.ref("logistics_crm.service_tier_regular")
        cls.customer.write(
            {"tier_id": cls.key.id, "account_manager_id": cls.manager.id}
        )
        cls.stages = {
            code: cls.env.ref(f"logistics_crm.logistics_complaint_stage_{code}")
            for code in ("new", "in_progress", "resolved")
        }

    def _process(self, sender, subject, message_id, body="Where is my cargo?", **kw):
        raw = RAW_EMAIL.format(
            sender=sender,
            name=kw.get("name", "Sender"),
            subject=subject,
            message_id=message_id,
            extra=kw.get("extra", ""),
            body=body,
        )
        return self.env["mail.thread"].message_process("logistics.complaint", raw)

    def test_email_from_a_known_contact(self):
        complaint = self.Complaint.browse(
            self._process(
                "buyer@bright.example.com", "Container stuck", "first@bright.example"
            )
        )
        self.assertEqual(complaint.subject, "Container stuck")
        self.assertEqual(complaint.contact_id, self.contact)
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.channel, "email")
        self.assertEqual(complaint.priority, self.key.complaint_priority)
        self.assertIn("Where is my cargo?", complaint.description)
        self.assertEqual(len(complaint.sla_ids), 2)
        # The customer's reply lands on the same ticket, not on a new one.
        count = self.Complaint.search_count([])
        self._process(
            "buyer@bright.example.com",
            "Re: Container stuck",
            "second@bright.example",
            body="Any news?",
            extra="In-Reply-To: <first@bright.example>\n",
        )
        self.assertEqual(self.Complaint.search_count([]), count)
        self.assertIn("Any news?", complaint.message_ids[0].body)

    def test_email_from_an_unknown_sender_creates_a_contact_to_review(self):
        complaint = self.Complaint.browse(
            self._process(
                "stranger@unknown.example",
                "Damaged pallet",
                "x1@unknown.example",
                name="Wang Wei",
            )
        )
        self.assertEqual(complaint.contact_id.email, "stranger@unknown.example")
        self.assertEqual(complaint.contact_id.name, "Wang Wei")
        self.assertTrue(complaint.contact_id.logistics_needs_review)
        self.assertEqual(complaint.partner_id, complaint.contact_id)

    def test_exception_opens_a_proactive_ticket_for_key_customers(self):
        shipment = self._create_shipments(1)
        exception = self.env["logistics.shipment.exception"].create(
            {
                "shipment_id": shipment.id,
                "exception_type": "damage",
                "description": "Forklift damage at the hub",
            }
        )
        complaint = exception.complaint_ids
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.channel, "proactive")
        self.assertEqual(complaint.shipment_id, shipment)
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(
            complaint.category_id,
            self.env.ref("logistics_crm.logistics_complaint_category_damage"),
        )
        self.assertEqual(shipment.complaint_count, 1)
        # A Regular customer's exception opens nothing by itself.
        self.customer.tier_id = self.regular
        other = self.env["logistics.shipment.exception"].create(
            {"shipment_id": shipment.id, "exception_type": "delay"}
        )
        self.assertFalse(other.complaint_ids)

    @mute_logger("odoo.addons.mail.models.mail_mail")
    def test_rating_request_on_resolve_and_follow_up_on_low_rating(self):
        complaint = self.Complaint.create(
            {
                "subject": "Wrong consignee",
                "partner_id": self.customer.id,
                "contact_id": self.contact.id,
                "category_id": self.env.ref(
                    "logistics_crm.logistics_complaint_category_wrong_delivery"
                ).id,
                "resolution": "<p>Redelivered to the right consignee.</p>",
            }
        )
        complaint.stage_id = self.stages["resolved"]
        rating = self.env["rating.rating"].search(
            [("res_model", "=", complaint._name), ("res_id", "=", complaint.id)]
        )
        self.assertEqual(rating.partner_id, self.contact)
        request = complaint.message_ids.filtered(
            lambda message: rating.access_token in (message.body or "")
        )
        self.assertTrue(request, "the rating request carries the rating links")
        complaint.rating_apply(1, token=rating.access_token, feedback="Too slow")
        self.assertEqual(complaint.rating_last_value, 1)
        low = self.env.ref("logistics_crm.mail_activity_type_low_rating")
        follow_up = complaint.activity_ids.filtered(
            lambda act: act.activity_type_id == low
        )
        self.assertEqual(follow_up.user_id, self.manager)

    def test_satisfaction_and_complaint_rate_metrics(self):
        # Complaints and ratings are dated by the database clock: count them
        # over the 12 months to now.
        now = fields.Datetime.now()
        shipments = self._create_shipments(
            4, promised_date=now - timedelta(days=30), state="delivered"
        )
        complaints = self.Complaint.create(
            [
                {
                    "subject": f"Complaint {n}",
                    "partner_id": self.customer.id,
                    "contact_id": self.contact.id,
                    "shipment_id": shipments[n].id,
                    "category_id": self.env.ref(
                        "logistics_crm.logistics_complaint_category_delay"
                    ).id,
                }
                for n in range(2)
            ]
        )
        for complaint, score in zip(complaints, (5, 1), strict=True):
            complaint.rating_apply(score, token=complaint._rating_get_access_token())
        values = self.env["logistics.customer.metrics"]._metric_values(
            self.customer.ids,
            now + timedelta(minutes=1),
            ["complaint_rate", "satisfaction"],
        )[self.customer.id]
        self.assertAlmostEqual(values["complaint_rate"], 100 * 2 / 4)
        self.assertAlmostEqual(values["satisfaction"], 50.0)

    def test_back_office_buttons(self):
        shipment = self._create_shipments(1)
        action = shipment.action_new_complaint()
        with Form(
            self.env["logistics.complaint"].with_context(**action["context"])
        ) as form:
            form.subject = "Seal broken"
            form.category_id = self.env.ref(
                "logistics_crm.logistics_complaint_category_damage"
            )
        complaint = form.save()
        self.assertEqual(complaint.shipment_id, shipment)
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(self.customer.logistics_complaint_count, 1)
        partner_action = self.customer.action_view_logistics_complaints()
        self.assertEqual(self.Complaint.search(partner_action["domain"]), complaint)

    def test_access_and_no_deletion_of_tickets_with_messages(self):
        complaint = self.Complaint.with_user(self.user).create(
            {
                "subject": "Invoice twice",
                "partner_id": self.customer.id,
                "category_id": self.env.ref(
                    "logistics_crm.logistics_complaint_category_billing"
                ).id,
            }
        )
        complaint.stage_id = self.stages["in_progress"]
        with self.assertRaises(AccessError):
            complaint.unlink()
        for model in (
            "logistics.complaint.stage",
            "logistics.complaint.category",
            "logistics.complaint.root.cause",
        ):
            record = self.env[model].search([], limit=1)
            with self.subTest(model=model), self.assertRaises(AccessError):
                record.with_user(self.user).write({"name": "Renamed"})
            record.with_user(self.manager).write({"name": "Renamed"})
        complaint.message_post(body="Called the customer", message_type="comment")
        with self.assertRaises(UserError):
            complaint.with_user(self.manager).unlink()
        complaint.with_user(self.manager).action_archive()
        self.assertFalse(complaint.active)
