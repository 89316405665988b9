from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.tools import SQL

from .logistics_selections import SURVEY_SCORE_DIMENSIONS

SNAPSHOT_MONTHS = 12
# How many days ago the played demo quotes were sent, so that the quote
# conversion report shows a sales cycle rather than quotes all sent today.
QUOTE_SENT_DAYS_AGO = {
    "logistics_quote_sent_demo": 3,
    "logistics_quote_accepted_demo": 9,
    "logistics_quote_rejected_demo": 20,
    "logistics_quote_expired_demo": 60,
    "logistics_quote_revised_demo": 14,
}
# Going rates of the demo quotes by transport mode, in the rate's basis.
DEMO_RATES = {
    "sea_fcl": 1850.0,
    "sea_lcl": 95.0,
    "air": 4.6,
    "rail": 3200.0,
    "road_ftl": 1250.0,
    "road_ltl": 0.35,
    "express": 12.0,
    "multimodal": 2400.0,
}
# What one booking of the demo moves, by rate basis.
DEMO_QUANTITIES = {"teu": 2.0, "kg": 850.0, "m3": 12.0, "pallet": 6.0, "shipment": 1.0}
# What each demo complaint lives through, by XML id: the stage it is moved
# to, whether staff answered (first response), its rating, how long ago it
# happened and the lane of the shipment it is about. "warn" and "breach" age
# the ticket until its first-response milestone is past its warning or its
# deadline, then let the SLA job act.
COMPLAINT_PLAYS = {
    "logistics_complaint_late_demo": {
        "stage": "in_progress",
        "reply": True,
        "lane": "logistics_lane_demo_01",
    },
    "logistics_complaint_new_demo": {"stage": "new"},
    "logistics_complaint_warned_demo": {"stage": "new", "age": "warn"},
    "logistics_complaint_breached_demo": {
        "stage": "in_progress",
        "age": "breach",
        "lane": "logistics_lane_demo_11",
    },
    "logistics_complaint_waiting_demo": {
        "lane": "logistics_lane_demo_01",
        "stage": "waiting",
        "reply": True,
        "age": 3,
    },
    "logistics_complaint_billing_demo": {
        "stage": "resolved",
        "reply": True,
        "rating": 5,
        "age": 40,
    },
    "logistics_complaint_shortage_demo": {
        "lane": "logistics_lane_demo_14",
        "stage": "closed",
        "reply": True,
        "rating": 2,
        "age": 70,
    },
    "logistics_complaint_loss_demo": {
        "lane": "logistics_lane_demo_10",
        "stage": "closed",
        "reply": True,
        "rating": 4,
        "age": 110,
    },
    "logistics_complaint_cancelled_demo": {"stage": "cancelled", "age": 20},
}
# Columns holding the moments of a ticket's history, moved back together.
COMPLAINT_DATE_COLUMNS = {
    "logistics_complaint": (
        "complaint_id",
        (
            "create_date",
            "first_response_date",
            "resolved_date",
            "closed_date",
            "sla_deadline",
        ),
    ),
    "logistics_complaint_sla": (
        "complaint_id",
        ("create_date", "clock_start", "deadline", "warning_date", "met_date"),
    ),
    "logistics_complaint_pause": ("complaint_id", ("date_from", "date_to")),
}


