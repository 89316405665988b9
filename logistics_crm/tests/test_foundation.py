from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestFoundation(HttpCase):
    def test_groups_manager_implies_user_and_admin_is_manager(self):
        manager = self.env.ref("logistics_crm.logistics_crm_group_manager")
        user_group = self.env.ref("logistics_crm.logistics_crm_group_user")
        self.assertIn(user_group, manager.all_implied_ids)
        self.assertTrue(
            self.env.ref("base.user_admin").has_group(
                "logistics_crm.logistics_crm_group_manager"
            )
        )
        self.assertEqual(manager.privilege_id.name, "Logistics CRM")

    def test_demo_internal_login_sees_logistics_menu(self):
        user = self.env.ref("logistics_crm.res_users_logistics_demo")
        self.assertEqual(user.login, "logistics")
        self.assertTrue(user.has_group("logistics_crm.logistics_crm_group_user"))
        self.assertFalse(user.has_group("logistics_crm.logistics_crm_group_manager"))
        # The password is checked by a real login over HTTP.
        self.authenticate("logistics", "logistics")
        response = self.url_open("/odoo")
        self.assertEqual(response.status_code, 200)
        menus = self.env["ir.ui.menu"].with_user(user).load_menus(debug=False)
        root = self.env.ref("logistics_crm.logistics_crm_menu_root")
        self.assertIn(root.id, menus["root"]["children"])
        customers = self.env.ref("logistics_crm.res_partner_menu")
        self.assertIn(customers.id, menus)

    def test_menu_hidden_from_users_without_the_group(self):
        outsider = self.env["res.users"].create(
            {
                "name": "No Logistics",
                "login": "no_logistics",
                "group_ids": [(6, 0, [self.env.ref("base.group_user").id])],
            }
        )
        menus = self.env["ir.ui.menu"].with_user(outsider).load_menus(debug=False)
        root = self.env.ref("logistics_crm.logistics_crm_menu_root")
        self.assertNotIn(root.id, menus["root"]["children"])
