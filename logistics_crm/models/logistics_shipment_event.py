from collections import namedtuple
from datetime import datetime, timedelta

import pytz
from psycopg2.errors import UniqueViolation

from odoo import api, fields, models
from odoo.exceptions import ConcurrencyError
from odoo.tools import SQL

from .bulk_write import insert_rows, write_columns
from .logistics_selections import (
    EVENT_CODES,
    EVENT_PROGRESS,
    EXCEPTION_TYPE_BY_EVENT_CODE,
    EXCEPTION_TYPES,
    MILESTONE_EVENT_CODES,
    STATE_BY_EVENT_CODE,
    STATE_RANK,
)

# Tracking feeds run a little ahead of our clock; beyond this an event time
# is a typo or a unit error, not a real event.
MAX_CLOCK_SKEW = timedelta(hours=24)
INGEST_REQUIRED_KEYS = ("shipment", "code", "event_time")
VALID_EXCEPTION_TYPES = frozenset(code for code, _label in EXCEPTION_TYPES)
# Longest text an ingest item may carry per key: feeds are machines, and a
# longer value is a bug on their side to report, not something to store.
INGEST_TEXT_LIMITS = {
    "shipment": 64,
    "code": 64,
    "event_time": 64,
    "new_eta": 64,
    "tz": 64,
    "source": 64,
    "exception_type": 64,
    "external_id": 255,
    "location": 255,
    "description": 5000,
}
# Where a shipment stands by its events: its status and the time of its
# latest event in that status, the furthest progress any of its events
# reached (EVENT_PROGRESS), its latest ETA and its actual pickup and delivery.
TrackingProgress = namedtuple(
    "TrackingProgress",
    "state last_event_time furthest new_eta first_pickup last_delivery",
)
# The status a progress stands for: progress orders statuses first.
STATE_AT_PROGRESS = {
    progress: STATE_BY_EVENT_CODE[code] for code, progress in EVENT_PROGRESS.items()
}


