"""Load logistics data at scale straight into the addons' tables.

Customers go through the ORM (res.partner belongs to Odoo and its stored
fields are many); lanes, shipments, tracking events and exceptions go through
PostgreSQL's COPY with every stored computed field filled the way the ORM
computes it, then the shipment sequence is moved past the loaded numbers and
the tables are analysed. ``tests/test_bench_loader.py`` proves the equality.
"""

import io
import random
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from odoo import fields
from odoo.tools import SQL

from odoo.addons.logistics_crm.models.logistics_selections import (
    STATE_BY_EVENT_CODE,
    STATE_RANK,
)


@dataclass(frozen=True)
class Scale:
    customers: int
    lanes_per_customer: int
    shipments: int
    contacts_per_customer: int = 3


SCALES = {
    "small": Scale(customers=500, lanes_per_customer=3, shipments=20_000),
    "large": Scale(customers=50_000, lanes_per_customer=3, shipments=2_000_000),
}

CITIES = [
    ("Shanghai", "cn"),
    ("Shenzhen", "cn"),
    ("Ningbo", "cn"),
    ("Guangzhou", "cn"),
    ("Qingdao", "cn"),
    ("Rotterdam", "nl"),
    ("Hamburg", "de"),
    ("Antwerp", "be"),
    ("Felixstowe", "uk"),
    ("Le Havre", "fr"),
    ("Valencia", "es"),
    ("Genoa", "it"),
    ("Gdansk", "pl"),
    ("Los Angeles", "us"),
    ("Singapore", "sg"),
]
MODES = [
    # mode, transit hours, revenue per shipment, weight of the mode
    ("sea_fcl", 720, 2600, 30),
    ("sea_lcl", 800, 900, 10),
    ("air", 72, 5200, 15),
    ("road_ftl", 30, 1400, 20),
    ("road_ltl", 48, 450, 10),
    ("rail", 420, 3800, 8),
    ("express", 96, 180, 7),
]
# Monthly volume factors: Chinese New Year dip, peak season before Christmas.
SEASONALITY = [0.9, 0.6, 1.0, 1.0, 1.0, 1.0, 1.05, 1.1, 1.2, 1.3, 1.35, 1.1]
HISTORY_DAYS = 730
LATE_SHARE = 0.08
EXCEPTION_SHARE = 0.02
CHUNK = 100_000
BULK_TABLES = (
    "logistics_lane",
    "logistics_shipment",
    "logistics_shipment_event",
    "logistics_shipment_exception",
)


def _copy(cr, table, columns, rows):
    """COPY rows (tuples) into table, by chunks, in PostgreSQL's text format."""
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    buffer = io.StringIO()
    count = 0
    for row in rows:
        buffer.write("\t".join(_copy_value(value) for value in row))
        buffer.write("\n")
        count += 1
        if count % CHUNK == 0:
            buffer.seek(0)
            cr._obj.copy_expert(sql, buffer)
            buffer = io.StringIO()
    buffer.seek(0)
    cr._obj.copy_expert(sql, buffer)
    return count


def _copy_value(value):
    if value is None or value is False:
        return "\\N"
    if value is True:
        return "t"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


def bench_mobile(number):
    """A Chinese mobile number of its own for each bench contact."""
    return f"+86 139 {number // 10_000:04d} {number % 10_000:04d}"


def bench_switchboard(number):
    """The Shanghai switchboard of the number-th bench customer."""
    return f"021-6{number:07d}"


def _reserve_ids(cr, table, count):
    """Take `count` ids from the table's id sequence in one call."""
    cr.execute(
        f"SELECT setval('{table}_id_seq', nextval('{table}_id_seq') + %s - 1)",
        (count,),
    )
    last = cr.fetchone()[0]
    return last - count + 1


