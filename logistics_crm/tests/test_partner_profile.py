from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import freeze_time, new_test_user, tagged

from .common import LogisticsCrmCase

# Odoo's credit limit and payment terms replaced the addon's own fields:
# still confidential, to managers (who bill) and Odoo's billing users.
CONFIDENTIAL = [
    "credit_limit",
    "use_partner_credit_limit",
    "credit",
    "logistics_overdue_amount",
    "logistics_credit_rating",
]


@tagged("post_install", "-at_install")
class TestPartnerProfile(LogisticsCrmCase):
    def test_confidential_fields_hidden_from_users(self):
        self.customer.write({"credit_limit": 50000, "logistics_credit_rating": "b"})
        as_user = self.customer.with_user(self.user)
        self.assertFalse(set(CONFIDENTIAL) & set(as_user.fields_get()))
        for fname in CONFIDENTIAL:
            with self.assertRaises(AccessError):
                as_user.read([fname])
        with self.assertRaises(AccessError):
            as_user.write({"credit_limit": 1})
        # Nor can they be guessed through a search on them.
        with self.assertRaises(AccessError):
            as_user.search([("credit_limit", ">", 10000)])
        as_manager = self.customer.with_user(self.manager)
        self.assertEqual(as_manager.credit_limit, 50000)
        self.assertEqual(
            as_manager.read(["logistics_credit_rating"])[0]["logistics_credit_rating"],
            "b",
        )

    def test_users_without_credit_rights_create_partners(self):
        sales_only = new_test_user(
            self.env,
            login="lcrm_sales",
            groups="base.group_user,base.group_partner_manager",
        )
        for user in (self.user, sales_only):
            partner = (
                self.env["res.partner"]
                .with_user(user)
                .create({"name": f"Created by {user.login}", "is_company": True})
            )
            self.assertEqual(partner.logistics_invoicing_policy, "shipment")

    @freeze_time("2026-06-30")
    def test_years_of_cooperation(self):
        self.customer.customer_since = date(2023, 6, 30)
        self.assertAlmostEqual(self.customer.years_of_cooperation, 3.0, places=1)
        self.customer.customer_since = date(2026, 12, 31)  # not a customer yet
        self.assertEqual(self.customer.years_of_cooperation, 0.0)
        self.customer.customer_since = False
        self.assertEqual(self.customer.years_of_cooperation, 0.0)

    @freeze_time("2026-06-30")
    def test_review_cron_schedules_exactly_one_activity(self):
        activity_type = self.env.ref("logistics_crm.mail_activity_type_profile_review")
        fresh = self.env["res.partner"].create(
            {
                "name": "Fresh Profile Ltd.",
                "is_company": True,
                "account_manager_id": self.user.id,
                "profile_reviewed_date": date(2026, 6, 1),
                "profile_review_cadence_days": 90,
            }
        )
        self.customer.write(
            {
                "account_manager_id": self.user.id,
                "profile_reviewed_date": date(2025, 6, 1),
                "profile_review_cadence_days": 180,
            }
        )
        self.assertEqual(self.customer.profile_review_due_date, date(2025, 11, 28))
        overdue = self.env["res.partner"].search(
            [
                ("profile_review_due_date", "<=", "2026-06-30"),
                ("id", "in", (fresh | self.customer).ids),
            ]
        )
        self.assertEqual(overdue, self.customer)

        def review_activities(partner):
            return partner.activity_ids.filtered(
                lambda act: act.activity_type_id == activity_type
            )

        Partner = self.env["res.partner"]
        Partner._cron_schedule_profile_reviews()
        Partner._cron_schedule_profile_reviews()  # a second run adds nothing
        activity = review_activities(self.customer)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.user)
        self.assertFalse(review_activities(fresh))

        self.customer.with_user(self.user).action_mark_profile_reviewed()
        self.assertFalse(review_activities(self.customer))
        self.assertEqual(self.customer.profile_reviewed_date, date(2026, 6, 30))
        self.assertEqual(self.customer.profile_reviewed_by_id, self.user)
        Partner._cron_schedule_profile_reviews()
        self.assertFalse(review_activities(self.customer))

    def test_smart_button_counts_in_constant_queries(self):
        partners = self.env["res.partner"].create(
            [{"name": f"Customer {n}", "is_company": True} for n in range(50)]
        )
        self.env["logistics.lane"].create(
            [
                {
                    "partner_id": partner.id,
                    "origin_city": "Ningbo",
                    "origin_country_id": self.env.ref("base.cn").id,
                    "destination_city": "Hamburg",
                    "destination_country_id": self.env.ref("base.de").id,
                    "mode": "sea_fcl",
                    "volume_quantity": 1,
                }
                for partner in partners[:10]
            ]
        )
        self._create_shipments(3)
        contact = self.contact
        self.env.invalidate_all()

        def count_queries(records):
            self.env.invalidate_all()
            # the commercial partners and the grouped counts of the three
            # models (lanes, shipments, complaints) in one query
            with self.assertQueryCount(1):
                records = records.with_env(self.env)
                return [
                    (p.logistics_lane_count, p.logistics_shipment_count)
                    for p in records
                ]

        self.assertEqual(count_queries(self.customer), [(1, 3)])
        counts = count_queries(partners)
        self.assertEqual(counts[:10], [(1, 0)] * 10)
        self.assertEqual(counts[10:], [(0, 0)] * 40)
        # A contact shows the counts of its company.
        self.assertEqual(count_queries(contact), [(1, 3)])
        # The form being edited counts its saved record; a new one has none.
        edited = self.env["res.partner"].new(origin=self.customer)
        self.assertEqual(edited.logistics_shipment_count, 3)
        self.assertEqual(self.env["res.partner"].new({}).logistics_shipment_count, 0)
        # Archived records are not counted.
        self.customer.logistics_lane_ids.action_archive()
        self.assertEqual(count_queries(self.customer), [(0, 3)])

    def test_smart_button_actions_open_the_customer_records(self):
        action = self.contact.action_view_logistics_lanes()
        self.assertEqual(action["res_model"], "logistics.lane")
        self.assertEqual(action["domain"], [("partner_id", "=", self.customer.id)])
        self.assertEqual(self.env["logistics.lane"].search(action["domain"]), self.lane)
