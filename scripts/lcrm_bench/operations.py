"""Benchmark operations: each runs through the addons and as raw SQL, same data."""

import io
import statistics
import time
import tracemalloc
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

import xlsxwriter
from psycopg2.extras import execute_values

from odoo import fields

from odoo.addons.logistics_crm.models.logistics_kpi import planned_without_jit

WARM_RUNS = 5
# Every filter of the portal's lists (the controllers' searchbar keys).
SHIPMENT_FILTERS = ("all", "in_progress", "delivered", "late", "exception")
COMPLAINT_FILTERS = ("all", "open", "closed")
QUOTE_FILTERS = ("all", "sent", "answered")


@dataclass
class Figure:
    """Timings of one way of doing an operation."""

    times: list = field(default_factory=list)
    queries: int = 0

    @property
    def median(self):
        return statistics.median(self.times)

    def as_dict(self):
        return {
            "median_ms": round(self.median * 1000, 2),
            "min_ms": round(min(self.times) * 1000, 2),
            "max_ms": round(max(self.times) * 1000, 2),
            "queries": self.queries,
            "runs": len(self.times),
        }


@dataclass
class Result:
    name: str
    orm: Figure
    sql: Figure
    budget: str
    verdict: str = ""
    notes: dict = field(default_factory=dict)

    @property
    def ratio(self):
        return self.orm.median / self.sql.median if self.sql.median else float("inf")

    def as_dict(self):
        data = asdict(self)
        data.update(
            orm=self.orm.as_dict(), sql=self.sql.as_dict(), ratio=round(self.ratio, 2)
        )
        return data


def measure(env, func, runs=WARM_RUNS, around=None):
    """Run func once to warm up, then `runs` times; each run starts from a
    cold ORM cache. `around` is a context manager factory wrapped around each
    run (a savepoint that undoes writes, for instance)."""
    figure = Figure()
    for number in range(runs + 1):
        env.invalidate_all()
        with around() if around else nullcontext():
            before = env.cr.sql_log_count
            start = time.perf_counter()
            func()
            elapsed = time.perf_counter() - start
            queries = env.cr.sql_log_count - before
        if number:
            figure.times.append(elapsed)
            figure.queries = queries
    return figure


@contextmanager
def rolled_back(env):
    """Savepoint undone after the block: a write benchmark leaves no trace."""
    savepoint = env.cr.savepoint()
    try:
        yield
        env.flush_all()
    finally:
        savepoint.close(rollback=True)
        env.invalidate_all()


def _customer_by_volume(env, target):
    """The customer whose shipment count is closest to target."""
    env.cr.execute(
        """
        SELECT partner_id, count(*) AS n FROM logistics_shipment
         GROUP BY partner_id ORDER BY abs(count(*) - %s), partner_id LIMIT 1
        """,
        (target,),
    )
    return env.cr.fetchone()


def op_customer_stats(env, runs):
    """Per-customer shipments, on-time rate and margin over the last 12 months."""
    since = fields.Datetime.now() - timedelta(days=365)
    Shipment = env["logistics.shipment"]

    def through_orm():
        stats = {}
        for partner, on_time, count, margin in Shipment._read_group(
            [("promised_date", ">=", since)],
            ["partner_id", "is_on_time"],
            ["__count", "margin:sum"],
        ):
            row = stats.setdefault(partner.id, [0, 0, 0.0])
            row[0] += count
            row[1] += count if on_time else 0
            row[2] += margin
        return stats

    def raw_sql():
        env.cr.execute(
            """
            SELECT partner_id, count(*), count(*) FILTER (WHERE is_on_time),
                   sum(margin)
              FROM logistics_shipment
             WHERE promised_date >= %s AND active
             GROUP BY partner_id
            """,
            (since,),
        )
        return env.cr.fetchall()

    orm = measure(env, through_orm, runs)
    sql = measure(env, raw_sql, runs)
    result = Result("customer 12-month stats (read_group)", orm, sql, "ratio <= 1.2")
    result.notes["customers"] = len(raw_sql())
    result.verdict = "OK" if result.ratio <= 1.2 else "MISS: ratio above 1.2"
    return result


