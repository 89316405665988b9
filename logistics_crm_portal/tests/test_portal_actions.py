import io

from lxml import html

from odoo import http
from odoo.tests import tagged

from odoo.addons.logistics_crm.models.logistics_selections import (
    NOTIFICATION_EVENTS,
    NOTIFICATION_LEVEL_EVENTS,
)

from .common import LogisticsPortalCase

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@tagged("post_install", "-at_install")
class TestPortalActions(LogisticsPortalCase):
    def _new_complaint(self, files=None, **values):
        data = {
            "category_id": self.category.id,
            "shipment_id": self.shipment_a.id,
            "subject": "Wet cartons",
            "description": "Three cartons arrived wet.",
            **values,
        }
        return self._post("/my/complaints/new", data, files=files)

    def _complaints_of(self, customer):
        return self.env["logistics.complaint"].search(
            [("partner_id", "=", customer.id)]
        )

    def test_file_a_complaint_with_attachments(self):
        self._login(self.user_a2)
        before = self._complaints_of(self.customer_a)
        response = self._post(
            "/my/complaints/new",
            {
                "category_id": self.category.id,
                "shipment_id": self.shipment_a.id,
                "subject": "Wet cartons",
                "description": "Three cartons arrived wet.\nPhotos attached.",
                # A crafted POST: none of these is offered by the form.
                "partner_id": self.customer_b.id,
                "user_id": self.staff.id,
                "priority": "3",
                "stage_id": self.env.ref(
                    "logistics_crm.logistics_complaint_stage_closed"
                ).id,
                "claim_amount": "99999",
            },
            files=[("attachments", ("wet.txt", io.BytesIO(b"photo"), "text/plain"))],
        )
        self.assertEqual(response.status_code, 200)
        complaint = self._complaints_of(self.customer_a) - before
        self.assertEqual(len(complaint), 1)
        self.assertIn(complaint.access_url, response.url)
        self.assertEqual(complaint.contact_id, self.user_a2.partner_id)
        self.assertEqual(complaint.shipment_id, self.shipment_a)
        self.assertEqual(complaint.channel, "portal")
        self.assertEqual(
            complaint.stage_id,
            self.env.ref("logistics_crm.logistics_complaint_stage_new"),
        )
        self.assertFalse(complaint.claim_amount)
        self.assertNotEqual(complaint.user_id, self.staff)
        self.assertIn("Photos attached.", complaint.description)
        self.assertEqual(
            complaint.sla_ids.mapped("kind"), ["first_response", "resolution"]
        )
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", complaint._name), ("res_id", "=", complaint.id)]
        )
        self.assertEqual(attachment.raw, b"photo")
        self.assertIn(self.user_a2.partner_id, complaint.message_partner_ids)
        self.assertFalse(self._complaints_of(self.customer_b) - self.complaint_b)

    def test_complaint_attachments_show_in_the_chatter(self):
        """The files sent with the complaint are on the chatter message that
        announces them, where the customer can open them."""
        self._login(self.user_a2)
        before = self._complaints_of(self.customer_a)
        self._new_complaint(
            files=[
                ("attachments", ("wet.txt", io.BytesIO(b"photo"), "text/plain")),
                ("attachments", ("dock.txt", io.BytesIO(b"dock"), "text/plain")),
            ]
        )
        complaint = self._complaints_of(self.customer_a) - before
        message = complaint.message_ids.filtered(
            lambda m: "Attachments sent with the complaint." in str(m.body)
        )
        self.assertEqual(len(message), 1)
        self.assertEqual(
            sorted(message.attachment_ids.mapped("name")), ["dock.txt", "wet.txt"]
        )
        self.assertEqual(message.author_id, self.user_a2.partner_id)
        self.assertEqual(set(message.attachment_ids.mapped("res_id")), {complaint.id})
        # What the portal chatter loads for the customer.
        result = self.make_jsonrpc_request(
            "/mail/thread/messages",
            {"thread_model": complaint._name, "thread_id": complaint.id},
        )
        self.assertIn(message.id, result["messages"])
        shown = {
            attachment["name"] for attachment in result["data"].get("ir.attachment", [])
        }
        self.assertEqual(shown, {"dock.txt", "wet.txt"})

    def test_complaint_form_errors_keep_the_input_and_create_nothing(self):
        self._login(self.user_a)
        before = self.env["logistics.complaint"].search_count([])
        for values, message in (
            ({"subject": ""}, "Give your complaint a subject."),
            ({"subject": "x" * 201}, "The subject is limited to 200 characters."),
            ({"category_id": "999999"}, "Choose a category."),
            ({"category_id": "not-a-number"}, "Choose a category."),
            ({"shipment_id": str(self.shipment_b.id)}, "Choose one of your shipments."),
            ({"shipment_id": "-1"}, "Choose one of your shipments."),
            ({"description": "y" * 20_001}, "The description is limited to"),
        ):
            response = self._new_complaint(**values)
            self.assertEqual(response.status_code, 200, values)
            self.assertIn(message, response.text, values)
            self.assertIn("o_logistics_complaint_form", response.text)
        response = self._new_complaint(subject="", description="Kept text 42")
        self.assertIn("Kept text 42", response.text)
        self.assertEqual(self.env["logistics.complaint"].search_count([]), before)
        # The other customer's shipment is not offered on the form either.
        page = self.url_open("/my/complaints/new").text
        self.assertIn(self.shipment_a.name, page)
        self.assertNotIn(self.shipment_b.name, page)

    def test_script_payloads_are_escaped(self):
        self._login(self.user_a)
        response = self._new_complaint(subject=SCRIPT, description=SCRIPT)
        complaint = self._complaints_of(self.customer_a).filtered(
            lambda c: c.subject == SCRIPT
        )
        self.assertTrue(complaint)
        for url in (complaint.access_url, "/my/complaints"):
            page = self.url_open(url).text
            self.assertNotIn("<script>alert", page, url)
            self.assertNotIn("<img src=x onerror", page, url)
            self.assertIn("&lt;script&gt;alert", page, url)
        self.assertTrue(response.ok)

    def test_posts_need_the_csrf_token(self):
        self._login(self.user_a)
        before = self.env["logistics.complaint"].search_count([])
        response = self._post(
            "/my/complaints/new",
            {"category_id": self.category.id, "subject": "No token"},
            csrf=False,
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.env["logistics.complaint"].search_count([]), before)
        response = self._post(
            f"/my/quotes/{self.quote_a.id}/accept", {"name": "Mallory"}, csrf=False
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.quote_a.state, "sent")

    def test_accept_a_quote_records_name_time_and_ip(self):
        self._login(self.user_a)
        response = self._post(f"/my/quotes/{self.quote_a.id}/accept", {"name": "  "})
        self.assertIn("Type your name to accept the quote.", response.text)
        self.assertEqual(self.quote_a.state, "sent")
        response = self._post(
            f"/my/quotes/{self.quote_a.id}/accept",
            {"name": "Li Wei", "state": "draft", "amount_total": "1"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.quote_a.state, "accepted")
        self.assertEqual(self.quote_a.accepted_by, "Li Wei")
        self.assertTrue(self.quote_a.accepted_date)
        self.assertEqual(self.quote_a.accepted_ip, "127.0.0.1")
        # Another customer's quote cannot be answered, even with a token of ours.
        response = self._post(
            f"/my/quotes/{self.quote_b.id}/reject",
            {"reason": "no", "access_token": self.quote_a.access_token},
        )
        self.assertEqual(self.quote_b.state, "sent")

    def test_reject_a_quote_by_emailed_link(self):
        self.authenticate(None, None)
        self._post(
            f"/my/quotes/{self.quote_b.id}/reject",
            {"reason": "Too slow", "access_token": self.quote_b.access_token},
        )
        self.assertEqual(self.quote_b.state, "rejected")
        self.assertEqual(self.quote_b.rejection_reason, "Too slow")

    def test_close_and_rate_a_resolved_complaint(self):
        self._login(self.user_a)
        page = self.url_open(self.complaint_a.access_url).text
        self.assertNotIn("o_logistics_complaint_close", page)
        response = self._post(f"/my/complaints/{self.complaint_a.id}/close", {})
        self.assertIn("This complaint cannot be closed now.", response.text)
        self.assertFalse(self.complaint_a.is_closed)

        self.complaint_a.write(
            {
                "resolution": "<p>Replaced the cartons.</p>",
                "root_cause_id": self.env["logistics.complaint.root.cause"]
                .search([], limit=1)
                .id,
                "contact_id": self.user_a.partner_id.id,
                "stage_id": self.env.ref(
                    "logistics_crm.logistics_complaint_stage_resolved"
                ).id,
            }
        )
        page = self.url_open(self.complaint_a.access_url).text
        self.assertIn("o_logistics_complaint_close", page)
        self.assertIn("Replaced the cartons.", page)
        # Resolved before anyone wrote: the answer deadline that applied stays.
        self.assertRegex(page, r"Answer due by\s*<span[^>]*>\s*\w")
        self.assertIn("/rate/", page)
        response = self._post(f"/my/complaints/{self.complaint_a.id}/close", {})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(self.complaint_a.is_closed)
        self.assertIn(
            "Closed by the customer from the portal.",
            "".join(self.complaint_a.message_ids.mapped("body")),
        )
        # B's user cannot close A's complaint.
        self.complaint_b.write(
            {
                "resolution": "<p>Refunded.</p>",
                "stage_id": self.env.ref(
                    "logistics_crm.logistics_complaint_stage_resolved"
                ).id,
            }
        )
        self._post(f"/my/complaints/{self.complaint_b.id}/close", {})
        self.assertFalse(self.complaint_b.is_closed)

    def test_notification_preferences(self):
        contact = self.user_a.partner_id
        Subscription = self.env["logistics.notification.subscription"].with_context(
            active_test=False
        )
        Subscription.search([("partner_id", "=", contact.id)]).unlink()
        other_before = Subscription.search_read(
            [("partner_id", "=", self.user_b.partner_id.id)], ["active", "mode"]
        )
        Subscription.create(
            {"partner_id": contact.id, "event_code": "departed", "mode": "immediate"}
        )
        self._login(self.user_a)
        page = self.url_open("/my/notifications").text
        self.assertIn("o_logistics_notifications_form", page)
        response = self._post(
            "/my/notifications",
            {
                "mode_departed": "",
                "mode_delivered": "digest",
                "mode_eta_changed": "immediate",
                "mode_booked": "weekly",  # not a mode: not notified
                "partner_id": self.user_b.partner_id.id,
            },
        )
        self.assertIn("o_logistics_notifications_saved", response.text)
        subscriptions = {
            s.event_code: (s.active, s.mode)
            for s in Subscription.search([("partner_id", "=", contact.id)])
        }
        self.assertEqual(
            subscriptions,
            {
                "departed": (False, "immediate"),
                "delivered": (True, "digest"),
                "eta_changed": (True, "immediate"),
            },
        )
        self.assertFalse(contact.logistics_notify_opt_out)
        self._post("/my/notifications", {"opt_out": "1"})
        self.assertTrue(contact.logistics_notify_opt_out)
        self.assertEqual(
            Subscription.search_read(
                [("partner_id", "=", self.user_b.partner_id.id)], ["active", "mode"]
            ),
            other_before,
        )

    def _checked_modes(self):
        page = html.fromstring(self.url_open("/my/notifications").text)
        return {
            radio.get("name").removeprefix("mode_"): radio.get("value")
            for radio in page.xpath(
                "//form[@id='o_logistics_notifications_form']"
                "//input[@type='radio'][@checked]"
            )
        }

    def test_notification_page_and_back_office_show_the_same_rows(self):
        company = self.env["res.partner"].create(
            {"name": "Gamma Goods", "is_company": True}
        )
        user = self._portal_user("gamma1", company)
        contact = user.partner_id
        milestones = NOTIFICATION_LEVEL_EVENTS["milestones"]
        self.assertFalse(company.logistics_subscription_ids)
        self._login(user)
        modes = self._checked_modes()
        self.assertEqual(len(modes), len(NOTIFICATION_EVENTS), "one choice per event")
        self.assertEqual(
            {code for code, mode in modes.items() if mode}, set(milestones)
        )
        self.assertEqual({modes[code] for code in milestones}, {"immediate"})
        modes.update(booked="", delivered="digest", picked_up="immediate")
        self._post("/my/notifications", {f"mode_{c}": m for c, m in modes.items()})
        expected = {code: mode for code, mode in modes.items() if mode}
        self.assertEqual(self._checked_modes(), modes)
        # What the company's and the contact's forms read.
        self.env.invalidate_all()
        for field in (
            company.logistics_contact_subscription_ids,
            contact.logistics_subscription_ids,
        ):
            self.assertEqual({row.event_code: row.mode for row in field}, expected)

    def _sms_checked(self):
        page = html.fromstring(self.url_open("/my/notifications").text)
        return {
            box.get("name").removeprefix("sms_")
            for box in page.xpath(
                "//form[@id='o_logistics_notifications_form']"
                "//input[@type='checkbox'][starts-with(@name, 'sms_')][@checked]"
            )
        }

    def test_sms_column_for_a_contact_with_a_mobile(self):
        contact = self.user_a.partner_id
        Subscription = self.env["logistics.notification.subscription"].with_context(
            active_test=False
        )
        Subscription.search([("partner_id", "=", contact.id)]).unlink()
        contact.mobile = False
        contact.phone = False
        self._login(self.user_a)
        page = self.url_open("/my/notifications").text
        self.assertNotIn("o_logistics_notifications_sms", page, "no number to text")
        # Set in the back office; a page without the column leaves it alone.
        back_office = Subscription.create(
            {"partner_id": contact.id, "event_code": "booked", "channel": "sms"}
        )
        self._post("/my/notifications", {"mode_delivered": "immediate"})
        self.assertTrue(back_office.active)

        contact.mobile = "+86 138 1234 5678"
        page = self.url_open("/my/notifications").text
        self.assertIn("o_logistics_notifications_sms", page)
        self.assertIn("+8613812345678", page)
        self.assertEqual(self._sms_checked(), {"booked"})
        self._post(
            "/my/notifications",
            {
                "mode_delivered": "digest",
                "sms_delivered": "1",
                "sms_exception_raised": "1",
                "sms_unknown_event": "1",  # not an event: ignored
            },
        )
        self.assertEqual(self._sms_checked(), {"delivered", "exception_raised"})
        self.assertEqual(
            {
                (row.channel, row.event_code): (row.active, row.mode)
                for row in Subscription.search([("partner_id", "=", contact.id)])
            },
            {
                ("sms", "booked"): (False, "immediate"),
                ("sms", "delivered"): (True, "immediate"),
                ("sms", "exception_raised"): (True, "immediate"),
                ("email", "delivered"): (True, "digest"),
            },
        )

    def test_a_login_on_the_company_itself_subscribes_nothing(self):
        user = self._portal_user("delta1", None)
        user.partner_id.is_company = True
        self._login(user)
        page = self.url_open("/my/notifications").text
        self.assertIn("o_logistics_notifications_company", page)
        self.assertNotIn("o_logistics_notifications_form", page)
        response = self._post("/my/notifications", {"mode_delivered": "immediate"})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(user.partner_id.logistics_subscription_ids)

    def test_malformed_form_values(self):
        """Non-UTF-8 bytes, wrong types and oversized values: a clear answer,
        never a server error, and nothing created on error."""
        self._login(self.user_a)
        before = self.env["logistics.complaint"].search_count([])
        csrf = http.Request.csrf_token(self)
        body = (
            f"csrf_token={csrf}&category_id={self.category.id}"
            "&subject=%FF%FE%C3%28broken&description=%00%01%80"
            "&shipment_id=1e9999&shipment_id=2"
        ).encode()
        response = self.url_open(
            "/my/complaints/new",
            data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Choose one of your shipments.", response.text)
        self.assertEqual(self.env["logistics.complaint"].search_count([]), before)
        for name in ("accept", "reject"):
            response = self._post(
                f"/my/quotes/{self.quote_a.id}/{name}",
                {"name": "x" * 100_000, "reason": b"\xff\xfe\x80"},
            )
            self.assertIn(response.status_code, (200, 303))
