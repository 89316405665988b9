from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestLogisticsTours(HttpCase):
    def test_shipment_tour(self):
        """A Logistics CRM user browses shipments, tracking and a customer."""
        self.start_tour("/odoo", "logistics_crm_shipment_tour", login="logistics")
