"""Concurrent writers, each on its own cursor and transaction, as on a
multi-worker server: nothing duplicated, nothing lost, nobody gives up."""

import logging
import threading

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import UserError
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


class ConcurrencyCase(TransactionCase):
    def _committed(self, func):
        """Run func(env) in a transaction of its own, inside Odoo's retry
        loop as a request would be, and commit it."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            result = retrying(lambda: func(env), env)
            cr.commit()
            return result

    def _at_once(self, funcs):
        """Start every func(env) at the same moment, each committed on its
        own; return their results, and what Odoo's retry loop said. A writer
        that fails, or a retry that gives up, fails the test."""
        barrier = threading.Barrier(len(funcs))
        results, failures = [], []

        def run(func):
            try:
                barrier.wait(timeout=60)
                results.append(self._committed(func))
            except Exception as error:  # noqa: BLE001 (reported by the test)
                failures.append(repr(error))

        threads = [threading.Thread(target=run, args=(func,)) for func in funcs]
        with _Records() as records:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(120)
        self.assertFalse(failures)
        self.assertFalse(
            [message for message in records.messages if "maximum" in message]
        )
        return results, records.messages


@tagged("post_install", "-at_install")
class TestConcurrentComplaints(ConcurrencyCase):
    def test_twenty_tickets_at_once_get_unique_numbers(self):
        customer_id = self._committed(
            lambda env: env["res.partner"]
            .create({"name": "Concurrent Customer", "is_company": True})
            .id
        )
        category_id = self.env.ref(
            "logistics_crm.logistics_complaint_category_delay"
        ).id

        def file_one(number):
            return lambda env: (
                env["logistics.complaint"]
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

        created, _messages = self._at_once(
            [file_one(number) for number in range(WRITERS)]
        )
        # What was committed stays: it belongs to a customer of its own, and
        # the suite's database is thrown away after the run.
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


@tagged("post_install", "-at_install")
class TestConcurrentIngest(ConcurrencyCase):
    """Overlapping tracking feeds ingested at once: every event stored once,
    each shipment in the state its furthest event gives."""

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

        names = self._committed(prepare)
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

        def ingest(number):
            # Each feed repeats a rotated, overlapping half of the events.
            feed = (events[number:] + events[:number])[: len(events) // 2 + 3]
            return lambda env: env["logistics.shipment.event"].ingest_events(feed)

        _results, messages = self._at_once(
            [ingest(number) for number in range(WRITERS)]
        )
        retries = [message for message in messages if "tries left" in message]
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


@tagged("post_install", "-at_install")
class TestConcurrentAccept(ConcurrencyCase):
    """The same quote accepted from two browser tabs at the same moment: one
    acceptance, one booking; the other tab is told the quote was answered."""

    def test_two_tabs_book_once(self):
        def prepare(env):
            customer = env["res.partner"].create(
                {"name": "Concurrent Accept Customer", "is_company": True}
            )
            quote = env["logistics.quote"].create(
                {
                    "partner_id": customer.id,
                    "line_ids": [Command.create({"rate": 800.0, "quantity": 3})],
                }
            )
            quote.action_mark_sent()
            return quote.id

        quote_id = self._committed(prepare)

        def accept(name):
            def answer(env):
                try:
                    env["logistics.quote"].browse(quote_id).action_accept(name)
                except UserError as error:
                    return str(error)
                return "accepted"

            return answer

        results, _messages = self._at_once([accept("Tab one"), accept("Tab two")])
        self.assertCountEqual(
            results, ["accepted", "Only a sent quote can be accepted or rejected."]
        )
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM sale_order WHERE logistics_quote_id = %s",
                (quote_id,),
            )
            self.assertEqual(cr.fetchone()[0], 1)
