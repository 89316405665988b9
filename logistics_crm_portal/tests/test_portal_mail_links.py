from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.logistics_crm.models import (
    logistics_complaint as base_complaint,
)
from odoo.addons.logistics_crm.models import (
    logistics_quote as base_quote,
)
from odoo.addons.logistics_crm.models import (
    logistics_shipment as base_shipment,
)

from ..models import logistics_complaint, logistics_quote, logistics_shipment
from .common import LogisticsPortalCase

# Each model's access_url: the portal addon's override, and the base
# addon's own computation it replaces.
ACCESS_URL_COMPUTES = {
    "logistics.shipment": (
        logistics_shipment.LogisticsShipment,
        base_shipment.LogisticsShipment,
    ),
    "logistics.complaint": (
        logistics_complaint.LogisticsComplaint,
        base_complaint.LogisticsComplaint,
    ),
    "logistics.quote": (logistics_quote.LogisticsQuote, base_quote.LogisticsQuote),
}


@tagged("post_install", "-at_install")
class TestPortalMailLinks(LogisticsPortalCase):
    """The back office's mail templates link through ``get_portal_url()``:
    to the customer portal's page with this addon, to the record in the
    back office without it (the base addon knows no /my/ URL)."""

    def _linking_templates(self):
        records = {
            "logistics.shipment": self.shipment_a,
            "logistics.complaint": self.complaint_a,
            "logistics.quote": self.quote_a,
        }
        templates = self.env["mail.template"].search([("model", "in", list(records))])
        cases = [
            (template, records[template.model])
            for template in templates
            if template.get_external_id()[template.id].startswith("logistics_crm.")
            and "get_portal_url()" in (template.body_html or "")
        ]
        models = {record._name for _template, record in cases}
        self.assertIn("logistics.quote", models)
        self.assertIn("logistics.shipment", models)
        return cases

    def _body(self, template, record):
        return template._render_field("body_html", record.ids)[record.id]

    def test_templates_link_to_the_portal(self):
        cases = self._linking_templates()
        for template, record in cases:
            body = self._body(template, record)
            self.assertIn(f"{record.access_url}?", body, template.name)
            self.assertIn("/my/", record.access_url)

    def test_templates_link_to_the_back_office_without_the_portal(self):
        cases = self._linking_templates()
        patches = [
            patch.object(
                portal_class,
                "_compute_access_url",
                base_class.__dict__["_compute_access_url"],
            )
            for portal_class, base_class in ACCESS_URL_COMPUTES.values()
        ]
        for patcher in patches:
            patcher.start()
            self.addCleanup(patcher.stop)
        for template, record in cases:
            record.invalidate_recordset(["access_url"])
            body = self._body(template, record)
            self.assertIn(f"/odoo/{record._name}/{record.id}?", body, template.name)
            self.assertNotIn("/my/", body, template.name)
