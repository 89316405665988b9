from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from ..models.logistics_phone import normalize_phone
from .common import LogisticsCrmCase

# (as typed or dialled, default region, E.164 or None)
NUMBER_CASES = [
    ("+86 21 6123 4567", "CN", "+862161234567"),
    ("021-61234567", "CN", "+862161234567"),
    ("(021) 6123 4567", "CN", "+862161234567"),
    ("+86 (0)21 6123 4567", "CN", "+862161234567"),
    ("862161234567", "CN", "+862161234567"),
    ("13812345678", "CN", "+8613812345678"),
    ("138-1234-5678", "CN", "+8613812345678"),
    ("0086 138 1234 5678", "CN", "+8613812345678"),
    ("+86 138 1234 5678", None, "+8613812345678"),
    ("0086 138 1234 5678", "US", "+8613812345678"),
    ("+49 40 123456", "CN", "+4940123456"),
    ("0049 40 123456", "CN", "+4940123456"),
    ("040 123456", "DE", "+4940123456"),
    ("  +1 (415) 555-2671 ", "CN", "+14155552671"),
    # Not numbers: letters, too long, too short, empty, wrong types.
    ("call me", "CN", None),
    ("1-800-FLOWERS", "US", None),
    ("1" * 40, "CN", None),
    ("12", "CN", None),
    ("", "CN", None),
    ("+", "CN", None),
    (None, "CN", None),
    (13812345678, "CN", None),
    # A national number of another country read in the default region.
    ("040 123456", "CN", None),
    # A Chinese mobile needs its country when the region is unknown.
    ("13812345678", None, None),
]


@tagged("post_install", "-at_install")
class TestPhoneNormalization(LogisticsCrmCase):
    def test_every_form_of_a_number(self):
        for number, region, expected in NUMBER_CASES:
            with self.subTest(number=number, region=region):
                self.assertEqual(normalize_phone(number, region), expected)

    def test_stored_numbers_follow_writes_and_imports(self):
        cn = self.env.ref("base.cn")
        contact = self.env["res.partner"].create(
            {"name": "Li Wei", "country_id": cn.id, "phone": "021-61234567"}
        )
        self.assertEqual(contact.phone_e164, "+862161234567")
        self.assertFalse(contact.mobile_e164)
        contact.mobile = "138 1234 5678"
        self.assertEqual(contact.mobile_e164, "+8613812345678")
        contact.phone = "not a number"
        self.assertFalse(contact.phone_e164)
        result = self.env["res.partner"].load(
            ["name", "country_id/id", "phone", "mobile"],
            [["Wang Fang", "base.de", "040 123456", "0086 139 0000 1111"]],
        )
        self.assertFalse(result["messages"])
        imported = self.env["res.partner"].browse(result["ids"])
        self.assertEqual(imported.phone_e164, "+4940123456")
        self.assertEqual(imported.mobile_e164, "+8613900001111")


