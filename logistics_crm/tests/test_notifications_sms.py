from datetime import datetime

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.sms.tests.common import SMSCase

from .common import LogisticsCrmCase

PROMISED = datetime(2026, 3, 20, 12, 0)
WANG_MOBILE = "+8613812345678"


@tagged("post_install", "-at_install")
class TestSmsNotifications(LogisticsCrmCase, SMSCase):
    """SMS subscriptions, with Odoo's SMS gateway mocked."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Log = cls.env["logistics.notification.log"]
        cls.Subscription = cls.env["logistics.notification.subscription"]
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.wang, cls.li, cls.desk, cls.no_number = cls.env["res.partner"].create(
            [
                {
                    "name": "Wang Fang",
                    "email": "wang@bright.example.com",
                    # Typed as people do: stored and texted in E.164.
                    "mobile": "138 1234 5678",
                    "country_id": cls.env.ref("base.cn").id,
                    "parent_id": cls.customer.id,
                    "lang": "en_US",
                },
                {
                    "name": "Li Lei",
                    "mobile": "+86 139 8765 4321",
                    "parent_id": cls.customer.id,
                    "lang": "zh_CN",
                    "tz": "Asia/Shanghai",
                },
                {
                    "name": "Desk Only",
                    "phone": "+31 10 123 4567",
                    "parent_id": cls.customer.id,
                },
                {
                    "name": "No Number",
                    "email": "nonumber@bright.example.com",
                    "parent_id": cls.customer.id,
                },
            ]
        )
        # Explicit subscriptions rather than the tier defaults; the demo's
        # notifications are not these tests' (they count logs).
        cls.Subscription.search([]).unlink()
        cls.Log.search([]).unlink()
        cls.env["sms.sms"].sudo().search([]).unlink()
        cls._subscribe(cls.wang | cls.li | cls.desk | cls.no_number, "departed")
        cls.shipment = cls._create_shipments(1, promised_date=PROMISED, state="booked")

    @classmethod
    def _subscribe(cls, partners, *codes, channel="sms", mode="immediate"):
        cls.Subscription.create(
            [
                {
                    "partner_id": partner.id,
                    "event_code": code,
                    "channel": channel,
                    "mode": mode,
                }
                for partner in partners
                for code in codes
            ]
        )

    def _event(self, code, hour, external_id=None):
        return self._ingest(
            [
                {
                    "shipment": self.shipment.name,
                    "code": code,
                    "event_time": f"2026-03-10T{hour:02d}:00:00Z",
                    "external_id": external_id or f"{code}-{hour}",
                }
            ]
        )

    def _logs(self, partner, channel="sms"):
        return self.Log.search(
            [
                ("shipment_id", "=", self.shipment.id),
                ("partner_id", "=", partner.id),
                ("channel", "=", channel),
            ]
        )

    def _portal_link(self):
        return self.shipment.get_base_url() + self.shipment.get_portal_url()

    def test_sms_goes_to_the_mobile_with_number_and_link(self):
        self.assertEqual(self.wang.mobile_e164, WANG_MOBILE)
        self._event("departed", 8)
        log = self._logs(self.wang)
        self.assertEqual((log.state, log.mode), ("pending", "immediate"))
        with self.mockSMSGateway():
            self.Log._cron_dispatch()
        self.assertEqual(log.state, "sent")
        self.assertEqual(log.sms_number, WANG_MOBILE)
        body = log.sms_id.body
        self.assertEqual(
            body, f"{self.shipment.name} has departed. {self._portal_link()}"
        )
        self.assertIn(f"access_token={self.shipment.access_token}", body)
        self.assertLessEqual(len(body), 160, "one text message")
        self.assertSMSOutgoing(self.wang, WANG_MOBILE, content=self.shipment.name)
        # Odoo's SMS queue hands it to the gateway.
        with self.mockSMSGateway():
            self._run_cron("sms.ir_cron_sms_scheduler_action")
        self.assertSMSIapSent([WANG_MOBILE], content=self._portal_link())
        self.assertEqual(len(self._sms), 3, "Wang, Li and the desk phone")

    def test_contact_language_and_phone_fallback(self):
        template = self.env.ref("logistics_crm.sms_template_notification_departed")
        template.update_field_translations(
            "body",
            {
                "zh_CN": "{{ object.name }} 已发出。"
                "{{ object.get_base_url() + object.get_portal_url() }}"
            },
        )
        self._event("departed", 8)
        with self.mockSMSGateway():
            self.Log._cron_dispatch()
        li_number = self.li.mobile_e164
        self.assertEqual(li_number, "+8613987654321")
        self.assertSMSOutgoing(
            self.li, li_number, content=f"{self.shipment.name} 已发出。"
        )
        self.assertIn(self._portal_link(), self._logs(self.li).sms_id.body)
        self.assertSMSOutgoing(self.wang, WANG_MOBILE, content="has departed")
        # A contact without a mobile is texted on the phone it has.
        self.assertSMSOutgoing(self.desk, "+31101234567", content=self.shipment.name)

    def test_contact_without_a_number_is_not_queued(self):
        self._event("departed", 8)
        self.assertFalse(self._logs(self.no_number))
        self.assertEqual(
            self.Log.search([("shipment_id", "=", self.shipment.id)]).partner_id,
            self.wang | self.li | self.desk,
        )

    def test_repeated_event_texts_once(self):
        self._event("departed", 8, external_id="feed-1")
        with self.mockSMSGateway():
            self.Log._cron_dispatch()
        self.assertEqual(len(self._new_sms), 3)
        with self.mockSMSGateway():
            self._event("departed", 9, external_id="feed-2")
            self._event("departed", 8, external_id="feed-1")
            self.Log._cron_dispatch()
        self.assertEqual(len(self._logs(self.wang)), 1)
        self.assertFalse(self._new_sms, "nothing more after the first dispatch")

    def test_opt_out_cancels_and_texts_nothing(self):
        self._event("departed", 8)
        log = self._logs(self.wang)
        self.wang.logistics_notify_opt_out = True
        self.assertEqual(log.state, "cancelled")
        # Opted out behind the form's back (an import): the send checks too.
        self.env.cr.execute(
            "UPDATE res_partner SET logistics_notify_opt_out = TRUE WHERE id = %s",
            [self.li.id],
        )
        self.env.invalidate_all()
        with self.mockSMSGateway():
            self.Log._cron_dispatch()
        self.assertEqual(self._logs(self.li).state, "cancelled")
        self.assertEqual(self._new_sms.partner_id, self.desk)

    def test_blacklisted_number_is_not_texted(self):
        self.env["phone.blacklist"].sudo().add(self.wang.mobile_e164)
        self._event("departed", 8)
        self.assertFalse(self._logs(self.wang), "not queued")
        # Blacklisted between the queue and the send: cancelled.
        self.env["phone.blacklist"].sudo().add(self.li.mobile_e164)
        with self.mockSMSGateway():
            self.Log._cron_dispatch()
        self.assertEqual(self._logs(self.li).state, "cancelled")
        self.assertEqual(self._new_sms.partner_id, self.desk)

    def test_email_and_sms_of_one_contact_both_go_out(self):
        self._subscribe(self.wang, "departed", channel="email")
        self._event("departed", 8)
        with self.mockSMSGateway():
            self.Log._cron_dispatch()
        email, sms = self._logs(self.wang, "email"), self._logs(self.wang)
        self.assertEqual((email.state, sms.state), ("sent", "sent"))
        self.assertEqual(email.mail_id.recipient_ids, self.wang)
        self.assertFalse(email.sms_id)
        self.assertFalse(sms.mail_id)
        self.assertSMSOutgoing(self.wang, WANG_MOBILE, content=self.shipment.name)
        # A repeat still texts and mails nothing more.
        self._event("departed", 9)
        self.assertEqual(len(self._logs(self.wang, "email") | self._logs(self.wang)), 2)

    def test_sms_is_immediate_only(self):
        with self.assertRaises(ValidationError):
            self._subscribe(self.no_number, "delivered", mode="digest")
        self._subscribe(self.no_number, "delivered", channel="email", mode="digest")

    def test_dispatch_queries_do_not_grow_with_the_batch(self):
        def dispatch(count):
            shipments = self._create_shipments(
                count, promised_date=PROMISED, state="booked"
            )
            self._ingest(
                [
                    {
                        "shipment": shipment.name,
                        "code": "departed",
                        "event_time": "2026-03-10T08:00:00Z",
                        "external_id": f"size-{count}-{shipment.id}",
                    }
                    for shipment in shipments
                ]
            )
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            with self.mockSMSGateway():
                self.Log._cron_dispatch()
                self.env.flush_all()
            return self.env.cr.sql_log_count - before

        dispatch(1)
        self.assertEqual(dispatch(2), dispatch(8))