class LogisticsDemo(models.AbstractModel):
    """Demo data played through the real workflows: tickets moved through
    their stages with their SLA clocks and ratings, quotes sent, answered,
    expired and revised, and the monthly scorecards taken by the monthly job's
    own code. Called once, from demo data (noupdate): nothing here runs again
    on an upgrade."""

    _name = "logistics.demo"
    _description = "Logistics CRM Demo Data"

    @api.model
    def _ref(self, name):
        return self.env.ref(name if "." in name else f"logistics_crm.{name}")

    # ------------------------------------------------------------------
    # Complaints
    # ------------------------------------------------------------------
    @api.model
    def _demo_play_complaints(self):
        complaints = {name: self._ref(name) for name in COMPLAINT_PLAYS}
        staff = self.env.ref("base.user_admin")
        # Staff's first answer meets the first-response milestone.
        for name, play in COMPLAINT_PLAYS.items():
            if play.get("reply"):
                complaints[name].with_user(staff).message_post(
                    body=self.env._(
                        "We are on it and will come back to you with the facts."
                    ),
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )
        Complaint = self.env["logistics.complaint"]
        by_stage = {}
        for name, play in COMPLAINT_PLAYS.items():
            by_stage.setdefault(play["stage"], Complaint)
            by_stage[play["stage"]] |= complaints[name]
        for stage, moved in by_stage.items():
            stage_id = self._ref(f"logistics_complaint_stage_{stage}").id
            moved.filtered(lambda c, s=stage_id: c.stage_id.id != s).write(
                {"stage_id": stage_id}
            )
        # The customers' answers to the rating requests of resolved tickets.
        for name, play in COMPLAINT_PLAYS.items():
            if play.get("rating"):
                complaint = complaints[name]
                complaint.rating_apply(
                    play["rating"],
                    token=complaint._rating_get_access_token(),
                    feedback=self.env._("Thank you for the follow-up.")
                    if play["rating"] > 2
                    else self.env._("Solved, but far too slowly."),
                )
        self._demo_age_complaints(
            {
                complaints[name]: play["age"]
                for name, play in COMPLAINT_PLAYS.items()
                if play.get("age")
            }
        )
        self._demo_link_shipments(
            {
                complaints[name]: play.get("lane") and self._ref(play["lane"])
                for name, play in COMPLAINT_PLAYS.items()
            }
        )
        # The SLA job warns and escalates what the ageing made due.
        self.env["logistics.complaint.sla"]._cron_check_deadlines()

    @api.model
    def _demo_link_shipments(self, lanes):
        """Each ticket about a shipment of its customer (on the lane given,
        ``lanes``: {complaint: lane or None}) delivered before it was opened,
        the latest not yet complained about."""
        complaints = list(lanes)
        customers = self.env["res.partner"].union(*(c.partner_id for c in complaints))
        shipments = self.env["logistics.shipment"].search(
            [("partner_id", "in", customers.ids), ("state", "=", "delivered")],
            order="actual_delivery_date desc",
        )
        used = set()
        for complaint in complaints:
            shipment = next(
                (
                    shipment
                    for shipment in shipments
                    if shipment.partner_id == complaint.partner_id
                    and shipment.lane_id == (lanes[complaint] or shipment.lane_id)
                    and shipment.actual_delivery_date <= complaint.create_date
                    and shipment.id not in used
                ),
                None,
            )
            if shipment:
                used.add(shipment.id)
                complaint.shipment_id = shipment

    @api.model
    def _demo_age_complaints(self, ages):
        """Move each ticket's history back in time: by a number of days, or,
        for "warn" and "breach", past the warning or the deadline of its
        first-response milestone. The durations between its moments stay."""
        now = fields.Datetime.now()
        shifts = {}
        for complaint, age in ages.items():
            if isinstance(age, int):
                shifts[complaint.id] = timedelta(days=age)
                continue
            sla = complaint.sla_ids.filtered(lambda s: s.kind == "first_response")
            if age == "warn":
                shifts[complaint.id] = (sla.warning_date - now) + (
                    sla.deadline - sla.warning_date
                ) / 2
            else:
                shifts[complaint.id] = (sla.deadline - now) + timedelta(days=1)
        self.env.flush_all()
        ids = list(shifts)
        seconds = [shifts[complaint_id].total_seconds() for complaint_id in ids]
        for table, (key, columns) in COMPLAINT_DATE_COLUMNS.items():
            id_column = "id" if table == "logistics_complaint" else key
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE %(table)s t
                       SET %(sets)s
                      FROM unnest(%(ids)s::int[], %(seconds)s::float[])
                           AS shift(complaint_id, seconds)
                     WHERE t.%(id_column)s = shift.complaint_id
                    """,
                    table=SQL.identifier(table),
                    sets=SQL(", ").join(
                        SQL(
                            "%(column)s = %(column)s"
                            " - make_interval(secs => shift.seconds)",
                            column=SQL.identifier(column),
                        )
                        for column in columns
                    ),
                    ids=ids,
                    seconds=seconds,
                    id_column=SQL.identifier(id_column),
                )
            )
        # The ratings and the conversation date from the same moments.
        for table, model_column, id_column, date_column in (
            ("rating_rating", "res_model", "res_id", "create_date"),
            ("mail_message", "model", "res_id", "date"),
        ):
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE %(table)s t
                       SET %(date_column)s = t.%(date_column)s
                           - make_interval(secs => shift.seconds)
                      FROM unnest(%(ids)s::int[], %(seconds)s::float[])
                           AS shift(complaint_id, seconds)
                     WHERE t.%(model_column)s = 'logistics.complaint'
                       AND t.%(id_column)s = shift.complaint_id
                    """,
                    table=SQL.identifier(table),
                    date_column=SQL.identifier(date_column),
                    model_column=SQL.identifier(model_column),
                    id_column=SQL.identifier(id_column),
                    ids=ids,
                    seconds=seconds,
                )
            )
        self.env.invalidate_all()

    # ------------------------------------------------------------------
    # Quotes
    # ------------------------------------------------------------------
    @api.model
    def _demo_play_quotes(self):
        """Sent, then answered, expired or revised as in real life."""
        names = (
            "logistics_quote_sent_demo",
            "logistics_quote_accepted_demo",
            "logistics_quote_rejected_demo",
            "logistics_quote_expired_demo",
            "logistics_quote_revised_demo",
        )
        quotes = self.env["logistics.quote"].union(*(self._ref(n) for n in names))
        quotes.action_mark_sent()
        now = fields.Datetime.now()
        for name, days in QUOTE_SENT_DAYS_AGO.items():
            self._demo_sent_on(self._ref(name), now - timedelta(days=days))
        self._ref("logistics_quote_accepted_demo").action_accept("Zhang Min")
        self._ref("logistics_quote_rejected_demo").action_reject(
            self.env._("The rate is above our budget for this lane.")
        )
        # Its validity ended: the daily job expires it.
        self.env["logistics.quote"]._cron_expire()
        revised = self._ref("logistics_quote_revised_demo")
        revised.action_revise()
        revised.revised_by_id.action_mark_sent()
        self._ref("logistics_quote_accepted_demo").lead_id.action_set_won()

    # ------------------------------------------------------------------
    # Quote to cash
    # ------------------------------------------------------------------
    @api.model
    def _demo_play_quote_to_cash(self):
        """Bookings from accepted quotes, their shipments delivered and
        invoiced by each customer's policy, last month's statements
        answered (confirmed, disputed, still to confirm) and invoices paid,
        all by the code the crons and the portal run."""
        invoicing = self.env["logistics.invoicing"].with_context(
            logistics_skip_notifications=True
        )
        # The accepted demo quote: confirmed, its shipments booked.
        self._ref("logistics_quote_accepted_demo").booking_id.action_confirm()
        # Per-shipment customers: a booking delivered this week, invoiced on
        # delivery; the first one paid.
        per_shipment = self.env["res.partner"].search(
            [
                ("logistics_invoicing_policy", "=", "shipment"),
                ("logistics_lane_ids", "!=", False),
                ("is_company", "=", True),
            ],
            order="id",
            limit=2,
        )
        now = fields.Datetime.now()
        for index, customer in enumerate(per_shipment):
            booking = self._demo_booking(
                customer,
                sent=now - timedelta(days=12 + 2 * index),
                booked=now - timedelta(days=6),
            )
            self._demo_deliver(booking.logistics_shipment_ids, days_ago=1)
        self._demo_pay(invoicing._cron_invoice_deliveries()[:1])
        # Monthly-settlement customers: last month's bookings, one statement
        # each, answered as customers do.
        last_month = fields.Date.context_today(self).replace(day=1) - relativedelta(
            days=1
        )
        customers = self.env["res.partner"].search(
            [
                ("logistics_invoicing_policy", "=", "monthly"),
                ("logistics_lane_ids", "!=", False),
            ],
            order="id",
            limit=3,
        )
        booked = datetime.combine(last_month.replace(day=13), time(10))
        for index, customer in enumerate(customers):
            booking = self._demo_booking(
                customer,
                sent=booked - timedelta(days=4 + 3 * index, hours=5),
                booked=booked,
            )
            self._demo_deliver(
                booking.logistics_shipment_ids, day=last_month.replace(day=20)
            )
        invoices = invoicing._cron_monthly_settlement()
        statements = self.env["logistics.statement"].search(
            [("invoice_id", "in", invoices.ids)], order="id"
        )
        if statements:
            statements[0].action_confirm(
                statements[0].partner_id.child_ids[:1].name or "Zhang Min"
            )
            self._demo_pay(statements[0].invoice_id)
        if len(statements) > 1:
            disputed = statements[1]
            disputed.action_dispute(
                disputed.shipment_ids[:1],
                self.env._(
                    "The fuel surcharge on this shipment was not in our contract."
                ),
            )

    @api.model
    def _demo_play_commissions(self):
        """The closed months' commissions on paid invoices settled, as the
        monthly job does on the 1st."""
        return self.env["commission.make.settle"]._cron_logistics_settle_commissions()

    @api.model
    def _demo_booking(self, customer, sent, booked):
        """A quote for the customer sent at ``sent``, accepted by its contact
        and booked (confirmed) at ``booked``."""
        quote = self._demo_quote(customer)
        quote.action_mark_sent()
        self._demo_sent_on(quote, sent)
        quote.action_accept(customer.child_ids[:1].name or customer.name)
        booking = quote.booking_id
        booking.action_confirm()
        # Confirming dates the booking now; the demo's happened earlier.
        booking.date_order = booked
        return booking

    @api.model
    def _demo_sent_on(self, quote, when):
        """Date a just-sent quote (and its quote date) back to ``when``."""
        quote.with_context(logistics_quote_unlock=True).write(
            {
                "date_sent": when,
                "date_quote": min(quote.date_quote, when.date()),
            }
        )

    @api.model
    def _demo_quote(self, customer):
        """A quote on two of the customer's lanes, with a fuel surcharge and
        customs brokerage on the first, at the demo's going rates."""
        lanes = customer.logistics_lane_ids[:2]
        Line = self.env["logistics.quote.line"]
        lines = Line._values_from_lanes(lanes)
        for values, lane in zip(lines, lanes, strict=True):
            values["rate"] = DEMO_RATES.get(lane.mode, 1000.0)
            values["quantity"] = DEMO_QUANTITIES.get(values["rate_basis"], 1.0)
        quote = self.env["logistics.quote"].create(
            {
                "partner_id": customer.id,
                "user_id": customer.account_manager_id.id or self.env.uid,
                "line_ids": [Command.create(values) for values in lines],
            }
        )
        freight = quote.line_ids[:1]
        Line.create(
            [
                {
                    "quote_id": quote.id,
                    "line_type": "surcharge",
                    "surcharge_type": surcharge,
                    "parent_id": freight.id,
                    "rate": rate,
                    "rate_basis": freight.rate_basis,
                }
                for surcharge, rate in (
                    ("fuel", freight.rate * 0.12),
                    ("customs", 35.0),
                )
            ]
        )
        return quote

    @api.model
    def _demo_deliver(self, shipments, days_ago=None, day=None):
        """Picked up and delivered by the tracking feed, on ``day`` or
        ``days_ago`` days back."""
        when = day or fields.Date.context_today(self) - relativedelta(days=days_ago)
        self.env["logistics.shipment.event"].with_context(
            logistics_skip_notifications=True
        ).ingest_events(
            [
                {
                    "shipment": shipment.name,
                    "code": code,
                    "event_time": f"{when - relativedelta(days=offset)}T{hour}:00:00Z",
                    "external_id": f"demo-{code}-{shipment.name}",
                    "source": "api",
                }
                for shipment in shipments
                for code, offset, hour in (
                    ("picked_up", 3, "02"),
                    ("delivered", 0, "08"),
                )
            ]
        )

    @api.model
    def _demo_pay(self, invoices):
        if invoices:
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoices.ids
            ).create({})._create_payments()

    # ------------------------------------------------------------------
    # Scorecards
    # ------------------------------------------------------------------
    @api.model
    def _demo_take_snapshots(self):
        """The last closed months' scorecards, by the monthly job's code."""
        first = fields.Date.context_today(self).replace(day=1)
        Snapshot = self.env["logistics.kpi.snapshot"]
        for months_back in range(SNAPSHOT_MONTHS, 0, -1):
            Snapshot._take(first - relativedelta(months=months_back))

    # ------------------------------------------------------------------
    # Marketing
    # ------------------------------------------------------------------
    @api.model
    def _demo_cross_sell(self, campaign):
        """Discovery's hints made opportunities by the wizard's own code, for
        the customers whose industry peers use a mode they do not."""
        hinted = self.env["res.partner"].search(
            [("logistics_peer_service_line_ids", "!=", False)]
        )
        if hinted:
            self.env["logistics.cross.sell"].create(
                {"partner_ids": [Command.set(hinted.ids)], "campaign_id": campaign}
            ).action_create_opportunities()

    # ------------------------------------------------------------------
    # Voice of the customer
    # ------------------------------------------------------------------
    @api.model
    def _demo_answer_surveys(self, answers):
        """{contact xmlid: (recommend, six dimension scores, comment)}: the
        contacts' open relationship-survey invitations answered and done."""
        survey = self._ref("survey_relationship")
        for name, scores in answers.items():
            answer = self.env["survey.user_input"].search(
                [
                    ("survey_id", "=", survey.id),
                    ("partner_id", "=", self._ref(name).id),
                    ("state", "=", "new"),
                ],
                limit=1,
            )
            self._demo_complete_survey(answer, *scores)

    @api.model
    def _demo_past_surveys(self, history):
        """{contact xmlid: [(months ago, recommend, six dimension scores,
        comment)]}: the answers of earlier survey cycles, invited three days
        before, so that the scorecards and the NPS trend have months behind
        them and the next cycle is due by the tier's interval."""
        survey = self._ref("survey_relationship")
        today = fields.Datetime.now()
        for name, answers in history.items():
            contact = self._ref(name)
            for months_ago, *scores in answers:
                answered = today - relativedelta(months=months_ago)
                answer = self.env["survey.user_input"].create(
                    {
                        "survey_id": survey.id,
                        "partner_id": contact.id,
                        "email": contact.email,
                        "logistics_invited_on": answered - timedelta(days=3),
                    }
                )
                self._demo_complete_survey(answer, *scores)
                answer.end_datetime = answered

    @api.model
    def _demo_complete_survey(self, answer, recommend, scores, comment):
        questions = {
            question.logistics_dimension: question
            for question in answer.survey_id.question_ids
        }
        answer._save_lines(questions["nps"], recommend)
        for dimension, score in zip(SURVEY_SCORE_DIMENSIONS, scores, strict=True):
            answer._save_lines(questions[dimension], score)
        answer._save_lines(questions["comment"], comment)
        answer._mark_done()

    @api.model
    def _demo_tag_survey_themes(self, themes):
        """{contact xmlid: [theme codes]}: the themes the account team read in
        the contacts' completed answers."""
        by_code = {
            theme.code: theme
            for theme in self.env["logistics.feedback.theme"].search([])
        }
        for name, codes in themes.items():
            self.env["survey.user_input"].search(
                [("partner_id", "=", self._ref(name).id), ("state", "=", "done")]
            ).logistics_theme_ids = [by_code[code].id for code in codes]
