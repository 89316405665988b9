from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    def test_both_addons_installed_together(self):
        modules = self.env["ir.module.module"].search(
            [("name", "in", ["logistics_crm", "logistics_crm_portal"])]
        )
        self.assertEqual(set(modules.mapped("state")), {"installed"})
        portal = modules.filtered(lambda m: m.name == "logistics_crm_portal")
        self.assertTrue(portal.auto_install)

    def test_logistics_crm_is_an_application(self):
        module = self.env["ir.module.module"].search([("name", "=", "logistics_crm")])
        self.assertTrue(module.application)
        self.assertEqual(module.installed_version, "19.0.1.0.0")