def op_smart_buttons(env, runs):
    """Lane, shipment and complaint counts of 80 customers, as the partner
    form shows them."""
    env.cr.execute(
        "SELECT partner_id FROM logistics_shipment GROUP BY partner_id "
        "ORDER BY partner_id LIMIT 80"
    )
    ids = [row[0] for row in env.cr.fetchall()]

    def through_orm():
        partners = env["res.partner"].browse(ids)
        return [
            (
                p.logistics_lane_count,
                p.logistics_shipment_count,
                p.logistics_complaint_count,
            )
            for p in partners
        ]

    def raw_sql():
        # The same work as the form: a contact shows its company's counts.
        counts = []
        for table in ("logistics_lane", "logistics_shipment", "logistics_complaint"):
            env.cr.execute(
                f"""
                SELECT p.id, count(t.id)
                  FROM res_partner p
                  JOIN {table} t ON t.partner_id = p.commercial_partner_id AND t.active
                 WHERE p.id = ANY(%s)
                 GROUP BY p.id
                """,
                (ids,),
            )
            counts.append(dict(env.cr.fetchall()))
        return counts

    orm = measure(env, through_orm, runs)
    sql = measure(env, raw_sql, runs)
    result = Result("smart-button counts, 80 customers", orm, sql, "ratio <= 1.2")
    result.verdict = "OK" if result.ratio <= 1.2 else "MISS: ratio above 1.2"
    return result


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
    result.verdict = "OK" if not misses else "MISS: " + ", ".join(misses)
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


def op_customer_list(env, runs, large_scale):
    """One customer's 80 latest shipments with the list view's fields."""
    Shipment = env["logistics.shipment"]
    view_fields = Shipment.get_views([(False, "list")])["models"]["logistics.shipment"][
        "fields"
    ]
    specification = {
        fname: {"fields": {"display_name": {}}}
        if Shipment._fields[fname].type == "many2one"
        else {}
        for fname in view_fields
    }
    small_customer, small_count = _customer_by_volume(env, 40)
    big_customer, big_count = _customer_by_volume(env, 4000)

    def orm_for(customer):
        return lambda: Shipment.web_search_read(
            [("partner_id", "=", customer)], specification, limit=80, order="id desc"
        )

    def raw_sql():
        env.cr.execute(
            """
            SELECT s.id, s.name, s.reference, p.name, s.lane_id, l.origin_city,
                   l.destination_city, s.mode, c.name, s.promised_date, s.eta,
                   s.actual_delivery_date, s.revenue, s.margin, s.is_on_time,
                   s.is_late_risk, s.has_open_exception, s.state, s.company_id
              FROM logistics_shipment s
              JOIN res_partner p ON p.id = s.partner_id
         LEFT JOIN logistics_lane l ON l.id = s.lane_id
         LEFT JOIN res_partner c ON c.id = s.carrier_id
             WHERE s.partner_id = %s AND s.active
          ORDER BY s.id DESC LIMIT 80
            """,
            (big_customer,),
        )
        return env.cr.fetchall()

    small = measure(env, orm_for(small_customer), runs)
    orm = measure(env, orm_for(big_customer), runs)
    sql = measure(env, raw_sql, runs)
    result = Result(
        "customer's 80 latest shipments (list view)",
        orm,
        sql,
        "< 50 ms at large; same query count at 40 and 4000 shipments",
    )
    # web_search_read adds one COUNT for the pager only when the page is full,
    # which the 40-shipment customer's page never is.
    pager_count = 1 if big_count > 80 and small_count < 80 else 0
    result.notes.update(
        big_customer_shipments=big_count,
        small_customer_shipments=small_count,
        small_customer_queries=small.queries,
        pager_count_queries=pager_count,
        small_customer_median_ms=round(small.median * 1000, 2),
    )
    misses = []
    if small.queries + pager_count != orm.queries:
        misses.append(f"query count {small.queries} vs {orm.queries}")
    if large_scale and orm.median >= 0.05:
        misses.append("50 ms or more")
    result.verdict = "OK" if not misses else "MISS: " + ", ".join(misses)
    return result


