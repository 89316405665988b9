"""Concurrent writers, each on its own cursor and transaction, as on a
multi-worker server: nothing duplicated, nothing lost, nobody gives up."""

import logging
import threading

from odoo import SUPERUSER_ID, api
from odoo.service.model import retrying
from odoo.tests import TransactionCase, tagged

WRITERS = 20


class _Records(logging.Handler):
    """What Odoo's retry loop says (retries, "maximum number of tries")."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.messages = []
        self.logger = logging.getLogger("odoo.service.model")
        self.level_before = self.logger.level

    def emit(self, record):
        self.messages.append(record.getMessage())

    def __enter__(self):
        self.logger.addHandler(self)
        self.logger.setLevel(logging.INFO)
        return self

    def __exit__(self, *exc):
        self.logger.removeHandler(self)
        self.logger.setLevel(self.level_before)


@tagged("post_install", "-at_install")
class TestConcurrentComplaints(TransactionCase):
    def _committed(self, func):
        """Run func(env) in a transaction of its own and commit it."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            result = retrying(lambda: func(env), env)
            cr.commit()
            return result

    def test_twenty_tickets_at_once_get_unique_numbers(self):
        customer_id = self._committed(
            lambda env: env["res.partner"]
            .create({"name": "Concurrent Customer", "is_company": True})
            .id
        )
        category_id = self.env.ref(
            "logistics_crm.logistics_complaint_category_delay"
        ).id
        barrier = threading.Barrier(WRITERS)
        created, failures = [], []
        records = _Records()

        def file_one(number):
            try:
                barrier.wait(timeout=60)
                created.append(
                    self._committed(
                        lambda env: env["logistics.complaint"]
                        .create(
                            {
                                "subject": f"Concurrent {number}",
                                "partner_id": customer_id,
                                "category_id": category_id,
                                "channel": "portal",
                            }
                        )
                        .id
                    )
                )
            except Exception as error:  # noqa: BLE001 (reported by the test)
                failures.append(repr(error))

        threads = [
            threading.Thread(target=file_one, args=(number,))
            for number in range(WRITERS)
        ]
        with records:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(120)
        # What was committed stays: it belongs to a customer of its own, and
        # the suite's database is thrown away after the run.
        self.assertFalse(failures)
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*), count(DISTINCT name), count(DISTINCT id)"
                "  FROM logistics_complaint WHERE partner_id = %s",
                (customer_id,),
            )
            self.assertEqual(cr.fetchone(), (WRITERS, WRITERS, WRITERS))
            cr.execute(
                "SELECT count(*) FROM logistics_complaint_sla sla"
                "  JOIN logistics_complaint c ON c.id = sla.complaint_id"
                " WHERE c.partner_id = %s",
                (customer_id,),
            )
            self.assertEqual(cr.fetchone()[0], 2 * WRITERS)
        self.assertEqual(len(created), WRITERS)
        self.assertFalse(
            [message for message in records.messages if "maximum" in message]
        )


@tagged("post_install", "-at_install")
class TestConcurrentIngest(TransactionCase):
    """Overlapping tracking feeds ingested at once: every event stored once,
    each shipment in the state its latest event gives."""

    def test_twenty_overlapping_feeds(self):
        codes = ("booked", "picked_up", "departed", "arrived_destination", "delivered")

        def prepare(env):
            customer = env["res.partner"].create(
                {"name": "Concurrent Feed Customer", "is_company": True}
            )
            shipments = env["logistics.shipment"].create(
                [{"partner_id": customer.id} for _index in range(5)]
            )
            return shipments.mapped("name")

        names = TestConcurrentComplaints._committed(self, prepare)
        events = [
            {
                "shipment": name,
                "external_id": f"{name}-{code}",
                "code": code,
                "event_time": f"2026-06-0{step + 1} 08:00:00",
            }
            for name in names
            for step, code in enumerate(codes)
        ]
        barrier = threading.Barrier(WRITERS)
        failures = []
        records = _Records()

        def ingest(number):
            # Each feed repeats a rotated, overlapping half of the events.
            feed = (events[number:] + events[:number])[: len(events) // 2 + 3]
            try:
                barrier.wait(timeout=60)
                TestConcurrentComplaints._committed(
                    self,
                    lambda env: env["logistics.shipment.event"].ingest_events(feed),
                )
            except Exception as error:  # noqa: BLE001 (reported by the test)
                failures.append(repr(error))

        threads = [
            threading.Thread(target=ingest, args=(number,)) for number in range(WRITERS)
        ]
        with records:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(120)
        self.assertFalse(failures)
        self.assertFalse(
            [message for message in records.messages if "maximum" in message]
        )
        retries = [message for message in records.messages if "tries left" in message]
        print(f"concurrent ingest: {WRITERS} feeds, {len(retries)} retries")  # noqa: T201
        with self.registry.cursor() as cr:
            cr.execute(
                """
                SELECT s.name, s.state, count(e.id), count(DISTINCT e.external_id)
                  FROM logistics_shipment s
                  LEFT JOIN logistics_shipment_event e ON e.shipment_id = s.id
                 WHERE s.name = ANY(%s)
                 GROUP BY s.name, s.state
                """,
                (names,),
            )
            rows = cr.fetchall()
        covered = {event["external_id"] for event in events}
        self.assertEqual(sum(row[2] for row in rows), len(covered))
        for _name, state, count, distinct in rows:
            self.assertEqual(count, distinct)
            self.assertEqual(count, len(codes))
            self.assertEqual(state, "delivered")
