"""Tracking feeds: 10 000 events through the ingest API, with and without
the notifications they decide, beside raw INSERTs of the same rows."""

from contextlib import contextmanager
from datetime import timedelta

from psycopg2.extras import execute_values

from odoo import fields

from .harness import Result, measure, rolled_back


def _feed(env, batch, last_code="arrived_hub", eta_shift=None):
    """A tracking feed of ``batch`` events over 1000 open shipments: hub
    scans, the last one of each shipment ``last_code`` (carrying a new ETA
    ``eta_shift`` after the promised date when given). Returns the shipments
    (id, name, customer), the ingest items and the same events as rows."""
    env.cr.execute(
        "SELECT id, name, partner_id, promised_date FROM logistics_shipment "
        "WHERE state NOT IN ('delivered', 'cancelled') ORDER BY id LIMIT 1000"
    )
    shipments = env.cr.fetchall() or []
    if len(shipments) < 1000:
        env.cr.execute(
            "SELECT id, name, partner_id, promised_date FROM logistics_shipment "
            "ORDER BY id LIMIT 1000"
        )
        shipments = env.cr.fetchall()
    per_shipment = batch // len(shipments)
    base = fields.Datetime.now() - timedelta(days=1)
    items, rows = [], []
    for shipment_id, name, _partner, promised in shipments:
        for n in range(per_shipment):
            last = n == per_shipment - 1
            code = last_code if last else "arrived_hub"
            item = {
                "shipment": name,
                "code": code,
                "event_time": (base + timedelta(minutes=n)).isoformat(),
                "location": "Hub",
                "external_id": f"bench-{shipment_id}-{n}",
            }
            if last and eta_shift and promised:
                item["new_eta"] = (promised + eta_shift).isoformat()
            items.append(item)
            rows.append(
                (
                    shipment_id,
                    code,
                    base + timedelta(minutes=n),
                    "Hub",
                    "api",
                    f"bench-{shipment_id}-{n}",
                    1,
                    1,
                )
            )
    return shipments, items, rows


def _insert_events(env, rows):
    execute_values(
        env.cr._obj,
        """
        INSERT INTO logistics_shipment_event
            (shipment_id, code, event_time, location, source,
             external_id, create_uid, write_uid, create_date, write_date)
        VALUES %s
        """,
        rows,
        template="(%s, %s, %s, %s, %s, %s, %s, %s, now(), now())",
        page_size=len(rows),
    )
    env.cr.sql_log_count += 1


def _ingest_result(name, items, orm, sql, min_rate, max_ratio=None):
    budget = f">= {min_rate} events/s" + (
        f" and ratio <= {max_ratio}" if max_ratio else ""
    )
    result = Result(name, orm, sql, budget)
    rate = len(items) / orm.median
    result.notes["events_per_second"] = round(rate)
    misses = []
    if rate < min_rate:
        misses.append(f"below {min_rate} events/s")
    if max_ratio and result.ratio > max_ratio:
        misses.append(f"ratio above {max_ratio}")
    result.judge(misses)
    return result


def op_ingest(env, runs, batch=10_000):
    """A feed of 10 000 tracking events: public ingest method vs raw INSERT."""
    _shipments, items, rows = _feed(env, batch)
    Event = env["logistics.shipment.event"]

    def through_orm():
        results = Event.ingest_events(items)
        env.flush_all()
        return results

    orm = measure(env, through_orm, runs, around=lambda: rolled_back(env))
    sql = measure(
        env, lambda: _insert_events(env, rows), runs, around=lambda: rolled_back(env)
    )
    return _ingest_result(
        f"ingest {len(items)} tracking events", items, orm, sql, 10_000
    )


def op_ingest_notifications(env, runs, batch=10_000):
    """The same feed where each shipment departs with an ETA moved by 12 hours,
    a contact of every customer subscribed to both: the ingest also decides
    2 000 notifications. Raw reference: the events' and the notifications' INSERTs.
    The queries notifying adds must not grow with the batch: they are also
    measured for a feed of one event per shipment (1 000 events, the same
    shipments and notifications)."""
    shipments, items, rows = _feed(
        env, batch, last_code="departed", eta_shift=timedelta(hours=12)
    )
    _same, one_each, _rows = _feed(
        env, len(shipments), last_code="departed", eta_shift=timedelta(hours=12)
    )
    customers = sorted({partner for _id, _name, partner, _promised in shipments})
    # Subscriptions are held by the customers' contacts, never by the
    # companies: bench customers have none, so each gets one for this
    # operation (undone with it).
    with rolled_back(env):
        # A departure is news only to a shipment not further along (the one
        # tracking rule): at small scale most of the feed's shipments are
        # delivered, so they are set back to picked up for this operation.
        ids = [shipment_id for shipment_id, _name, _partner, _promised in shipments]
        env.cr.execute(
            "DELETE FROM logistics_shipment_event WHERE shipment_id = ANY(%s)"
            " AND code NOT IN ('booked', 'picked_up')",
            (ids,),
        )
        env.cr.execute(
            "UPDATE logistics_shipment SET state = 'picked_up',"
            " actual_delivery_date = NULL WHERE id = ANY(%s)",
            (ids,),
        )
        env.invalidate_all()
        env.cr.execute(
            """
            INSERT INTO res_partner
                (name, email, parent_id, commercial_partner_id, type, active,
                 is_company, autopost_bills, logistics_invoicing_policy,
                 create_uid, write_uid, create_date, write_date)
            SELECT 'Bench Contact ' || customer, 'contact' || customer
                   || '@bench.example', customer, customer, 'contact', TRUE,
                   FALSE, 'ask', 'shipment', 1, 1, now(), now()
              FROM unnest(%s::int[]) AS customer
            RETURNING id, parent_id
            """,
            (customers,),
        )
        contact_of = {customer: contact for contact, customer in env.cr.fetchall()}
        return _ingest_notifications(
            env, runs, (shipments, items, rows, one_each), contact_of
        )


