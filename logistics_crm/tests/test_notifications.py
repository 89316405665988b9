import re
from datetime import datetime, timedelta

from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, freeze_time, tagged

from odoo.addons.logistics_crm.models.logistics_selections import (
    NOTIFICATION_LEVEL_EVENTS,
)

from .common import LogisticsCrmCase

CJK = re.compile(r"[\u4e00-\u9fff]")
PROMISED = datetime(2026, 3, 20, 12, 0)


@tagged("post_install", "-at_install")
class TestNotifications(LogisticsCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Log = cls.env["logistics.notification.log"]
        cls.Subscription = cls.env["logistics.notification.subscription"]
        cls.ann = cls.env["res.partner"].create(
            {
                "name": "Ann Buyer",
                "email": "ann@bright.example.com",
                "parent_id": cls.customer.id,
                "lang": "en_US",
                "tz": "Europe/Amsterdam",
            }
        )
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["logistics_crm"], ["zh_CN"])
        cls.li = cls.env["res.partner"].create(
            {
                "name": "Li Lei",
                "email": "li@bright.example.com",
                "parent_id": cls.customer.id,
                "lang": "zh_CN",
                "tz": "Asia/Shanghai",
            }
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Other Co.", "is_company": True}
        )
        cls.outsider = cls.env["res.partner"].create(
            {
                "name": "Outsider",
                "email": "x@other.example.com",
                "parent_id": cls.other_customer.id,
            }
        )
        # Explicit subscriptions rather than the tier defaults.
        cls.Subscription.search([]).unlink()
        # The demo's notifications are not these tests' (they count logs).
        cls.Log.search([]).unlink()
        cls._subscribe(cls.ann, "departed", "eta_changed", "exception_raised")
        cls._subscribe(cls.ann, "delivered", mode="digest")
        cls._subscribe(cls.li, "delivered")
        cls._subscribe(
            cls.outsider,
            *[code for code, _l in cls.Subscription._fields["event_code"].selection],
        )
        cls.shipment = cls._create_shipments(1, promised_date=PROMISED, state="booked")

    @classmethod
    def _subscribe(cls, partner, *codes, mode="immediate"):
        cls.Subscription.create(
            [
                {"partner_id": partner.id, "event_code": code, "mode": mode}
                for code in codes
            ]
        )

    def _event(self, code, hour, external_id=None, shipment=None, **values):
        shipment = shipment or self.shipment
        return self._ingest(
            [
                {
                    "shipment": shipment.name,
                    "code": code,
                    "event_time": f"2026-03-10T{hour:02d}:00:00Z",
                    "external_id": external_id or f"{code}-{hour}-{shipment.id}",
                    **values,
                }
            ]
        )

    def _logs(self, **domain):
        return self.Log.search(
            [(key, "=", value) for key, value in domain.items()], order="id"
        )

    def test_event_notifies_the_subscribed_contacts_only(self):
        self._event("departed", 8)
        log = self._logs(shipment_id=self.shipment.id)
        self.assertEqual(log.partner_id, self.ann)
        self.assertEqual((log.event_code, log.state), ("departed", "pending"))
        self.Log._cron_dispatch()
        self.assertEqual(log.state, "sent")
        mail = log.mail_id
        self.assertEqual(mail.recipient_ids, self.ann)
        self.assertEqual(mail.subject, f"{self.shipment.name} has departed")
        self.assertEqual(mail.state, "outgoing", "queued, not sent in the transaction")
        self.assertIn(self.shipment.access_token, mail.body_html)
        self.assertIn(
            self.env["logistics.notification.subscription"]._unsubscribe_url(self.ann),
            mail.body_html,
        )
        # Promised date in Ann's time zone (Amsterdam, UTC+1 in March).
        self.assertIn("1:00:00\u202fPM", mail.body_html.replace(" PM", "\u202fPM"))
        self.assertEqual(self.shipment.notification_log_ids, log)

    def test_repeated_and_reordered_events_notify_once(self):
        self._event("departed", 8, external_id="feed-1")
        self._event("departed", 9, external_id="feed-2")  # repeated by the feed
        self.assertEqual(len(self._logs(event_code="departed")), 1)
        # Delivered arrives, then a late "departed" of an earlier leg: stale.
        self._event("delivered", 20)
        self._event("departed", 7, external_id="feed-3")
        self.assertEqual(len(self._logs(event_code="departed")), 1)
        self.assertEqual(
            self._logs(event_code="delivered").partner_id, self.ann | self.li
        )

    @freeze_time("2026-03-10 12:00:00")
    def test_ui_booking_then_earlier_departure_agree(self):
        shipment = self._create_shipments(1, promised_date=PROMISED)
        # Booked at the click at noon; the carrier had left at 09:00.
        shipment.action_book()
        self._event("departed", 9, shipment=shipment)
        self.assertEqual(shipment.state, "in_transit")
        departed = self._logs(shipment_id=shipment.id, event_code="departed")
        self.assertEqual(departed.partner_id, self.ann)
        # The same scan again, and a repeat under another ID: told once.
        self._event("departed", 9, shipment=shipment)
        self._event("departed", 10, shipment=shipment)
        self.assertEqual(
            self._logs(shipment_id=shipment.id, event_code="departed"), departed
        )
        self.assertEqual(shipment.state, "in_transit")

    def test_late_departure_timed_after_delivery_is_stale(self):
        self._event("delivered", 15)
        # The feed sends a departure scan of a wrong leg, timed later.
        self._event("departed", 18)
        self.assertEqual(self.shipment.state, "delivered")
        self.assertFalse(self._logs(event_code="departed"))
        self.assertEqual(len(self._logs(event_code="delivered")), 2)

    def test_milestones_of_one_status_keep_their_order(self):
        self._subscribe(self.ann, "arrived_destination", "out_for_delivery")
        self._event("out_for_delivery", 12)
        # Arrival at the destination hub, reported after the van left.
        self._event("arrived_destination", 8)
        self.assertEqual(self.shipment.state, "at_destination")
        self.assertEqual(
            self._logs(partner_id=self.ann.id).mapped("event_code"),
            ["out_for_delivery"],
        )

    def test_reordered_batch_states_and_tells_the_furthest_step(self):
        self._subscribe(self.ann, "picked_up")
        second = self._create_shipments(1, promised_date=PROMISED, state="booked")
        self._ingest(
            [
                {
                    "shipment": shipment.name,
                    "code": code,
                    "event_time": f"2026-03-10T{hour:02d}:00:00Z",
                    "external_id": f"batch-{code}-{shipment.id}",
                }
                for shipment, code, hour in (
                    (self.shipment, "departed", 11),
                    (second, "departed", 10),
                    (self.shipment, "delivered", 10),
                    (second, "picked_up", 12),
                    (self.shipment, "picked_up", 12),
                )
            ]
        )
        self.assertEqual(
            (self.shipment.state, second.state), ("delivered", "in_transit")
        )
        self.assertEqual(
            self._logs(shipment_id=self.shipment.id).mapped("event_code"),
            ["delivered", "delivered"],
        )
        self.assertEqual(
            self._logs(shipment_id=second.id).mapped("event_code"), ["departed"]
        )

    def test_eta_threshold(self):
        def move_eta(hours, n):
            eta = PROMISED + timedelta(hours=hours)
            self._event(
                "eta_updated", n, new_eta=eta.isoformat() + "Z", external_id=f"eta-{n}"
            )

        move_eta(4, 1)  # exactly the threshold: not a change worth a message
        self.assertFalse(self._logs(event_code="eta_changed"))
        move_eta(4.5, 2)
        log = self._logs(event_code="eta_changed")
        self.assertEqual(len(log), 1)
        self.assertEqual(self.shipment.notified_eta, PROMISED + timedelta(hours=4.5))
        # Oscillating within the threshold of what the customer was told.
        move_eta(2, 3)
        move_eta(7, 4)
        move_eta(4.5, 5)
        self.assertEqual(len(self._logs(event_code="eta_changed")), 1)
        move_eta(12, 6)
        self.assertEqual(len(self._logs(event_code="eta_changed")), 2)

    def test_exception_notifications(self):
        self._event("exception", 10, exception_type="delay", description="Rolled")
        raised = self._logs(event_code="exception_raised")
        self.assertEqual(raised.partner_id, self.ann)
        self.assertEqual(
            self._logs(event_code="exception_raised", partner_id=self.outsider.id),
            self.Log,
        )

    def test_daily_digest_groups_events_per_contact(self):
        second = self._create_shipments(1, promised_date=PROMISED, state="booked")
        self._event("delivered", 15)
        self._event("delivered", 16, shipment=second)
        digest = self._logs(partner_id=self.ann.id, mode="digest")
        self.assertEqual(len(digest), 2)
        self.Log._cron_dispatch()
        self.assertEqual(set(digest.mapped("state")), {"pending"})
        self.Log._cron_send_digests()
        self.assertEqual(set(digest.mapped("state")), {"sent"})
        self.assertEqual(len(digest.mail_id), 1, "one message for the day")
        body = digest.mail_id.body_html
        self.assertIn(self.shipment.name, body)
        self.assertIn(second.name, body)

    def test_chinese_contact_gets_the_chinese_template(self):
        self._event("delivered", 15)
        self.Log._cron_dispatch()
        mail = self._logs(partner_id=self.li.id).mail_id
        self.assertRegex(mail.subject, CJK)
        self.assertRegex(mail.body_html, CJK)
        english = self._logs(partner_id=self.ann.id, event_code="delivered")
        self.assertEqual(english.mode, "digest")

    def test_opt_out_is_honoured_at_once(self):
        self._event("departed", 8)
        queued = self._logs(partner_id=self.ann.id)
        self.ann.logistics_notify_opt_out = True
        self.assertEqual(queued.state, "cancelled")
        self._event("exception", 10, exception_type="delay")
        self.assertFalse(self._logs(partner_id=self.ann.id, state="pending"))

    def test_default_subscriptions_follow_the_tier(self):
        strategic = self.env.ref("logistics_crm.service_tier_strategic")
        strategic.notification_level = "exceptions"
        self.other_customer.tier_id = strategic
        contact = self.env["res.partner"].create(
            {"name": "New Contact", "parent_id": self.other_customer.id}
        )
        self.assertEqual(
            set(contact.logistics_subscription_ids.mapped("event_code")),
            {
                "eta_changed",
                "exception_raised",
                "exception_update",
                "exception_resolved",
            },
        )
        employee = self.env["res.partner"].create(
            {"name": "Our Employee", "parent_id": self.env.company.partner_id.id}
        )
        self.assertFalse(employee.logistics_subscription_ids)

    def _company_held(self, company, *codes, mode="immediate"):
        """Rows as the tier defaults left them before 19.0.1.0.2: held by the
        company itself. Written in SQL, the model now refuses them."""
        self.env.cr.execute(
            """
            INSERT INTO logistics_notification_subscription
                   (partner_id, customer_id, event_code, channel, mode, active)
            SELECT %s, %s, code, 'email', %s, TRUE FROM unnest(%s::varchar[]) code
            """,
            (company.id, company.id, mode, list(codes)),
        )
        self.env.invalidate_all()

    def _holdings(self, partners):
        return {
            (row.partner_id, row.event_code, row.mode, row.active)
            for row in self.Subscription.with_context(active_test=False).search(
                [("partner_id", "in", partners.ids)]
            )
        }

    def test_the_contact_holds_the_defaults_not_the_company(self):
        milestones = set(NOTIFICATION_LEVEL_EVENTS["milestones"])
        company, contact = self.env["res.partner"].create(
            [{"name": "Fresh Co", "is_company": True}, {"name": "Fresh Buyer"}]
        )
        self.assertFalse(company.logistics_subscription_ids)
        # Attached after its creation, as a portal user's partner is.
        contact.parent_id = company
        self.assertEqual(
            set(contact.logistics_subscription_ids.mapped("event_code")), milestones
        )
        self.assertFalse(company.logistics_subscription_ids)
        self.assertEqual(
            company.logistics_contact_subscription_ids,
            contact.logistics_subscription_ids,
            "the company form lists its contacts' subscriptions",
        )
        # A contact's own choices are kept when it moves to another customer.
        contact.logistics_subscription_ids.filtered(
            lambda row: row.event_code == "booked"
        ).active = False
        contact.parent_id = self.customer
        self.assertEqual(len(contact.logistics_subscription_ids), len(milestones) - 1)
        self.assertEqual(contact.logistics_subscription_ids.customer_id, self.customer)
        with self.assertRaises(ValidationError):
            self.Subscription.create({"partner_id": company.id, "event_code": "booked"})

    def test_company_subscriptions_move_to_the_contacts(self):
        portal = self.env["res.users"].create(
            {
                "name": "Portal Ann",
                "login": "portal.ann@move.example",
                "group_ids": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        company, lonely = self.env["res.partner"].create(
            [
                {"name": "Move Co", "is_company": True},
                {"name": "No Contact Co", "is_company": True},
            ]
        )
        plain = self.env["res.partner"].create(
            {"name": "Plain Bob", "email": "bob@move.example", "parent_id": company.id}
        )
        portal.partner_id.parent_id = company
        ann = portal.partner_id
        # Ann chose a digest for deliveries: the company's row must not
        # duplicate or override it.
        self.Subscription.search([("partner_id", "in", (ann | plain).ids)]).unlink()
        self._subscribe(ann, "delivered", mode="digest")
        self._company_held(company, "departed", "delivered")
        self._company_held(lonely, "departed")
        self._company_held(self.customer, "booked")  # ann, li, Test Contact
        self.Subscription._move_company_subscriptions_to_contacts()
        self.assertFalse(
            self.Subscription.with_context(active_test=False).search(
                [("partner_id.is_company", "=", True)]
            )
        )
        self.assertEqual(
            self._holdings(ann | plain),
            {
                (ann, "delivered", "digest", True),
                (ann, "departed", "immediate", True),
            },
            "the contact who logs in takes them first",
        )
        contacts = self.customer.child_ids
        self.assertEqual(len(contacts), 3)
        booked = self.Subscription.search(
            [("customer_id", "=", self.customer.id), ("event_code", "=", "booked")]
        )
        self.assertEqual(booked.partner_id, contacts, "no one logs in: all of them")

    def test_the_contacts_are_notified_never_the_company(self):
        company = self.env["res.partner"].create(
            {"name": "Mail Co", "is_company": True, "email": "info@mail.example"}
        )
        buyer, silent = self.env["res.partner"].create(
            [
                {
                    "name": "Buyer",
                    "email": "buyer@mail.example",
                    "parent_id": company.id,
                },
                {"name": "No Mail", "parent_id": company.id},
            ]
        )
        self.assertIn(
            "departed", silent.logistics_subscription_ids.mapped("event_code")
        )
        self._company_held(company, "departed", "arrived_destination")
        shipment = self._create_shipments(
            1,
            partner_id=company.id,
            lane_id=False,
            promised_date=PROMISED,
            state="booked",
        )
        self._event("departed", 8, shipment=shipment)
        self.assertEqual(self._logs(shipment_id=shipment.id).partner_id, buyer)
        buyer.logistics_notify_opt_out = True
        self._event("arrived_destination", 12, shipment=shipment)
        self.assertFalse(
            self._logs(shipment_id=shipment.id, event_code="arrived_destination"),
            "no contact to mail: nobody, not the company's address",
        )

    def test_query_count_does_not_grow_with_the_batch(self):
        shipments = self._create_shipments(60, promised_date=PROMISED, state="booked")

        def ingest(batch, prefix):
            items = [
                {
                    "shipment": shipment.name,
                    "code": "departed",
                    "event_time": "2026-03-10T08:00:00Z",
                    "external_id": f"{prefix}-{shipment.id}",
                    "new_eta": (PROMISED + timedelta(hours=10)).isoformat() + "Z",
                }
                for shipment in batch
            ]
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self._ingest(items)
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        ingest(shipments[:2], "warm")
        small = ingest(shipments[2:7], "small")
        large = ingest(shipments[7:], "large")
        self.assertEqual(small, large)
        # Each shipment: departed and ETA change for Ann.
        self.assertEqual(len(self._logs(partner_id=self.ann.id)), 2 * len(shipments))


@tagged("post_install", "-at_install")
class TestUnsubscribeLink(HttpCase):
    def test_unsubscribe_with_the_link_only(self):
        customer = self.env["res.partner"].create(
            {"name": "Link Co", "is_company": True}
        )
        contact = self.env["res.partner"].create(
            {
                "name": "Link Buyer",
                "email": "buyer@link.example",
                "parent_id": customer.id,
            }
        )
        url = (
            self.env["logistics.notification.subscription"]
            ._unsubscribe_url(contact)
            .replace(contact.get_base_url(), "")
        )
        forged = url[:-4] + "0000"
        self.assertEqual(self.url_open(forged).status_code, 404)
        other = self.env["res.partner"].create(
            {"name": "Other", "parent_id": customer.id}
        )
        self.assertEqual(
            self.url_open(url.replace(f"/{contact.id}/", f"/{other.id}/")).status_code,
            404,
        )
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        self.assertFalse(contact.logistics_notify_opt_out, "GET changes nothing")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        done = self.url_open(url, data={"csrf_token": csrf})
        self.assertEqual(done.status_code, 200)
        self.assertTrue(contact.logistics_notify_opt_out)