def op_complaint_create(env, runs):
    """One complaint ticket on a customer with shipments: create (sequence,
    SLA milestones planned in working time, chatter) vs the raw INSERTs of the
    ticket and its two milestones."""
    partner_id = _customer_by_volume(env, 40)[0]
    shipment = env["logistics.shipment"].search(
        [("partner_id", "=", partner_id)], limit=1
    )
    category = env.ref("logistics_crm.logistics_complaint_category_delay")
    stage = env["logistics.complaint.stage"].search([], limit=1)
    sequence = env.ref("logistics_crm.seq_logistics_complaint")
    Complaint = env["logistics.complaint"]

    def through_orm():
        Complaint.create(
            {
                "subject": "Bench: container late",
                "partner_id": partner_id,
                "shipment_id": shipment.id,
                "category_id": category.id,
            }
        )
        env.flush_all()

    def raw_sql():
        env.cr.execute(
            """
            WITH complaint AS (
                INSERT INTO logistics_complaint
                    (name, subject, partner_id, shipment_id, category_id,
                     stage_id, channel, priority, company_id, active,
                     create_uid, write_uid, create_date, write_date)
                VALUES (nextval('ir_sequence_' || lpad(%s::text, 3, '0'))::text,
                        'Bench: container late', %s, %s, %s, %s, 'phone', '0',
                        1, true, 1, 1, now(), now())
                RETURNING id
            )
            INSERT INTO logistics_complaint_sla
                (complaint_id, kind, target_hours, status, clock_start,
                 deadline, create_uid, write_uid, create_date, write_date)
            SELECT complaint.id, kind, hours, 'running', now(),
                   now() + hours * interval '1 hour', 1, 1, now(), now()
              FROM complaint,
                   (VALUES ('first_response', 24.0), ('resolution', 120.0))
                   AS target(kind, hours)
            """,
            (
                sequence.id,
                partner_id,
                shipment.id,
                category.id,
                stage.id,
            ),
        )

    orm = measure(env, through_orm, runs, around=lambda: rolled_back(env))
    sql = measure(env, raw_sql, runs, around=lambda: rolled_back(env))
    result = Result("create one complaint ticket", orm, sql, "<= 20 queries per ticket")
    result.verdict = "OK" if orm.queries <= 20 else "MISS: more than 20 queries"
    return result


def op_kpi_on_time(env, runs):
    """The dashboard's on-time rate by tier x month, through the report
    model's read_group (what the pivot calls) vs the same raw SQL. Tiers are
    spread over the customers in a rolled-back savepoint first."""
    Report = env["logistics.shipment.report"]

    def through_orm():
        return Report._read_group(
            [("state", "=", "delivered")],
            ["tier_id", "date:month"],
            ["on_time_rate:avg"],
        )

    def raw_sql():
        env.cr.execute(
            """
            SELECT customer.tier_id,
                   date_trunc('month', shipment.promised_date),
                   avg(CASE WHEN shipment.is_on_time THEN 100.0 ELSE 0.0 END)
              FROM logistics_shipment shipment
              JOIN res_partner customer ON customer.id = shipment.partner_id
             WHERE shipment.active AND shipment.state = 'delivered'
             GROUP BY 1, 2
            """
        )
        return env.cr.fetchall()

    with rolled_back(env):
        env.cr.execute(
            """
            UPDATE res_partner partner
               SET tier_id = tier.id
              FROM (SELECT id, row_number() OVER (ORDER BY min_score) - 1 AS rank
                      FROM logistics_service_tier WHERE active) tier,
                   (SELECT count(*) AS n FROM logistics_service_tier
                     WHERE active) tiers
             WHERE partner.name LIKE 'Bench Customer %'
               AND tier.rank = partner.id % tiers.n
            """
        )
        env.invalidate_all()
        orm = measure(env, through_orm, runs)
        sql = measure(env, raw_sql, runs)
        groups = len(raw_sql())
    result = Result("on-time rate by tier x month (pivot)", orm, sql, "ratio <= 1.5")
    result.notes["groups"] = groups
    result.verdict = "OK" if result.ratio <= 1.5 else "MISS: ratio above 1.5"
    return result


