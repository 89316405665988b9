from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import LogisticsCrmCase


@tagged("post_install", "-at_install")
class TestLane(LogisticsCrmCase):
    def _lane_vals(self, **overrides):
        return {
            "partner_id": self.customer.id,
            "origin_city": "Shenzhen",
            "origin_country_id": self.env.ref("base.cn").id,
            "destination_city": "Madrid",
            "destination_country_id": self.env.ref("base.es").id,
            "mode": "air",
            "volume_quantity": 2.5,
            "volume_unit": "tonne",
            "frequency": "week",
            **overrides,
        }

    def _assert_sql_constraint(self, vals, message):
        Lane = self.env["logistics.lane"]
        with (
            self.assertRaises(IntegrityError) as caught,
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            Lane.create(vals)
            Lane.flush_model()
        self.assertIn(message, Lane._sql_error_to_message(caught.exception))

    def test_volume_must_be_positive(self):
        for volume in (0, -3):
            self._assert_sql_constraint(
                self._lane_vals(volume_quantity=volume),
                "The expected volume of a lane must be positive.",
            )

    def test_transit_time_cannot_be_negative(self):
        self._assert_sql_constraint(
            self._lane_vals(transit_time_target_hours=-1),
            "The transit-time target cannot be negative.",
        )

    def test_origin_must_differ_from_destination(self):
        with self.assertRaisesRegex(ValidationError, "must differ"):
            self.env["logistics.lane"].create(
                self._lane_vals(
                    destination_city=" shenzhen ",
                    destination_country_id=self.env.ref("base.cn").id,
                )
            )
        # The same city with different ports is a real lane (port to airport).
        lane = self.env["logistics.lane"].create(
            self._lane_vals(
                destination_city="Shenzhen",
                destination_country_id=self.env.ref("base.cn").id,
                origin_location_code="CNYTN",
                destination_location_code="SZX",
            )
        )
        self.assertTrue(lane)
        with self.assertRaisesRegex(ValidationError, "must differ"):
            self.lane.write(
                {
                    "destination_city": "Shanghai",
                    "destination_country_id": self.env.ref("base.cn").id,
                }
            )

    def test_display_name(self):
        self.assertEqual(self.lane.display_name, "Shanghai -> Rotterdam, Sea FCL")
        with Form(self.env["logistics.lane"]) as form:
            form.partner_id = self.customer
            form.origin_city = "Hamburg"
            form.origin_country_id = self.env.ref("base.de")
            form.destination_city = "Munich"
            form.destination_country_id = self.env.ref("base.de")
            form.mode = "road_ftl"
            form.volume_quantity = 15
        self.assertEqual(form.record.display_name, "Hamburg -> Munich, Road FTL")

    def test_lane_feeds_shipment_route(self):
        shipment = self._create_shipments(1)
        self.assertEqual(shipment.mode, "sea_fcl")
        self.assertEqual(shipment.origin_city, "Shanghai")
        self.assertEqual(shipment.destination_country_id, self.env.ref("base.nl"))