def _ingest_notifications(env, runs, feeds, contact_of):
    """op_ingest_notifications once each customer has a contact."""
    shipments, items, rows, one_each = feeds
    contacts = sorted(contact_of.values())
    Event = env["logistics.shipment.event"]

    @contextmanager
    def subscriptions(codes):
        """The contacts subscribed to exactly ``codes``, nobody else in their
        companies (whatever defaults a customer carries would blur what is
        measured)."""
        with rolled_back(env):
            env.cr.execute(
                "DELETE FROM logistics_notification_subscription"
                " WHERE customer_id = ANY(%s)",
                (sorted(contact_of),),
            )
            env.cr.execute(
                """
                INSERT INTO logistics_notification_subscription
                    (partner_id, customer_id, event_code, channel, mode, active,
                     create_uid, write_uid, create_date, write_date)
                SELECT contact.id, contact.parent_id, code, 'email',
                       'immediate', TRUE, 1, 1, now(), now()
                  FROM res_partner contact,
                       unnest(%s::varchar[]) AS code
                 WHERE contact.id = ANY(%s)
                """,
                (codes, contacts),
            )
            yield

    def subscribed():
        return subscriptions(["departed", "eta_changed"])

    def unsubscribed_context():
        return subscriptions([])

    def ingest(feed):
        results = Event.ingest_events(feed)
        env.flush_all()
        return results

    log_rows = [
        (shipment_id, contact_of[partner], code, key, 1, 1)
        for shipment_id, _name, partner, promised in shipments
        for code, key in (
            ("departed", ""),
            ("eta_changed", str(promised + timedelta(hours=12)) if promised else ""),
        )
    ]

    def raw_sql():
        _insert_events(env, rows)
        execute_values(
            env.cr._obj,
            """
            INSERT INTO logistics_notification_log
                (shipment_id, partner_id, event_code, dedup_key, event_date,
                 channel, mode, state, create_uid, write_uid, create_date,
                 write_date)
            VALUES %s
            """,
            log_rows,
            template="(%s, %s, %s, %s, now(), 'email', 'immediate', 'pending', "
            "%s, %s, now(), now())",
            page_size=len(log_rows),
        )
        env.cr.sql_log_count += 1

    orm = measure(env, lambda: ingest(items), runs, around=subscribed)
    sql = measure(env, raw_sql, runs, around=lambda: rolled_back(env))
    # What notifying adds to the ingest, for 10 events per shipment and for
    # one: the ingest's own INSERTs are chunked by the ORM, the notifications
    # must not grow at all.
    added = {}
    for label, feed in (("batch", items), ("one_each", one_each)):
        notified = measure(env, lambda feed=feed: ingest(feed), 1, subscribed)
        plain = measure(env, lambda feed=feed: ingest(feed), 1, unsubscribed_context)
        added[label] = notified.queries - plain.queries
    # The same feed with nobody subscribed: what the departures and ETA moves
    # cost by themselves, so the time notifying adds can be told apart.
    unsubscribed = measure(env, lambda: ingest(items), runs, unsubscribed_context)
    with subscribed():
        ingest(items)
        env.cr.execute("SELECT count(*) FROM logistics_notification_log")
        queued = env.cr.fetchone()[0]
    result = _ingest_result(
        f"ingest {len(items)} events with notifications", items, orm, sql, 8_000, 3
    )
    result.notes.update(
        same_feed_without_subscriptions_ms=round(unsubscribed.median * 1000, 1),
        notifications=queued,
        queries_added_by_notifications=added["batch"],
        queries_added_for_one_event_per_shipment=added["one_each"],
    )
    if added["batch"] != added["one_each"]:
        result.verdict = (
            "MISS: notification queries grow with the batch"
            if result.verdict == "OK"
            else result.verdict + ", notification queries grow with the batch"
        )
    return result
