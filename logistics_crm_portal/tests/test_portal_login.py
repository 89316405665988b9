from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestPortalLogin(HttpCase):
    def test_demo_portal_login_gets_portal_home(self):
        user = self.env.ref("base.demo_user0")
        self.assertTrue(user.has_group("base.group_portal"))
        self.assertFalse(user.has_group("base.group_user"))
        self.assertEqual(
            user.partner_id.commercial_partner_id,
            self.env.ref("logistics_crm.res_partner_customer_demo"),
        )
        self.authenticate("portal", "portal")
        response = self.url_open("/my")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_portal_my_home", response.text)
        # The back office is not for portal users: /odoo sends them to /my.
        response = self.url_open("/odoo")
        self.assertTrue(response.url.endswith("/my"), response.url)
