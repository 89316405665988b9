from datetime import datetime, time, timedelta

from odoo import fields
from odoo.tests import freeze_time, tagged

from .common import LogisticsCrmCase

CADENCE_ACTIVITY = "logistics_crm.mail_activity_type_contact_cadence"
REVIEW_ACTIVITY = "logistics_crm.mail_activity_type_business_review"


@tagged("post_install", "-at_install")
class TestContactCadence(LogisticsCrmCase):
    """A strategic customer is to be in touch monthly and reviewed quarterly:
    a lapse flags it and gives its account manager one activity per gap."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.strategic = cls.env.ref("logistics_crm.service_tier_strategic")
        # Calendar days: without working hours no due date moves off a weekend.
        cls.strategic.write(
            {
                "contact_cadence_days": 30,
                "qbr_required": True,
                "resource_calendar_id": False,
            }
        )
        cls.regular = cls.env.ref("logistics_crm.service_tier_regular")
        cls.regular.write({"contact_cadence_days": 0, "qbr_required": False})
        cls.today = fields.Date.today()
        cls.customer.write(
            {
                "customer_since": cls.today - timedelta(days=200),
                "account_manager_id": cls.user.id,
                "tier_override_id": cls.strategic.id,
                "tier_override_reason": "Test",
            }
        )
        cls.small = cls.env["res.partner"].create(
            {
                "name": "Small Regular",
                "is_company": True,
                "customer_since": cls.today - timedelta(days=400),
                "account_manager_id": cls.user.id,
                "tier_override_id": cls.regular.id,
                "tier_override_reason": "Test",
            }
        )
        cls.followup = cls.env["logistics.account.followup"]

    def _run(self, day):
        with freeze_time(datetime.combine(self.today + timedelta(days=day), time(9))):
            self.followup._schedule_contact_cadence()

    def _activities(self, xmlid, partner=None):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", (partner or self.customer).id),
                ("activity_type_id", "=", self.env.ref(xmlid).id),
            ]
        )

    def _contact(self, day):
        return self.env["crm.phonecall"].create(
            {
                "name": "Quarterly check-in",
                "partner_id": self.contact.id,
                "user_id": self.user.id,
                "direction": "out",
                "state": "done",
                "date": datetime.combine(self.today + timedelta(days=day), time(8)),
            }
        )

    def _review(self, day, name="Business review"):
        start = datetime.combine(self.today + timedelta(days=day), time(8))
        return self.env["calendar.event"].create(
            {
                "name": name,
                "start": start,
                "stop": start + timedelta(hours=1),
                "partner_ids": [self.contact.id],
                "categ_ids": [
                    self.env.ref("logistics_crm.calendar_event_type_business_review").id
                ],
            }
        )

    def test_contact_gap_one_activity_per_gap(self):
        self._run(0)
        self.assertTrue(self.customer.out_of_cadence)
        self.assertFalse(self.customer.last_contact_date)
        self.assertEqual(
            self.customer.contact_due_date, self.today - timedelta(days=170)
        )
        activity = self._activities(CADENCE_ACTIVITY)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.user)
        # The next day, the same gap: no second activity.
        self._run(1)
        self.assertEqual(len(self._activities(CADENCE_ACTIVITY)), 1)
        # Done while the gap lasts: still none.
        activity.action_feedback("Left a voicemail")
        self._run(2)
        self.assertFalse(self._activities(CADENCE_ACTIVITY))
        self.assertTrue(self.customer.out_of_cadence)
        # A contact clears the flag and moves the due date.
        self._contact(3)
        self._run(3)
        self.assertFalse(self.customer.out_of_cadence)
        self.assertEqual(
            self.customer.last_contact_date, self.today + timedelta(days=3)
        )
        self.assertEqual(
            self.customer.contact_due_date, self.today + timedelta(days=33)
        )
        self._run(33)
        self.assertFalse(self.customer.out_of_cadence, "due today is not late yet")
        # The new due date passes: a new gap, a new activity.
        self._run(34)
        self.assertTrue(self.customer.out_of_cadence)
        self.assertEqual(len(self._activities(CADENCE_ACTIVITY)), 1)
        self._run(35)
        self.assertEqual(len(self._activities(CADENCE_ACTIVITY)), 1)

    def test_customer_messages_are_no_contact(self):
        # The customer writing to us does not keep the cadence: we must.
        self.contact.message_post(
            body="Any news?",
            author_id=self.contact.id,
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )
        self._run(0)
        self.assertTrue(self.customer.out_of_cadence)
        answer = self.customer.with_user(self.user).message_post(
            body="Here is the news",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        answer.date = datetime.combine(self.today, time(8))
        self._run(0)
        self.assertFalse(self.customer.out_of_cadence)
        self.assertEqual(self.customer.last_contact_date, self.today)

    def test_business_review_gap(self):
        self._run(0)
        self.assertTrue(self.customer.qbr_overdue)
        self.assertEqual(len(self._activities(REVIEW_ACTIVITY)), 1)
        self._run(1)
        self.assertEqual(len(self._activities(REVIEW_ACTIVITY)), 1)
        # An ordinary meeting is a contact, not a business review.
        ordinary = self._review(2, "Lunch")
        ordinary.categ_ids = False
        self._run(2)
        self.assertTrue(self.customer.qbr_overdue)
        self.assertFalse(self.customer.out_of_cadence)
        self._activities(REVIEW_ACTIVITY).action_feedback("Planned")
        self._review(3)
        self._run(3)
        self.assertFalse(self.customer.qbr_overdue)
        self.assertEqual(self.customer.last_qbr_date, self.today + timedelta(days=3))
        self.assertEqual(self.customer.qbr_due_date, self.today + timedelta(days=95))
        self.assertFalse(self._activities(REVIEW_ACTIVITY))
        self._run(96)
        self.assertTrue(self.customer.qbr_overdue)
        self.assertEqual(len(self._activities(REVIEW_ACTIVITY)), 1)

    def test_no_cadence_never_flagged(self):
        self._run(0)
        self._run(500)
        self.assertFalse(self.small.out_of_cadence)
        self.assertFalse(self.small.qbr_overdue)
        self.assertFalse(self.small.contact_due_date)
        self.assertFalse(self._activities(CADENCE_ACTIVITY, self.small))
        self.assertFalse(self._activities(REVIEW_ACTIVITY, self.small))

    def test_a_tier_losing_its_cadence_clears_the_flag(self):
        self._run(0)
        self.assertTrue(self.customer.out_of_cadence)
        self.customer.write({"tier_override_id": self.regular.id})
        self._run(1)
        self.assertFalse(self.customer.out_of_cadence)
        self.assertFalse(self.customer.qbr_overdue)

    def test_queries_do_not_grow_with_customers(self):
        def customers(count, prefix):
            partners = self.env["res.partner"].create(
                [
                    {
                        "name": f"{prefix} {index}",
                        "is_company": True,
                        "customer_since": self.today - timedelta(days=200),
                        "account_manager_id": self.user.id,
                    }
                    for index in range(count)
                ]
            )
            partners.write(
                {"tier_override_id": self.strategic.id, "tier_override_reason": "Test"}
            )
            return partners

        def queries(day):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self._run(day)
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        # The daily run once the gaps are known, at two sizes.
        few = customers(2, "Few")
        self._run(0)
        quiet_few = queries(0)
        customers(10, "Many")
        self._run(0)
        quiet_many = queries(0)
        self.assertEqual(quiet_few, quiet_many)
        self.assertTrue(all(few.mapped("out_of_cadence")))
        self.assertEqual(
            len(
                self._activities(CADENCE_ACTIVITY, few[0])
                | self._activities(CADENCE_ACTIVITY, few[1])
            ),
            2,
        )