class CallCenterCase(LogisticsCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.cn")
        cls.key = cls.env.ref("logistics_crm.service_tier_key")
        cls.customer.write(
            {
                "tier_id": cls.key.id,
                "account_manager_id": cls.manager.id,
                "phone": "+86 21 6123 4567",
                "country_id": cls.env.ref("base.cn").id,
            }
        )
        cls.contact.write(
            {"mobile": "138 1234 5678", "country_id": cls.env.ref("base.cn").id}
        )
        cls.agent = new_test_user(
            cls.env,
            login="lcrm_agent",
            groups="logistics_crm.logistics_crm_group_user",
            tz="Asia/Shanghai",
        )
        cls.Lookup = cls.env["logistics.caller.lookup"].with_user(cls.agent)
        cls.category = cls.env["logistics.complaint"]._default_category()

    def _complaint(self):
        return {
            "partner_id": self.customer.id,
            "subject": "Late delivery",
            "category_id": self.category.id,
        }


@tagged("post_install", "-at_install")
class TestCallerLookup(CallCenterCase):
    def test_the_caller_is_found_by_every_form_of_the_number(self):
        for number in ("13812345678", "+86 138 1234 5678", "0086 138 1234 5678"):
            with self.subTest(number=number):
                answer = self.Lookup.lookup(number)
                self.assertEqual(answer["status"], "found")
                self.assertEqual(answer["number"], "+8613812345678")
                [match] = answer["matches"]
                self.assertEqual(match["contact"]["id"], self.contact.id)
                self.assertEqual(match["customer"]["id"], self.customer.id)
                self.assertEqual(match["customer"]["tier"], self.key.name)
                self.assertEqual(
                    match["customer"]["account_manager"], self.manager.name
                )
        for number in ("021-61234567", "+86 21 6123 4567", "862161234567"):
            with self.subTest(number=number):
                answer = self.Lookup.lookup(number)
                self.assertEqual(answer["status"], "found")
                self.assertEqual(
                    answer["matches"][0]["contact"]["id"], self.customer.id
                )

    def test_the_callers_file(self):
        open_complaint, closed_complaint = self.env["logistics.complaint"].create(
            [
                {**self._complaint(), "subject": "Damaged pallet"},
                {**self._complaint(), "subject": "Old question"},
            ]
        )
        closed_complaint.write(
            {
                "resolution": "Answered by phone.",
                "stage_id": self.env.ref(
                    "logistics_crm.logistics_complaint_stage_closed"
                ).id,
            }
        )
        on_the_way, delivered = self._create_shipments(2)
        on_the_way.write({"state": "in_transit", "eta": "2026-12-20 08:00:00"})
        delivered.write({"state": "delivered"})
        [match] = self.Lookup.lookup("13812345678")["matches"]
        self.assertEqual(
            [row["id"] for row in match["open_complaints"]], [open_complaint.id]
        )
        self.assertEqual(match["open_complaints"][0]["sla_status"], "Running")
        self.assertEqual(
            match["shipments_in_transit"],
            [
                {
                    "id": on_the_way.id,
                    "name": on_the_way.name,
                    "state": "In Transit",
                    "eta": "2026-12-20 08:00:00",
                }
            ],
        )
        # The complaints opened are the customer's latest interactions.
        names = " | ".join(row["name"] for row in match["last_interactions"])
        self.assertIn(f"{open_complaint.name} Damaged pallet", names)
        self.assertIn(f"{closed_complaint.name} Old question", names)
        self.assertLessEqual(len(match["last_interactions"]), 5)

    def test_a_shared_switchboard_lists_every_contact(self):
        other = self.env["res.partner"].create(
            {
                "name": "Second Desk",
                "parent_id": self.customer.id,
                "phone": "021 6123 4567",
            }
        )
        answer = self.Lookup.lookup("021-61234567")
        self.assertEqual(answer["status"], "several")
        self.assertEqual(
            {match["contact"]["id"] for match in answer["matches"]},
            {self.customer.id, other.id},
        )

    def test_an_unknown_number_offers_to_create(self):
        answer = self.Lookup.lookup("+49 40 123456")
        self.assertEqual(answer["status"], "unknown")
        self.assertEqual(answer["matches"], [])
        self.assertIn("/logistics/call?number=%2B4940123456", answer["screen_pop_url"])

    def test_junk_is_not_a_phone_number(self):
        for junk in ("abc", "1" * 40, "", "12", None, ["+8613812345678"], {"a": 1}):
            with self.subTest(junk=junk):
                answer = self.Lookup.lookup(junk)
                self.assertEqual(answer["status"], "invalid")
                self.assertEqual(answer["message"], "This is not a phone number.")

    def test_only_internal_users_are_answered(self):
        portal = new_test_user(
            self.env, login="lcrm_lookup_portal", groups="base.group_portal"
        )
        with self.assertRaises(AccessError):
            self.env["logistics.caller.lookup"].with_user(portal).lookup("13812345678")
        public = self.env.ref("base.public_user")
        with self.assertRaises(AccessError):
            self.env["logistics.caller.lookup"].with_user(public).lookup("13812345678")

    def test_constant_queries_whatever_the_customer_holds(self):
        def counted(complaints, shipments):
            customer = self.env["res.partner"].create(
                {
                    "name": f"Lookup Co {complaints}",
                    "is_company": True,
                    "tier_id": self.key.id,
                    "account_manager_id": self.manager.id,
                }
            )
            self.env["res.partner"].create(
                {
                    "name": f"Desk {complaints}",
                    "parent_id": customer.id,
                    "mobile": f"+86 139 0000 {complaints:04d}",
                }
            )
            self.env["logistics.complaint"].create(
                [{**self._complaint(), "partner_id": customer.id}] * complaints
            )
            self.env["logistics.shipment"].create(
                [{"partner_id": customer.id, "state": "in_transit"}] * shipments
            )
            self.env.flush_all()
            self.env.invalidate_all()
            return f"+86 139 0000 {complaints:04d}"

        warm_up, small, large = counted(2, 0), counted(1, 1), counted(25, 25)
        # The agent's first request fills the caches of their rights.
        self.Lookup.lookup(warm_up)
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=11):
            self.Lookup.lookup(small)
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=11):
            self.Lookup.lookup(large)


