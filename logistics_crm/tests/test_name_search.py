import re

from odoo import fields
from odoo.tests import tagged

from .common import LogisticsCrmCase

ADDONS = ("logistics_crm", "logistics_crm_portal")


@tagged("post_install", "-at_install")
class TestNameSearch(LogisticsCrmCase):
    """Models without a name field search their display name on the fields
    it is made of: without that, a many2one offers every record whatever is
    typed (and logs 'Cannot search on display_name')."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Records of the models the demo data has none of.
        complaint = cls.env["logistics.complaint"].create(
            {
                "subject": "Pallets late",
                "partner_id": cls.customer.id,
                "category_id": cls.env.ref(
                    "logistics_crm.logistics_complaint_category_delay"
                ).id,
            }
        )
        complaint.stage_id = cls.env.ref(
            "logistics_crm.logistics_complaint_stage_waiting"
        )
        shipment = cls._create_shipments(1)
        cls.env["logistics.kpi.export.job"].create(
            {"date_from": "2026-01-01", "date_to": "2026-03-31"}
        )
        cls.env["logistics.notification.log"].create(
            {
                "shipment_id": shipment.id,
                "partner_id": cls.contact.id,
                "event_code": "delivered",
                "event_date": fields.Datetime.now(),
                "channel": "email",
                "mode": "immediate",
            }
        )

    def _unnamed_models(self):
        data = self.env["ir.model.data"].search(
            [("model", "=", "ir.model"), ("module", "in", ADDONS)]
        )
        names = set(self.env["ir.model"].browse(data.mapped("res_id")).mapped("model"))
        return sorted(
            name
            for name in names
            if name in self.env
            and not self.env[name]._abstract
            and not self.env[name]._transient
            and not self.env[name]._rec_name
        )

    def test_unnamed_models_search_their_display_name(self):
        models = self._unnamed_models()
        self.assertIn("logistics.lane", models)
        for model in models:
            with self.subTest(model=model):
                Model = self.env[model]
                record = Model.search([], limit=1)
                self.assertTrue(record, f"no record of {model} to look for")
                self.assertFalse(Model.name_search("zzz-nothing-matches"))
                fragment = re.findall(r"[\w/]+", record.display_name)[0]
                found = [pair[0] for pair in Model.name_search(fragment, limit=None)]
                self.assertIn(record.id, found, f"{fragment!r} of {model}")

    def test_lane_is_found_as_it_reads(self):
        Lane = self.env["logistics.lane"]
        other = self.lane.copy({"destination_city": "Hamburg", "mode": "air"})

        def found(text):
            return Lane.browse(pair[0] for pair in Lane.name_search(text, limit=None))

        self.assertIn(self.lane, found("rotterd"))
        self.assertNotIn(other, found("rotterd"))
        self.assertIn(self.lane, found(self.lane.display_name))
        self.assertNotIn(other, found(self.lane.display_name))
        self.assertIn(other, found("Shanghai -> Hamburg, Air"))
        self.assertIn(self.lane, found("Sea FCL"))
        self.assertNotIn(other, found("Sea FCL"))
        self.lane.origin_location_code = "CNSHA"
        self.assertIn(self.lane, found("cnsha"))
        self.assertNotIn(
            self.lane, Lane.search([("display_name", "not ilike", "rotterd")])
        )

    def test_lane_search_fields_are_trigram_indexed(self):
        Lane = self.env["logistics.lane"]
        for fname in Lane._rec_names_search:
            self.assertEqual(Lane._fields[fname].index, "trigram", fname)