class Loader:
    def __init__(self, env, scale, seed=42):
        self.env = env
        self.scale = SCALES[scale] if isinstance(scale, str) else scale
        self.rng = random.Random(seed)
        self.now = fields.Datetime.now().replace(microsecond=0)
        self.company = env.company
        self.tolerance = timedelta(hours=self.company.logistics_on_time_tolerance_hours)
        self.country_ids = {code: env.ref(f"base.{code}").id for _city, code in CITIES}
        self.stats = {}

    # ------------------------------------------------------------------
    def load(self):
        # A Chinese forwarder: its callers dial national numbers.
        self.company.partner_id.country_id = self.country_ids["cn"]
        customers = self._create_customers()
        self._create_contacts(customers)
        self.env.flush_all()
        with self._bulk_mode():
            lanes = self._load_lanes(customers)
            self._load_shipments(customers, lanes)
        self.env.invalidate_all()
        self.env.registry.clear_cache()
        for table in ("res_partner", *BULK_TABLES):
            self.env.cr.execute(f"ANALYZE {table}")
        return self.stats

    @contextmanager
    def _bulk_mode(self):
        """Build secondary indexes once after the COPY, not row by row, and
        skip per-row foreign-key triggers when allowed (superuser): the rows
        are generated consistent, and the indexes come back identical, with
        the comment in which Odoo keeps an index's declared definition (an
        index without one is never rebuilt when its declaration changes)."""
        cr = self.env.cr
        cr.execute(
            "SELECT i.indexname, i.indexdef, obj_description(c.oid, 'pg_class')"
            "  FROM pg_indexes i JOIN pg_class c ON c.relname = i.indexname"
            " AND c.relkind = 'i'"
            " WHERE i.tablename = ANY(%s) AND i.indexname NOT LIKE '%%_pkey'",
            (list(BULK_TABLES),),
        )
        indexes = cr.fetchall()
        for name, _definition, _comment in indexes:
            cr.execute(f'DROP INDEX "{name}"')
        cr.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        superuser = cr.fetchone()[0]
        if superuser:
            cr.execute("SET LOCAL session_replication_role = replica")
        try:
            yield
        finally:
            if superuser:
                cr.execute("SET LOCAL session_replication_role = DEFAULT")
            for name, definition, comment in indexes:
                cr.execute(definition)
                if comment:
                    cr.execute(
                        SQL("COMMENT ON INDEX %s IS %s", SQL.identifier(name), comment)
                    )

    # ------------------------------------------------------------------
    def _create_customers(self):
        """Customers through the ORM, each with a Pareto volume weight."""
        rng = self.rng
        Partner = self.env["res.partner"].with_context(
            tracking_disable=True, mail_create_nolog=True, mail_notrack=True
        )
        today = fields.Date.context_today(Partner)
        partners = Partner.browse()
        batch = 2_000
        for start in range(0, self.scale.customers, batch):
            partners |= Partner.create(
                [
                    {
                        "name": f"Bench Customer {number:06d}",
                        "is_company": True,
                        "customer_since": today
                        - timedelta(days=rng.randint(30, 15 * 365)),
                    }
                    for number in range(start, min(start + batch, self.scale.customers))
                ]
            )
        weights = [rng.paretovariate(1.16) for _partner in partners]
        self.stats["customers"] = len(partners)
        return list(zip(partners.ids, weights, strict=True))

    def _create_contacts(self, customers):
        """Each customer's people through the ORM (their E.164 numbers are
        stored computes): a mobile each, unique, and the company's
        switchboard as the desk phone of two of them, so the caller
        lookup meets single and shared numbers as it does in life."""
        Partner = self.env["res.partner"].with_context(
            tracking_disable=True, mail_create_nolog=True, mail_notrack=True
        )
        # Each create checks the new parents for cycles: without statistics
        # on the freshly loaded customers PostgreSQL plans that check as a
        # scan of every partner per contact.
        self.env.flush_all()
        self.env.cr.execute("ANALYZE res_partner")
        china = self.country_ids["cn"]
        per_customer = self.scale.contacts_per_customer
        rows = [
            {
                "name": f"Bench Contact {index * per_customer + rank:07d}",
                "parent_id": customer_id,
                "country_id": china,
                "mobile": bench_mobile(index * per_customer + rank),
                "phone": bench_switchboard(index) if rank < 2 else False,
            }
            for index, (customer_id, _weight) in enumerate(customers)
            for rank in range(per_customer)
        ]
        batch = 5_000
        for start in range(0, len(rows), batch):
            Partner.create(rows[start : start + batch])
        self.stats["contacts"] = len(rows)

    def _load_lanes(self, customers):
        rng = self.rng
        count = len(customers) * self.scale.lanes_per_customer
        first_id = _reserve_ids(self.env.cr, "logistics_lane", count)
        modes, mode_weights = MODES, [mode[3] for mode in MODES]
        lanes = {}  # customer id -> [lane tuples]
        rows = []
        lane_id = first_id
        for customer_id, _weight in customers:
            for _index in range(self.scale.lanes_per_customer):
                origin, destination = rng.sample(CITIES, 2)
                mode, transit, revenue, _w = rng.choices(modes, mode_weights)[0]
                lane = (lane_id, mode, origin, destination, transit, revenue)
                lanes.setdefault(customer_id, []).append(lane)
                rows.append(
                    (
                        lane_id,
                        customer_id,
                        self.country_ids[origin[1]],
                        origin[0],
                        self.country_ids[destination[1]],
                        destination[0],
                        mode,
                        round(rng.uniform(1, 60), 1),
                        "shipment",
                        "month",
                        transit,
                        True,
                        1,
                        self.now,
                        1,
                        self.now,
                    )
                )
                lane_id += 1
        self.stats["lanes"] = _copy(
            self.env.cr,
            "logistics_lane",
            [
                "id",
                "partner_id",
                "origin_country_id",
                "origin_city",
                "destination_country_id",
                "destination_city",
                "mode",
                "volume_quantity",
                "volume_unit",
                "frequency",
                "transit_time_target_hours",
                "active",
                "create_uid",
                "create_date",
                "write_uid",
                "write_date",
            ],
            rows,
        )
        return lanes

    def _pickup_time(self):
        """A pickup time over the history, following the seasonality."""
        rng = self.rng
        while True:
            moment = self.now - timedelta(
                days=rng.uniform(-7, HISTORY_DAYS), hours=rng.randint(0, 23)
            )
            if rng.random() * 1.35 <= SEASONALITY[moment.month - 1]:
                return moment.replace(minute=0, second=0, microsecond=0)

    def _load_shipments(self, customers, lanes):
        rng, cr = self.rng, self.env.cr
        count = self.scale.shipments
        first_id = _reserve_ids(cr, "logistics_shipment", count)
        customer_ids = [customer_id for customer_id, _w in customers]
        weights = [weight for _id, weight in customers]
        assigned = rng.choices(customer_ids, weights, k=count)
        sequence = self.env.ref("logistics_crm.seq_logistics_shipment")
        first_number = sequence.number_next_actual
        year = self.now.year
        self.stats.update(shipments=0, events=0, exceptions=0)
        shipment_rows, event_rows, exception_rows = [], [], []
        event_id = _reserve_ids(cr, "logistics_shipment_event", count * 6)
        first_event_id = event_id
        exception_id = _reserve_ids(
            cr, "logistics_shipment_exception", int(count * EXCEPTION_SHARE * 2) + 10
        )
        first_exception_id = exception_id
        for offset, customer_id in enumerate(assigned):
            if offset and offset % CHUNK == 0:
                self._copy_shipments(shipment_rows, event_rows, exception_rows)
                shipment_rows, event_rows, exception_rows = [], [], []
            shipment_id = first_id + offset
            lane_id, mode, origin, destination, transit_h, revenue_base = rng.choice(
                lanes[customer_id]
            )
            pickup = self._pickup_time()
            transit = timedelta(hours=transit_h)
            promised = pickup + transit
            late = rng.random() < LATE_SHARE
            delay = (
                timedelta(hours=rng.randint(3, 120))
                if late
                else -timedelta(hours=rng.randint(0, 12))
            )
            delivered_at = promised + delay
            span = delivered_at - pickup
            plan = [
                ("booked", pickup - timedelta(days=2), None),
                ("picked_up", pickup, None),
                ("departed", pickup + span * 0.2, delivered_at if late else None),
                ("delivered", delivered_at, None),
            ]
            events = [
                (code, moment, eta) for code, moment, eta in plan if moment <= self.now
            ]
            exception = None
            if rng.random() < EXCEPTION_SHARE and len(events) >= 3:
                exception_time = events[2][1] + timedelta(hours=1)
                events.append(("exception", exception_time, None))
                resolved = events[-2][0] == "delivered"
                exception = (exception_time, resolved)
            # Stored fields exactly as _apply_tracking_events and the computes set them.
            status_events = [e for e in events if e[0] in STATE_BY_EVENT_CODE]
            # The furthest status, then its latest event (_tracking_progress).
            latest = (
                max(
                    status_events,
                    key=lambda e: (STATE_RANK[STATE_BY_EVENT_CODE[e[0]]], e[1]),
                )
                if status_events
                else None
            )
            state = STATE_BY_EVENT_CODE[latest[0]] if latest else "draft"
            pickups = [e[1] for e in events if e[0] == "picked_up"]
            deliveries = [e[1] for e in events if e[0] == "delivered"]
            actual_pickup = min(pickups) if pickups else None
            actual_delivery = max(deliveries) if deliveries else None
            etas = [e for e in events if e[2]]
            eta = (
                max(etas, key=lambda e: e[1])[2]
                if etas
                else (actual_delivery if state == "delivered" else None)
            )
            revenue = round(revenue_base * rng.uniform(0.7, 1.4), 2)
            cost = round(revenue * rng.uniform(0.72, 0.95), 2)
            on_time = bool(
                state == "delivered" and actual_delivery <= promised + self.tolerance
            )
            delay_hours = (
                round((actual_delivery - promised).total_seconds() / 3600, 2)
                if state == "delivered" and not on_time
                else 0.0
            )
            late_risk = bool(
                state not in ("delivered", "cancelled") and eta and eta > promised
            )
            has_open_exception = bool(exception and not exception[1])
            shipment_rows.append(
                (
                    shipment_id,
                    f"SHP/{year}/{first_number + offset:06d}",
                    True,
                    self.company.id,
                    customer_id,
                    lane_id,
                    mode,
                    self.country_ids[origin[1]],
                    origin[0],
                    self.country_ids[destination[1]],
                    destination[0],
                    pickup,
                    promised,
                    eta,
                    actual_pickup,
                    actual_delivery,
                    latest[1] if latest else None,
                    state,
                    revenue,
                    cost,
                    round(revenue - cost, 2),
                    on_time,
                    delay_hours,
                    late_risk,
                    late_risk or delay_hours > 0,
                    has_open_exception,
                    1,
                    self.now,
                    1,
                    self.now,
                )
            )
            for number, (code, moment, new_eta) in enumerate(events):
                event_rows.append(
                    (
                        event_id,
                        shipment_id,
                        code,
                        moment,
                        new_eta,
                        "import",
                        f"B{shipment_id}-{number}",
                        "other" if code == "exception" else None,
                        1,
                        self.now,
                        1,
                        self.now,
                    )
                )
                event_id += 1
            if exception:
                exception_time, resolved = exception
                exception_rows.append(
                    (
                        exception_id,
                        shipment_id,
                        customer_id,
                        event_id - 1,
                        exception_time,
                        "other",
                        "medium",
                        "resolved" if resolved else "open",
                        "Handled with the carrier." if resolved else None,
                        exception_time + timedelta(hours=8) if resolved else None,
                        1,
                        1,
                        self.now,
                        1,
                        self.now,
                    )
                )
                exception_id += 1
        self._copy_shipments(shipment_rows, event_rows, exception_rows)
        # Unused reserved ids are harmless gaps; the sequence continues after ours.
        sequence.write({"number_next": first_number + count})
        self.stats["first_event_id"] = first_event_id
        self.stats["first_exception_id"] = first_exception_id

    def _copy_shipments(self, shipment_rows, event_rows, exception_rows):
        cr = self.env.cr
        audit = ["create_uid", "create_date", "write_uid", "write_date"]
        self.stats["shipments"] += _copy(
            cr,
            "logistics_shipment",
            [
                "id",
                "name",
                "active",
                "company_id",
                "partner_id",
                "lane_id",
                "mode",
                "origin_country_id",
                "origin_city",
                "destination_country_id",
                "destination_city",
                "planned_pickup_date",
                "promised_date",
                "eta",
                "actual_pickup_date",
                "actual_delivery_date",
                "last_event_time",
                "state",
                "revenue",
                "cost",
                "margin",
                "is_on_time",
                "delivery_delay_hours",
                "is_late_risk",
                "is_late",
                "has_open_exception",
                *audit,
            ],
            shipment_rows,
        )
        self.stats["events"] += _copy(
            cr,
            "logistics_shipment_event",
            [
                "id",
                "shipment_id",
                "code",
                "event_time",
                "new_eta",
                "source",
                "external_id",
                "exception_type",
                *audit,
            ],
            event_rows,
        )
        self.stats["exceptions"] += _copy(
            cr,
            "logistics_shipment_exception",
            [
                "id",
                "shipment_id",
                "partner_id",
                "event_id",
                "date",
                "exception_type",
                "severity",
                "state",
                "resolution",
                "resolved_date",
                "user_id",
                *audit,
            ],
            exception_rows,
        )