class LogisticsShipmentEvent(models.Model):
    """A tracking event of a shipment, stored in UTC like every Odoo datetime."""

    _name = "logistics.shipment.event"
    _description = "Shipment Tracking Event"
    _order = "event_time desc, id desc"
    _rec_name = "code"

    shipment_id = fields.Many2one(
        comodel_name="logistics.shipment",
        string="Shipment",
        required=True,
        ondelete="cascade",
    )
    # Not stored: a feed writes millions of events, and a copy of the customer
    # on each would cost an UPDATE per row; searches go through the shipment.
    partner_id = fields.Many2one(related="shipment_id.partner_id", string="Customer")
    code = fields.Selection(selection=EVENT_CODES, string="Event", required=True)
    event_time = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    location = fields.Char()
    description = fields.Text()
    new_eta = fields.Datetime(string="New ETA")
    exception_type = fields.Selection(
        selection=EXCEPTION_TYPES,
        help="For exception events: the kind of exception to raise.",
    )
    source = fields.Selection(
        selection=[("manual", "Manual"), ("import", "Import"), ("api", "API")],
        required=True,
        default="manual",
    )
    external_id = fields.Char(
        string="External ID",
        help="Identifier of the event in its source; an event is stored once "
        "per shipment, source and external ID.",
    )

    # Serves a shipment's timeline and the latest-event lookups of the ingest.
    _shipment_time_index = models.Index("(shipment_id, event_time DESC, id DESC)")
    # Event times grow with insertion order: a BRIN index filters by date at
    # almost no cost per inserted row, where a btree would slow every feed.
    _event_time_brin_index = models.Index("USING brin (event_time)")
    _external_id_unique = models.UniqueIndex(
        "(shipment_id, source, external_id) WHERE external_id IS NOT NULL",
        "This tracking event was already recorded for the shipment.",
    )

    @api.depends("code", "event_time", "shipment_id")
    def _compute_display_name(self):
        codes = dict(self._fields["code"]._description_selection(self.env))
        for event in self:
            event.display_name = (
                f"{event.shipment_id.name} - {codes.get(event.code, '')}"
            )

    @api.model_create_multi
    def create(self, vals_list):
        return super().create(vals_list)._follow_new_events()

    def write(self, vals):
        shipments_before = self.shipment_id
        result = super().write(vals)
        if {"shipment_id", "code", "event_time", "new_eta"} & set(vals):
            (shipments_before | self.shipment_id)._apply_tracking_events()
        return result

    def unlink(self):
        shipments = self.shipment_id
        result = super().unlink()
        shipments.exists()._apply_tracking_events()
        return result

    def _follow_new_events(self):
        """What new events set off: exceptions raised, their shipments'
        status and dates, the customers' notifications."""
        self._raise_exceptions()
        progress = self.shipment_id._apply_tracking_events()
        self._queue_notifications(progress)
        return self

    def _create_ingested(self, vals_list):
        """The ingest's create: one INSERT for the batch (its values are
        checked by ``_ingest_prepare``), then what ``create`` does next."""
        events = insert_rows(self, vals_list)
        events.shipment_id.invalidate_recordset(["event_ids"])
        return events._follow_new_events()

    def _raise_exceptions(self):
        raising = self.filtered(lambda e: e.code in EXCEPTION_TYPE_BY_EVENT_CODE)
        if raising:
            self.env["logistics.shipment.exception"].create(
                [
                    {
                        "shipment_id": event.shipment_id.id,
                        "event_id": event.id,
                        "exception_type": event.exception_type
                        or EXCEPTION_TYPE_BY_EVENT_CODE[event.code],
                        "description": event.description or event.location or "",
                        "date": event.event_time,
                    }
                    for event in raising
                ]
            )

    @api.model
    def _tracking_progress(self, shipments):
        """Where each of these shipments stands by its events, in one query:
        ``{shipment id: TrackingProgress}``.

        The one rule for both the status and what the customer is told: the
        furthest event in the journey (EVENT_PROGRESS) wins, whatever the
        order the events came in and whatever their timestamps. A late scan
        of an earlier step never moves a shipment back, and a booking
        stamped at the click in the UI never hides the carrier's earlier
        scans. ETA and actual dates go by event time: the latest ETA, the
        first pickup, the last delivery.
        """
        self.flush_model(["shipment_id", "code", "event_time", "new_eta"])
        steps = list(EVENT_PROGRESS)
        self.env.cr.execute(
            SQL(
                """
                WITH step AS (
                     SELECT * FROM unnest(%(codes)s::varchar[], %(ranks)s::int[],
                                          %(progress)s::int[])
                            AS step(code, state_rank, progress)
                )
                SELECT s.id, agg.furthest, st.event_time, eta.new_eta,
                       agg.first_pickup, agg.last_delivery
                  FROM unnest(%(ids)s::int[]) AS s(id)
             LEFT JOIN LATERAL (
                       SELECT e.event_time
                         FROM %(events)s e JOIN step ON step.code = e.code
                        WHERE e.shipment_id = s.id
                     ORDER BY step.state_rank DESC, e.event_time DESC, e.id DESC
                        LIMIT 1
                       ) st ON TRUE
             LEFT JOIN LATERAL (
                       SELECT e.new_eta FROM %(events)s e
                        WHERE e.shipment_id = s.id AND e.new_eta IS NOT NULL
                     ORDER BY e.event_time DESC, e.id DESC LIMIT 1
                       ) eta ON TRUE
             LEFT JOIN LATERAL (
                       SELECT MIN(e.event_time) FILTER (WHERE e.code = 'picked_up')
                                  AS first_pickup,
                              MAX(e.event_time) FILTER (WHERE e.code = 'delivered')
                                  AS last_delivery,
                              MAX(step.progress) AS furthest
                         FROM %(events)s e LEFT JOIN step ON step.code = e.code
                        WHERE e.shipment_id = s.id
                       ) agg ON TRUE
                """,
                ids=shipments.ids,
                events=SQL.identifier(self._table),
                codes=steps,
                ranks=[STATE_RANK[STATE_BY_EVENT_CODE[code]] for code in steps],
                progress=[EVENT_PROGRESS[code] for code in steps],
            )
        )
        # The status is the one of the furthest progress, and its time the
        # latest event in that status (the lateral 'st' above).
        return {
            shipment_id: TrackingProgress(
                STATE_AT_PROGRESS.get(furthest), event_time, furthest, *rest
            )
            for shipment_id, furthest, event_time, *rest in self.env.cr.fetchall()
        }

    def _is_news(self, progress):
        """Whether this milestone event tells the customer something new, by
        the rule that sets the status (_tracking_progress): no event of its
        shipment, these included, is further along. A reordered feed thus
        never tells of a step the status has left behind, nor keeps quiet
        about the step the status shows."""
        self.ensure_one()
        standing = progress.get(self.shipment_id.id)
        return bool(
            standing
            and self.code in MILESTONE_EVENT_CODES
            and EVENT_PROGRESS[self.code] >= standing.furthest
        )

    def _queue_notifications(self, progress):
        """Customer notifications for these new events: milestones and ETA
        moves, decided for the whole batch at once. ``progress``: where
        their (not cancelled) shipments stand, by _tracking_progress."""
        now = fields.Datetime.now()
        shipments = self.shipment_id
        shipments.fetch(["state", "eta", "notified_eta", "promised_date", "company_id"])
        notices = [
            (event.shipment_id.id, event.code, "", event.event_time)
            for event in self
            if event._is_news(progress)
        ]
        eta_moves = {}
        for shipment in self.filtered("new_eta").shipment_id:
            if shipment.state in ("delivered", "cancelled") or not shipment.eta:
                continue
            told = shipment.notified_eta or shipment.promised_date
            threshold = shipment.company_id.logistics_eta_threshold_hours * 3600
            if told and abs((shipment.eta - told).total_seconds()) <= threshold:
                continue
            eta_key = fields.Datetime.to_string(shipment.eta)
            notices.append((shipment.id, "eta_changed", eta_key, now))
            eta_moves[shipment.id] = shipment.eta
        self.env["logistics.notification.log"]._queue(notices)
        if eta_moves:
            # The ETA told becomes the reference of the next move: one UPDATE
            # for the batch rather than one per shipment.
            write_columns(
                shipments, {"notified_eta": "timestamp"}, list(eta_moves.items())
            )

    # ------------------------------------------------------------------
    # Ingest API
    # ------------------------------------------------------------------
    @api.model
    def ingest_events(self, events):
        """Record a batch of tracking events given as plain values.

        Each item is a dict with ``shipment`` (shipment number), ``code``
        (an event code), ``event_time`` (ISO 8601; a time without offset is
        read in ``tz`` when given, else as UTC) and optionally ``external_id``,
        ``source`` (``api`` by default, or ``import``/``manual``),
        ``location``, ``description``, ``new_eta``, ``exception_type``, ``tz``.

        Idempotent: an event whose external ID is already recorded for the
        shipment and source is reported as a duplicate, not stored twice. A bad
        item gets its own error and does not stop the others.

        Returns one dict per item, in order: ``{"index", "status", "id",
        "error"}`` with status ``created``, ``duplicate`` or ``error``.
        Callable through Odoo's external APIs (JSON-2, XML-RPC).
        """
        if not isinstance(events, list | tuple):
            return [
                {
                    "index": 0,
                    "status": "error",
                    "id": False,
                    "error": self.env._("Send the events as a list."),
                }
            ]
        results = [
            {"index": i, "status": "error", "id": False, "error": False}
            for i in range(len(events))
        ]
        numbers = {
            item.get("shipment")
            for item in events
            if isinstance(item, dict) and isinstance(item.get("shipment"), str)
        } - {""}
        shipments = self.env["logistics.shipment"].with_context(active_test=False)
        shipment_by_number = {
            shipment.name: shipment
            for shipment in shipments.search([("name", "in", list(numbers))])
        }
        valid_codes = dict(self._fields["code"]._description_selection(self.env))
        valid_sources = {key for key, _label in self._fields["source"].selection}
        now = fields.Datetime.now()
        pending = []  # (index, vals)
        for index, item in enumerate(events):
            vals, error = self._ingest_prepare(
                item, shipment_by_number, valid_codes, valid_sources, now
            )
            if error:
                results[index]["error"] = error
            else:
                pending.append((index, vals))
        duplicates = self._ingest_known_keys(pending)
        seen = set()
        to_create = []
        for index, vals in pending:
            key = (vals["shipment_id"], vals["source"], vals.get("external_id"))
            if vals.get("external_id") and (key in duplicates or key in seen):
                results[index].update(status="duplicate", id=duplicates.get(key, False))
                continue
            seen.add(key)
            to_create.append((index, vals))
        try:
            created = self._create_ingested([vals for _index, vals in to_create])
        except UniqueViolation as error:
            # A concurrent feed recorded some of these events after this
            # transaction began. The transaction is lost either way: Odoo's
            # retry loop starts over and the next attempt sees them as
            # duplicates.
            raise ConcurrencyError(
                "Tracking events recorded concurrently by another feed"
            ) from error
        for (index, _vals), event in zip(to_create, created, strict=True):
            results[index].update(status="created", id=event.id)
        return results

    def _ingest_prepare(
        self, item, shipment_by_number, valid_codes, valid_sources, now
    ):
        """Turn one ingest item into create values, or say what is wrong."""
        if not isinstance(item, dict):
            return None, self.env._("An event must be a set of named values.")
        missing = [key for key in INGEST_REQUIRED_KEYS if not item.get(key)]
        if missing:
            return None, self.env._("Missing field(s): %s", ", ".join(missing))
        for key, limit in INGEST_TEXT_LIMITS.items():
            value = item.get(key)
            if value in (None, False, "") or (
                key in ("event_time", "new_eta") and isinstance(value, datetime)
            ):
                continue
            if not isinstance(value, str):
                return None, self.env._("%s must be text.", key)
            if len(value) > limit:
                return None, self.env._(
                    "%(key)s is longer than %(limit)s characters.",
                    key=key,
                    limit=limit,
                )
        shipment = shipment_by_number.get(item["shipment"])
        if not shipment:
            return None, self.env._("Unknown shipment %s.", item["shipment"])
        if item["code"] not in valid_codes:
            return None, self.env._("Unknown event code %s.", item["code"])
        source = item.get("source") or "api"
        if source not in valid_sources:
            return None, self.env._("Unknown source %s.", source)
        if (
            item.get("exception_type")
            and item["exception_type"] not in VALID_EXCEPTION_TYPES
        ):
            return None, self.env._(
                "Unknown exception type %s.", item["exception_type"]
            )
        try:
            event_time = self._parse_event_datetime(item["event_time"], item.get("tz"))
            new_eta = (
                self._parse_event_datetime(item["new_eta"], item.get("tz"))
                if item.get("new_eta")
                else False
            )
        except ValueError as error:
            return None, str(error)
        if event_time > now + MAX_CLOCK_SKEW:
            return None, self.env._(
                "Event time %s is too far in the future.", item["event_time"]
            )
        vals = {
            "shipment_id": shipment.id,
            "code": item["code"],
            "event_time": event_time,
            "source": source,
            "external_id": item.get("external_id") or False,
        }
        optional = {
            "new_eta": new_eta,
            "location": item.get("location"),
            "description": item.get("description"),
            "exception_type": item.get("exception_type"),
        }
        vals.update((key, value) for key, value in optional.items() if value)
        return vals, None

    def _ingest_known_keys(self, pending):
        """Map (shipment, source, external id) already stored to their event id."""
        external_ids = {
            vals["external_id"] for _i, vals in pending if vals["external_id"]
        }
        if not external_ids:
            return {}
        known = self.search_fetch(
            [
                ("external_id", "in", list(external_ids)),
                (
                    "shipment_id",
                    "in",
                    list({vals["shipment_id"] for _i, vals in pending}),
                ),
            ],
            ["shipment_id", "source", "external_id"],
        )
        return {
            (event.shipment_id.id, event.source, event.external_id): event.id
            for event in known
        }

    @api.model
    def _parse_event_datetime(self, value, tz_name=None):
        """Return a naive UTC datetime from an ISO 8601 string or a datetime."""
        if isinstance(value, datetime):
            moment = value
        else:
            try:
                moment = datetime.fromisoformat(
                    str(value).strip().replace("Z", "+00:00")
                )
            except ValueError:
                raise ValueError(
                    self.env._("Invalid date and time %s: use ISO 8601.", value)
                ) from None
        if moment.tzinfo is None and tz_name:
            try:
                moment = pytz.timezone(tz_name).localize(moment)
            except pytz.UnknownTimeZoneError:
                raise ValueError(self.env._("Unknown time zone %s.", tz_name)) from None
        if moment.tzinfo is not None:
            moment = moment.astimezone(pytz.UTC).replace(tzinfo=None)
        return moment.replace(microsecond=0)
