import json
from datetime import datetime, timedelta
from xmlrpc.client import Fault

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestCallCenterHttp(HttpCase):
    """The lookup as a phone system calls it (JSON-2, XML-RPC with an API
    key, the screen-pop URL), and who it refuses."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cn = cls.env.ref("base.cn")
        cls.env.company.country_id = cn
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Screen Pop Freight Co",
                "is_company": True,
                "country_id": cn.id,
                "phone": "+86 21 6123 4567",
                "tier_id": cls.env.ref("logistics_crm.service_tier_key").id,
            }
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Zhang Min",
                "parent_id": cls.customer.id,
                "country_id": cn.id,
                "mobile": "138 1234 5678",
            }
        )
        cls.shipment = cls.env["logistics.shipment"].create(
            {
                "partner_id": cls.customer.id,
                "state": "in_transit",
                "eta": "2026-12-24 10:00:00",
            }
        )
        cls.agent = new_test_user(
            cls.env,
            login="lcrm_pop_agent",
            groups="logistics_crm.logistics_crm_group_user",
        )
        cls.portal = new_test_user(
            cls.env, login="lcrm_pop_portal", groups="base.group_portal"
        )

    def _api_key(self, user):
        return (
            self.env["res.users.apikeys"]
            .with_user(user)
            ._generate("rpc", "PBX", datetime.now() + timedelta(days=1))
        )

    def _json2(self, user, number):
        return self.url_open(
            "/json/2/logistics.caller.lookup/lookup",
            data=json.dumps({"number": number}),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {self._api_key(user)}",
            },
        )

    def test_json2_lookup_with_an_api_key(self):
        response = self._json2(self.agent, "0086 138 1234 5678")
        self.assertEqual(response.status_code, 200)
        answer = response.json()
        self.assertEqual(answer["status"], "found")
        self.assertEqual(answer["matches"][0]["contact"]["name"], "Zhang Min")
        self.assertEqual(
            answer["matches"][0]["shipments_in_transit"][0]["name"], self.shipment.name
        )
        junk = self._json2(self.agent, "DROP TABLE res_partner")
        self.assertEqual(junk.status_code, 200)
        self.assertEqual(junk.json()["status"], "invalid")

    @mute_logger("odoo.http")
    def test_json2_refuses_portal_keys(self):
        response = self._json2(self.portal, "13812345678")
        self.assertEqual(response.status_code, 403)
        self.assertNotIn("Zhang Min", response.text)

    @mute_logger("odoo.addons.rpc.controllers.xmlrpc", "odoo.http")
    def test_xmlrpc_lookup_with_an_api_key(self):
        def call(user, number):
            return self.xmlrpc_object.execute_kw(
                self.env.cr.dbname,
                user.id,
                self._api_key(user),
                "logistics.caller.lookup",
                "lookup",
                [number],
            )

        answer = call(self.agent, "+86 21 6123 4567")
        self.assertEqual(answer["status"], "found")
        self.assertEqual(answer["matches"][0]["customer"]["tier"], "Key")
        self.assertEqual(call(self.agent, "1" * 40)["status"], "invalid")
        with self.assertRaises(Fault):
            call(self.portal, "13812345678")

    def test_screen_pop_refuses_anonymous_and_portal_users(self):
        anonymous = self.url_open(
            "/logistics/call?number=13812345678", allow_redirects=False
        )
        self.assertIn(anonymous.status_code, (302, 303))
        self.assertIn("/web/login", anonymous.headers["Location"])
        self.authenticate("lcrm_pop_portal", "lcrm_pop_portal")
        portal = self.url_open(
            "/logistics/call?number=13812345678", allow_redirects=False
        )
        self.assertEqual(portal.status_code, 403)
        self.assertNotIn("Zhang Min", portal.text)
        self.assertFalse(
            self.env["crm.phonecall"].search([("caller_e164", "=", "+8613812345678")])
        )

    def test_screen_pop_answers_junk_with_a_page(self):
        self.authenticate("lcrm_pop_agent", "lcrm_pop_agent")
        for junk in ("letters", "9" * 40, ""):
            with self.subTest(junk=junk):
                response = self.url_open(f"/logistics/call?number={junk}")
                self.assertEqual(response.status_code, 400)
                self.assertIn("This is not a phone number", response.text)

    def test_screen_pop_tour(self):
        """A call comes in, the agent opens the customer and files a
        complaint from the call."""
        self.start_tour(
            "/logistics/call?number=021-61234567",
            "logistics_crm_call_center_tour",
            login="lcrm_pop_agent",
        )
        call = self.env["crm.phonecall"].search([("caller_e164", "=", "+862161234567")])
        self.assertEqual(len(call), 1)
        self.assertEqual(call.direction, "in")
        self.assertEqual(call.user_id, self.agent)
        self.assertEqual(call.customer_id, self.customer)
        self.assertEqual(call.complaint_id.channel, "call_center")
        self.assertEqual(call.complaint_id.subject, "Reefer container arrived warm")
        self.assertEqual(call.outcome, "complaint")
