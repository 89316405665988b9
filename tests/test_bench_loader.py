"""The benchmark's bulk loader writes exactly what the ORM would have written."""

from collections import Counter

from lcrm_bench.loader import Loader

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestBenchLoader(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stats = Loader(cls.env, "small", seed=7).load()
        cls.Shipment = cls.env["logistics.shipment"]
        cls.shipments = cls.Shipment.search(
            [("partner_id.name", "=like", "Bench Customer %")]
        )

    def test_volumes_and_distributions(self):
        stats = self.stats
        self.assertEqual(
            (stats["customers"], stats["lanes"], stats["shipments"]),
            (500, 1500, 20_000),
        )
        self.assertEqual(len(self.shipments), 20_000)
        self.assertTrue(3.0 <= stats["events"] / stats["shipments"] <= 4.5, stats)
        delivered = self.shipments.filtered(lambda s: s.state == "delivered")
        late_share = 1 - sum(delivered.mapped("is_on_time")) / len(delivered)
        self.assertTrue(0.05 <= late_share <= 0.10, late_share)
        exception_share = stats["exceptions"] / stats["shipments"]
        self.assertTrue(0.01 <= exception_share <= 0.03, exception_share)
        # Pareto: the top fifth of the customers carries most of the volume.
        volumes = sorted(
            Counter(s.partner_id.id for s in self.shipments).values(), reverse=True
        )
        self.assertGreater(sum(volumes[:100]) / sum(volumes), 0.6)

    def test_loaded_rows_equal_orm_recomputation(self):
        shipments = self.shipments
        tracked = [
            "state",
            "eta",
            "actual_pickup_date",
            "actual_delivery_date",
            "last_event_time",
        ]
        computed = [
            name
            for name, field in self.Shipment._fields.items()
            if field.store and field.compute
        ]
        self.assertIn("is_on_time", computed)
        loaded = shipments.read(tracked + computed, load=None)
        self.env.invalidate_all()
        # Replay the events the way the ingest does, then every stored compute.
        shipments._apply_tracking_events()
        for name in computed:
            self.env.add_to_compute(self.Shipment._fields[name], shipments)
        recomputed = shipments.read(tracked + computed, load=None)
        mismatches = [
            (before["id"], name, before[name], after[name])
            for before, after in zip(loaded, recomputed, strict=True)
            for name in tracked + computed
            if before[name] != after[name]
        ]
        self.assertFalse(mismatches[:10], f"{len(mismatches)} differences")

        self.env.cr.execute(
            """
            SELECT count(*) FROM logistics_shipment_exception x
              JOIN logistics_shipment s ON s.id = x.shipment_id
             WHERE x.partner_id IS DISTINCT FROM s.partner_id
            """
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        self.assertEqual(
            shipments.filtered("has_open_exception"),
            shipments.exception_ids.filtered(
                lambda e: e.state != "resolved"
            ).shipment_id,
        )

    def test_sequence_continues_after_loaded_numbers(self):
        new = self.Shipment.create({"partner_id": self.shipments[0].partner_id.id})
        self.assertFalse(
            self.Shipment.search_count([("name", "=", new.name), ("id", "!=", new.id)])
        )
        self.assertGreater(new.name, max(self.shipments.mapped("name")))