def op_export(env, large_scale):
    """The KPI Excel export of the latest 1 000 000 shipments (every shipment
    at small scale): the wizard's workbook (definitions, dimension sheets and
    the streamed shipment rows) vs the same shipment rows written with
    xlsxwriter straight from a raw server-side cursor. One timed run each,
    the files being large; then a run under tracemalloc for the peak memory
    of the export."""
    target = 1_000_000 if large_scale else 20_000
    env.cr.execute(
        """
        SELECT promised_date FROM logistics_shipment
         WHERE active AND state != 'cancelled' AND promised_date IS NOT NULL
         ORDER BY promised_date DESC OFFSET %s LIMIT 1
        """,
        (target - 1,),
    )
    row = env.cr.fetchone()
    env.cr.execute("SELECT max(promised_date) FROM logistics_shipment")
    last = env.cr.fetchone()[0]
    start = row[0] if row else datetime(2000, 1, 1)
    wizard = env["logistics.kpi.export"].create(
        {
            "date_from": start.date(),
            "date_to": last.date(),
            "include_shipments": True,
        }
    )
    env.cr.execute(
        """
        SELECT count(*) FROM logistics_shipment
         WHERE active AND state != 'cancelled'
           AND promised_date >= %s AND promised_date < %s
        """,
        (start.date(), last.date() + timedelta(days=1)),
    )
    rows = env.cr.fetchone()[0]

    def raw_sql():
        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer, {"constant_memory": True})
        sheet = book.add_worksheet("Shipments")
        moment = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        with env.cr._cnx.cursor(name="lcrm_bench_export") as stream:
            stream.itersize = 10000
            stream.execute(
                """
                SELECT s.name, s.promised_date, p.complete_name,
                       t.name->>'en_US', s.mode, s.state,
                       CASE WHEN s.state = 'delivered' THEN s.is_on_time END,
                       s.delivery_delay_hours, s.revenue
                  FROM logistics_shipment s
                  JOIN res_partner p ON p.id = s.partner_id
             LEFT JOIN logistics_service_tier t ON t.id = p.tier_id
                 WHERE s.active AND s.state != 'cancelled'
                   AND s.promised_date >= %s AND s.promised_date < %s
                 ORDER BY s.promised_date, s.id
                """,
                (start.date(), last.date() + timedelta(days=1)),
            )
            number = 0
            while chunk := stream.fetchmany(10000):
                for values in chunk:
                    number += 1
                    sheet.write_string(number, 0, values[0] or "")
                    if values[1]:
                        sheet.write_datetime(number, 1, values[1], moment)
                    sheet.write_string(number, 2, values[2] or "")
                    sheet.write_string(number, 3, values[3] or "")
                    sheet.write_string(number, 4, values[4] or "")
                    sheet.write_string(number, 5, values[5] or "")
                    if values[6] is not None:
                        sheet.write_boolean(number, 6, values[6])
                    if values[7] is not None:
                        sheet.write_number(number, 7, values[7])
                    sheet.write_number(number, 8, float(values[8] or 0))
        book.close()
        env.cr.sql_log_count += 1
        return buffer.getvalue()

    def timed(func):
        figure = Figure()
        before = env.cr.sql_log_count
        begin = time.perf_counter()
        func()
        figure.times.append(time.perf_counter() - begin)
        figure.queries = env.cr.sql_log_count - before
        return figure

    orm = timed(wizard._workbook)
    sql = timed(raw_sql)
    tracemalloc.start()
    wizard._workbook()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    result = Result(
        f"Excel export, {rows} shipment rows",
        orm,
        sql,
        "ratio <= 1.5 and peak memory < 300 MB",
    )
    result.notes.update(rows=rows, peak_python_memory_mb=round(peak / 2**20, 1))
    misses = []
    if result.ratio > 1.5:
        misses.append("ratio above 1.5")
    if peak >= 300 * 2**20:
        misses.append("300 MB or more")
    result.verdict = "OK" if not misses else "MISS: " + ", ".join(misses)
    return result