@tagged("post_install", "-at_install")
class TestCallLog(CallCenterCase):
    def _incoming(self, number):
        answer = self.Lookup.lookup(number)
        return (
            self.env["crm.phonecall"]
            .with_user(self.agent)
            ._open_from_screen_pop(answer)
        )

    def test_screen_pop_opens_one_call_for_the_caller(self):
        call = self._incoming("13812345678")
        self.assertEqual(call.direction, "in")
        self.assertEqual(call.state, "open")
        self.assertEqual(call.partner_id, self.contact)
        self.assertEqual(call.customer_id, self.customer)
        self.assertEqual(call.caller_e164, "+8613812345678")
        self.assertEqual(call.user_id, self.agent)
        # The phone system opening the page again for the same ringing call.
        self.assertEqual(self._incoming("0086 138 1234 5678"), call)

    def test_unknown_and_shared_numbers_leave_the_contact_to_the_agent(self):
        unknown = self._incoming("+49 40 123456")
        self.assertFalse(unknown.partner_id)
        self.assertEqual(unknown.caller_match_count, 0)
        self.env["res.partner"].create(
            {
                "name": "Second Desk",
                "parent_id": self.customer.id,
                "phone": "021 6123 4567",
            }
        )
        shared = self._incoming("021-61234567")
        self.assertFalse(shared.partner_id)
        self.assertEqual(shared.caller_match_count, 2)

    def test_new_complaint_from_the_call(self):
        shipment = self._create_shipments(1)
        shipment.state = "in_transit"
        call = self._incoming("13812345678")
        call.write(
            {
                "name": "Container held at customs",
                "shipment_id": shipment.id,
                "description": "Customer asks why the container is held.",
            }
        )
        self.assertEqual(
            call.customer_open_complaint_ids, self.env["logistics.complaint"]
        )
        self.assertEqual(call.customer_transit_shipment_ids, shipment)
        action = call.action_new_complaint()
        complaint = self.env["logistics.complaint"].browse(action["res_id"])
        self.assertEqual(complaint.channel, "call_center")
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.contact_id, self.contact)
        self.assertEqual(complaint.shipment_id, shipment)
        self.assertEqual(complaint.subject, "Container held at customs")
        self.assertEqual(call.complaint_id, complaint)
        self.assertEqual(call.outcome, "complaint")
        # A second click opens the same complaint.
        self.assertEqual(call.action_new_complaint()["res_id"], complaint.id)
        call.invalidate_recordset()
        self.assertEqual(call.customer_open_complaint_ids, complaint)

    def test_no_complaint_without_a_customer(self):
        call = self._incoming("+49 40 123456")
        with self.assertRaises(UserError):
            call.action_new_complaint()
        self.assertFalse(
            self.env["logistics.complaint"].search(
                [("channel", "=", "call_center"), ("partner_id", "=", False)]
            )
        )

    def test_resolved_on_the_call(self):
        call = self._incoming("13812345678")
        call.action_mark_resolved()
        self.assertTrue(call.first_contact_resolved)
        self.assertEqual(call.outcome, "resolved")
        self.assertEqual(call.state, "done")
        self.assertTrue(call.date_closed)

    def test_lead_from_an_unknown_caller(self):
        call = self._incoming("+49 40 123456")
        action = call.action_create_lead()
        lead = self.env["crm.lead"].browse(action["res_id"])
        self.assertEqual(lead.phone, "+49 40 123456")
        self.assertEqual(call.opportunity_id, lead)
