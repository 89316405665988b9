from datetime import datetime

from odoo.tests import freeze_time, tagged

from .common import LogisticsCrmCase

FEED = (
    # (external id, code, event time UTC, new ETA)
    ("e1", "booked", "2026-03-01T08:00:00Z", None),
    ("e2", "picked_up", "2026-03-02T09:00:00Z", None),
    ("e3", "departed", "2026-03-03T10:00:00Z", "2026-03-09T12:00:00Z"),
    ("e4", "arrived_hub", "2026-03-06T10:00:00Z", "2026-03-11T06:00:00Z"),
    ("e5", "out_for_delivery", "2026-03-10T08:00:00Z", None),
    ("e6", "delivered", "2026-03-10T13:30:00Z", None),
)


@freeze_time("2026-03-20 12:00:00")
@tagged("post_install", "-at_install")
class TestShipmentEvents(LogisticsCrmCase):
    def _feed_items(self, shipment, feed=FEED):
        return [
            {
                "shipment": shipment.name,
                "external_id": ext,
                "code": code,
                "event_time": when,
                "new_eta": eta,
                "location": "Rotterdam",
            }
            for ext, code, when, eta in feed
        ]

    def _final_state(self, shipment):
        return (
            shipment.state,
            shipment.eta,
            shipment.actual_pickup_date,
            shipment.actual_delivery_date,
            shipment.is_on_time,
        )

    def test_sequence_and_commercial_customer(self):
        shipment = self.env["logistics.shipment"].create(
            {"partner_id": self.contact.id, "lane_id": self.lane.id}
        )
        self.assertTrue(shipment.name.startswith("SHP/"))
        self.assertEqual(shipment.partner_id, self.customer)
        self.assertEqual(shipment.contact_id, self.contact)
        self.assertEqual(shipment.margin, 0.0)
        shipment.write({"revenue": 1500, "cost": 1100})
        self.assertEqual(shipment.margin, 400)

    def test_in_order_feed(self):
        shipment = self._create_shipments(1)
        results = self._ingest(self._feed_items(shipment))
        self.assertEqual([r["status"] for r in results], ["created"] * len(FEED))
        self.assertEqual(
            self._final_state(shipment),
            (
                "delivered",
                datetime(2026, 3, 11, 6, 0),
                datetime(2026, 3, 2, 9, 0),
                datetime(2026, 3, 10, 13, 30),
                True,
            ),
        )
        self.assertEqual(len(shipment.event_ids), len(FEED))

    def test_out_of_order_arrival_gives_the_same_state(self):
        in_order, shuffled, one_by_one = self._create_shipments(3)
        self._ingest(self._feed_items(in_order))
        items = self._feed_items(shuffled)
        self._ingest(list(reversed(items)))
        for index in (3, 0, 5, 1, 4, 2):
            self._ingest([self._feed_items(one_by_one)[index]])
        expected = self._final_state(in_order)
        self.assertEqual(self._final_state(shuffled), expected)
        self.assertEqual(self._final_state(one_by_one), expected)

    def test_late_event_does_not_move_status_backward(self):
        shipment = self._create_shipments(1)
        self._ingest(self._feed_items(shipment, FEED[:4]))
        self.assertEqual(shipment.state, "in_transit")
        # A pick-up scan delivered hours late by the feed, older than the rest.
        self._ingest(
            [
                {
                    "shipment": shipment.name,
                    "external_id": "late-scan",
                    "code": "picked_up",
                    "event_time": "2026-03-02T07:00:00Z",
                }
            ]
        )
        self.assertEqual(shipment.state, "in_transit")
        self.assertEqual(shipment.actual_pickup_date, datetime(2026, 3, 2, 7, 0))

    def test_ui_booking_does_not_hide_earlier_carrier_scans(self):
        shipment = self._create_shipments(1)
        # Booked in the UI at the click, the carrier's scans of that morning
        # come in afterwards.
        shipment.action_book()
        self.assertEqual(shipment.state, "booked")
        self._ingest(
            self._feed_items(
                shipment, [("scan-1", "picked_up", "2026-03-20T09:00:00Z", None)]
            )
        )
        self.assertEqual(shipment.state, "picked_up")
        self.assertEqual(shipment.last_event_time, datetime(2026, 3, 20, 9, 0))

    def test_late_scan_after_delivery_does_not_reopen_the_shipment(self):
        shipment = self._create_shipments(1)
        self._ingest(self._feed_items(shipment))
        # A departure scan of a wrong leg, timed after the delivery.
        self._ingest(
            self._feed_items(
                shipment, [("late", "departed", "2026-03-11T10:00:00Z", None)]
            )
        )
        self.assertEqual(shipment.state, "delivered")
        self.assertEqual(shipment.last_event_time, datetime(2026, 3, 10, 13, 30))
        # Removing the wrong delivery is a correction: the status follows.
        shipment.event_ids.filtered(lambda e: e.code == "delivered").unlink()
        self.assertEqual(shipment.state, "at_destination")

    def test_ingest_is_idempotent(self):
        shipment = self._create_shipments(1)
        items = self._feed_items(shipment, FEED[:3])
        first = self._ingest(items)
        again = self._ingest(items + [items[0]])
        self.assertEqual([r["status"] for r in again], ["duplicate"] * 4)
        self.assertEqual([r["id"] for r in again[:3]], [r["id"] for r in first])
        self.assertEqual(len(shipment.event_ids), 3)
        # Same external id from another source is another event.
        other = self._ingest([dict(items[0], source="import")])
        self.assertEqual(other[0]["status"], "created")
        # Duplicates inside one batch count once.
        fresh = [dict(items[1], external_id="dup"), dict(items[1], external_id="dup")]
        self.assertEqual(
            [r["status"] for r in self._ingest(fresh)], ["created", "duplicate"]
        )

    def test_per_event_errors_do_not_fail_the_batch(self):
        shipment = self._create_shipments(1)
        good = self._feed_items(shipment, FEED[:1])[0]
        results = self._ingest(
            [
                dict(good, shipment="SHP/NOPE/000001", external_id="x1"),
                dict(good, code="teleported", external_id="x2"),
                dict(good, event_time="2027-01-01T00:00:00Z", external_id="x3"),
                {"shipment": shipment.name, "code": "booked"},
                dict(good, event_time="yesterday-ish", external_id="x5"),
                dict(
                    good,
                    tz="Mars/Olympus",
                    event_time="2026-03-01T08:00:00",
                    external_id="x6",
                ),
                "not a dict",
                good,
            ]
        )
        self.assertEqual([r["status"] for r in results], ["error"] * 7 + ["created"])
        errors = [r["error"] for r in results]
        self.assertIn("Unknown shipment SHP/NOPE/000001", errors[0])
        self.assertIn("Unknown event code teleported", errors[1])
        self.assertIn("too far in the future", errors[2])
        self.assertIn("Missing field(s): event_time", errors[3])
        self.assertIn("use ISO 8601", errors[4])
        self.assertIn("Unknown time zone Mars/Olympus", errors[5])
        self.assertIn("named values", errors[6])
        self.assertFalse(results[7]["error"])
        self.assertEqual(len(shipment.event_ids), 1)
        self.assertEqual(shipment.state, "booked")

    def test_time_zones_are_stored_in_utc(self):
        shipment = self._create_shipments(1)
        results = self._ingest(
            [
                {
                    "shipment": shipment.name,
                    "external_id": "tz1",
                    "code": "picked_up",
                    "event_time": "2026-03-02T17:00:00+08:00",
                },
                {
                    "shipment": shipment.name,
                    "external_id": "tz2",
                    "code": "departed",
                    "event_time": "2026-03-03 09:30:00",
                    "tz": "Europe/Amsterdam",
                },
            ]
        )
        events = self.env["logistics.shipment.event"].browse([r["id"] for r in results])
        self.assertEqual(events[0].event_time, datetime(2026, 3, 2, 9, 0))
        self.assertEqual(events[1].event_time, datetime(2026, 3, 3, 8, 30))
        # Shown in the reader's zone: this user works in Shanghai (UTC+8).
        shown = events[0].with_user(self.user).with_context(tz="Asia/Shanghai")
        self.assertEqual(
            str(
                shown._fields["event_time"].convert_to_display_name(
                    shown.event_time, shown
                )
            ),
            "2026-03-02 17:00:00",
        )

    def test_eta_updates_and_late_risk(self):
        shipment = self._create_shipments(1)
        self._ingest(self._feed_items(shipment, FEED[:3]))
        self.assertEqual(shipment.eta, datetime(2026, 3, 9, 12, 0))
        self.assertFalse(shipment.is_late_risk)
        self._ingest(
            [
                {
                    "shipment": shipment.name,
                    "external_id": "eta",
                    "code": "eta_updated",
                    "event_time": "2026-03-05T00:00:00Z",
                    "new_eta": "2026-03-12T00:00:00Z",
                }
            ]
        )
        self.assertEqual(shipment.state, "in_transit")
        self.assertEqual(shipment.eta, datetime(2026, 3, 12, 0, 0))
        self.assertTrue(shipment.is_late_risk)
        # An older ETA estimate arriving late does not replace the newer one.
        self._ingest(
            [
                {
                    "shipment": shipment.name,
                    "external_id": "eta-old",
                    "code": "eta_updated",
                    "event_time": "2026-03-04T00:00:00Z",
                    "new_eta": "2026-03-08T00:00:00Z",
                }
            ]
        )
        self.assertEqual(shipment.eta, datetime(2026, 3, 12, 0, 0))

    def test_on_time_at_the_tolerance_boundary(self):
        # Promised 2026-03-10 12:00 UTC, tolerance 2 h.
        on_edge, late, early = self._create_shipments(3)
        for shipment, delivered in (
            (on_edge, "2026-03-10T14:00:00Z"),
            (late, "2026-03-10T14:00:01Z"),
            (early, "2026-03-09T18:00:00Z"),
        ):
            self._ingest(
                [
                    {
                        "shipment": shipment.name,
                        "external_id": "d",
                        "code": "delivered",
                        "event_time": delivered,
                    }
                ]
            )
        self.assertTrue(on_edge.is_on_time)
        self.assertFalse(late.is_on_time)
        self.assertAlmostEqual(late.delivery_delay_hours, 2.0, places=2)
        self.assertTrue(early.is_on_time)
        self.assertEqual(early.delivery_delay_hours, 0.0)
        # The tolerance is configurable: tightening it re-rates stored shipments.
        self.env.company.logistics_on_time_tolerance_hours = 1.0
        self.assertFalse(on_edge.is_on_time)

    def test_sum_of_a_flag_counts_the_shipments_that_have_it(self):
        on_time, late, undelivered = self._create_shipments(3)
        for shipment, delivered in (
            (on_time, "2026-03-09T18:00:00Z"),
            (late, "2026-03-11T18:00:00Z"),
        ):
            self._ingest(
                [
                    {
                        "shipment": shipment.name,
                        "external_id": "d",
                        "code": "delivered",
                        "event_time": delivered,
                    }
                ]
            )
        Shipment = self.env["logistics.shipment"]
        Shipment.flush_model()
        domain = [("id", "in", (on_time | late | undelivered).ids)]
        with self.assertQueryCount(1):
            groups = Shipment._read_group(
                domain, ["partner_id"], ["__count", "is_on_time:sum", "is_late:sum"]
            )
        self.assertEqual(groups, [(self.customer, 3, 1, 1)])
        # Other aggregates keep their meaning.
        self.assertEqual(
            Shipment._read_group(domain, [], ["is_on_time:bool_or", "margin:sum"]),
            [(True, sum((on_time | late | undelivered).mapped("margin")))],
        )

    def test_exception_event_raises_an_exception(self):
        shipment = self._create_shipments(1)
        self._ingest(
            [
                {
                    "shipment": shipment.name,
                    "external_id": "x",
                    "code": "exception",
                    "exception_type": "damage",
                    "description": "Crushed pallet",
                    "event_time": "2026-03-04T00:00:00Z",
                }
            ]
        )
        exception = shipment.exception_ids
        self.assertEqual(exception.exception_type, "damage")
        self.assertEqual(exception.state, "open")
        self.assertTrue(shipment.has_open_exception)
        exception.write({"resolution": "Re-packed and delivered."})
        exception.action_resolve()
        self.assertTrue(exception.resolved_date)
        self.assertFalse(shipment.has_open_exception)

    def test_ingest_query_count_does_not_grow_with_batch_size(self):
        # Notifications (queued once per contact, so only by the first batch)
        # have their own flat-count test in test_notifications.
        self.env["logistics.notification.subscription"].search([]).unlink()
        shipments = self._create_shipments(100)
        codes = [
            "booked",
            "picked_up",
            "departed",
            "arrived_hub",
            "arrived_destination",
            "out_for_delivery",
            "delivered",
            "eta_updated",
            "customs_cleared",
            "departed",
        ]

        def batch(prefix, per_shipment):
            return [
                {
                    "shipment": shipment.name,
                    "external_id": f"{prefix}-{n}",
                    "code": codes[n % len(codes)],
                    "event_time": f"2026-03-{1 + n:02d}T{n:02d}:00:00Z",
                    "new_eta": "2026-03-10T10:00:00Z" if n == 2 else None,
                }
                for shipment in shipments
                for n in range(per_shipment)
            ]

        small, large = batch("s", 5), batch("l", 10)
        self.assertEqual((len(small), len(large)), (500, 1000))
        # Warm-up on another shipment: selection labels and mail subtypes are
        # cached by the first batch of any size.
        self._ingest(
            [
                {
                    "shipment": self._create_shipments(1).name,
                    "external_id": "warm",
                    "code": "picked_up",
                    "event_time": "2026-03-01T00:00:00Z",
                }
            ]
        )
        counts = []
        # The furthest event of each batch: arrived at destination, then
        # delivered (the later 'departed' of the large batch is stale).
        for items, state in ((small, "at_destination"), (large, "delivered")):
            self.env.invalidate_all()
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            results = self._ingest(items)
            self.env.flush_all()
            counts.append(self.env.cr.sql_log_count - before)
            self.assertEqual({r["status"] for r in results}, {"created"})
            self.assertEqual(set(shipments.mapped("state")), {state})
        self.assertEqual(counts[0], counts[1], f"queries: {counts}")
        with self.assertQueryCount(counts[1]):
            self.env.invalidate_all()
            self._ingest(batch("q", 10))
            self.env.flush_all()

    def test_csv_import_of_events(self):
        shipment = self._create_shipments(1)
        # An import reads times in the importing user's zone (Shanghai, UTC+8).
        Event = self.env["logistics.shipment.event"].with_context(tz="Asia/Shanghai")
        result = Event.load(
            ["shipment_id", "code", "event_time", "location", "source", "external_id"],
            [
                [
                    shipment.name,
                    "picked_up",
                    "2026-03-02 17:00:00",
                    "Shanghai",
                    "import",
                    "c1",
                ],
                [
                    shipment.name,
                    "departed",
                    "2026-03-03 18:00:00",
                    "Shanghai",
                    "import",
                    "c2",
                ],
            ],
        )
        self.assertFalse(result["messages"], result["messages"])
        self.assertEqual(len(result["ids"]), 2)
        self.assertEqual(shipment.state, "in_transit")
        self.assertEqual(shipment.actual_pickup_date, datetime(2026, 3, 2, 9, 0))