def op_tier_recompute(env, runs, large_scale):
    """Tiers of every customer through the engine (metrics, scores, one UPDATE
    per batch, history, activities) vs the raw metrics aggregate alone.

    Two situations, both rolled back: the first assignment, where every
    customer gets a tier (once, at installation), and the monthly recompute,
    where the tiers are in place. The budget is about the monthly run. Query
    counts are also taken for a tenth of the customers, to show they do not
    grow with the number of customers."""
    Partner = env["res.partner"]
    customers = Partner.search([("name", "=like", "Bench Customer %")])
    tenth = customers[: max(len(customers) // 10, 1)]
    Rule = env["logistics.tier.rule"]
    metrics = list(
        dict.fromkeys(Rule.search([("purpose", "=", "tier")]).mapped("metric"))
    )
    now = fields.Datetime.now()

    def recompute(partners):
        partners.with_env(env)._recompute_logistics_tiers()
        env.flush_all()

    Metrics = env["logistics.customer.metrics"]

    def raw_sql():
        # Planned as the engine plans them (see planned_without_jit).
        with planned_without_jit(env.cr):
            Metrics._metric_source_shipments(customers.ids, now)
            Metrics._metric_source_partners(customers.ids, now)

    def undone():
        return rolled_back(env)

    first_runs = min(runs, 2) if large_scale else runs
    first = measure(env, lambda: recompute(customers), first_runs, undone)
    first_tenth = measure(env, lambda: recompute(tenth), 1, undone)
    with rolled_back(env):
        recompute(customers)
        monthly = measure(env, lambda: recompute(customers), runs, undone)
        monthly_tenth = measure(env, lambda: recompute(tenth), 1, undone)
    sql = measure(env, raw_sql, runs)
    result = Result(
        f"tier recomputation, {len(customers)} customers",
        monthly,
        sql,
        "first and monthly < 10 s for 50 000 customers at large",
    )
    result.notes.update(
        customers=len(customers),
        metrics=len(metrics),
        queries_for_a_tenth=monthly_tenth.queries,
        first_assignment_ms=round(first.median * 1000, 1),
        first_assignment_queries=first.queries,
        first_assignment_queries_for_a_tenth=first_tenth.queries,
    )
    misses = []
    if large_scale and monthly.median >= 10:
        misses.append("monthly 10 s or more")
    if large_scale and first.median >= 10:
        misses.append("first assignment 10 s or more")
    result.verdict = "OK" if not misses else "MISS: " + ", ".join(misses)
    return result


def op_portal_pages(env, runs, large_scale):
    """The biggest customer's portal pages, through Odoo's HTTP stack on
    loopback: shipments list, a shipment with its timeline, complaints,
    quotes and the service page. Raw reference: the list page's own two
    queries (count and page of shipments) on the same cursor."""
    from . import portal  # noqa: PLC0415 (imports Odoo's HTTP layer)

    customer_id, shipment_count = portal.biggest_customer(env)
    env.cr.execute(
        """
        SELECT shipment_id FROM logistics_shipment_event
         WHERE shipment_id IN (
               SELECT id FROM logistics_shipment WHERE partner_id = %s)
         GROUP BY shipment_id ORDER BY count(*) DESC, shipment_id LIMIT 1
        """,
        (customer_id,),
    )
    busiest = env.cr.fetchone()[0]
    portal.portal_user(env, customer_id)
    paths = [
        *(f"/my/shipments?filterby={name}" for name in SHIPMENT_FILTERS),
        "/my/shipments?filterby=late&sortby=eta",
        "/my/shipments?search=SHP",
        f"/my/shipments/{busiest}",
        *(f"/my/complaints?filterby={name}" for name in COMPLAINT_FILTERS),
        *(f"/my/quotes?filterby={name}" for name in QUOTE_FILTERS),
        "/my/service",
    ]
    with portal.served() as base_url:
        session = portal.logged_in(base_url, env.cr.dbname)
        pages = portal.time_pages(session, base_url, paths, runs)
    orm = Figure(times=[pages["/my/shipments?filterby=all"]["median_ms"] / 1000])

    def raw_sql():
        env.cr.execute(
            "SELECT count(*) FROM logistics_shipment WHERE partner_id = %s",
            (customer_id,),
        )
        env.cr.execute(
            "SELECT id, name, reference, lane_id, eta, state FROM logistics_shipment"
            " WHERE partner_id = %s ORDER BY id DESC LIMIT %s",
            (customer_id, portal.PAGE_SIZE),
        )
        env.cr.fetchall()

    sql = measure(env, raw_sql, runs)
    result = Result(
        f"portal pages, customer with {shipment_count} shipments",
        orm,
        sql,
        "every page p95 < 100 ms at large",
    )
    slowest = max(page["p95_ms"] for page in pages.values())
    result.notes.update(
        {
            path: f"{page['median_ms']}/{page['p95_ms']} ms"
            for path, page in pages.items()
        }
    )
    result.verdict = (
        "OK" if not large_scale or slowest < 100 else f"MISS: p95 {slowest} ms"
    )
    return result


def run_all(env, large_scale, runs=WARM_RUNS, only=None):
    """Every operation, or those whose name (``op_<name>``) is in ``only``."""
    from .billing import (
        op_monthly_settlement,  # noqa: PLC0415 (it builds on this module)
    )
    from .call_center import (
        op_caller_lookup,  # noqa: PLC0415 (it builds on this module)
    )
    from .marketing import (
        op_segment_count,  # noqa: PLC0415 (it builds on this module)
    )
    from .pricing import op_pricing  # noqa: PLC0415 (it builds on this module)
    from .reports import (
        op_report_pivots,  # noqa: PLC0415 (it builds on this module)
    )
    from .surveys import (  # noqa: PLC0415 (it builds on this module)
        op_survey_invite,
        op_survey_nps,
    )

    operations = {
        "tier_recompute": lambda: op_tier_recompute(env, runs, large_scale),
        "customer_stats": lambda: op_customer_stats(env, runs),
        "smart_buttons": lambda: op_smart_buttons(env, runs),
        "ingest": lambda: op_ingest(env, runs),
        "ingest_notifications": lambda: op_ingest_notifications(env, runs),
        "customer_list": lambda: op_customer_list(env, runs, large_scale),
        "complaint_create": lambda: op_complaint_create(env, runs),
        "kpi_on_time": lambda: op_kpi_on_time(env, runs),
        "export": lambda: op_export(env, large_scale),
        "portal_pages": lambda: op_portal_pages(env, runs, large_scale),
        "monthly_settlement": lambda: op_monthly_settlement(env, large_scale),
        "pricing": lambda: op_pricing(env, large_scale),
        "caller_lookup": lambda: op_caller_lookup(env, large_scale),
        "segment_count": lambda: op_segment_count(env, runs, large_scale),
        "survey_invite": lambda: op_survey_invite(env, runs, large_scale),
        "survey_nps": lambda: op_survey_nps(env, runs, large_scale),
        "report_pivots": lambda: op_report_pivots(env, runs, large_scale),
    }
    results = []
    for name, operation in operations.items():
        if not only or name in only:
            result = operation()
            # An operation measures one thing, or several of a kind.
            results.extend(result if isinstance(result, list) else [result])
    return results
