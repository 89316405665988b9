from odoo.modules.module import get_manifest
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
        # The installed version is the manifest's: 19.0.x.y.z, upgraded by -u.
        manifest = get_manifest("logistics_crm")
        self.assertTrue(manifest["version"].startswith("19.0."))
        self.assertEqual(module.installed_version, manifest["version"])
