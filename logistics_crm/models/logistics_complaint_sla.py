from collections import defaultdict

from odoo import api, fields, models

from .logistics_naming import name_after_parent
from .logistics_selections import SLA_KINDS, SLA_STATUSES

DEFAULT_WARNING_SHARE = 0.8


class LogisticsComplaintSla(models.Model):
    """One SLA milestone of a ticket: a clock counting working time.

    The clock runs from ``clock_start``; ``consumed_hours`` holds the working
    time used before that (previous running periods). Pausing folds the
    running period into ``consumed_hours``; resuming restarts the clock and
    plans the remaining hours again. Every method works on a whole batch,
    reading each calendar's working time once.
    """

    _name = "logistics.complaint.sla"
    _description = "Complaint SLA Milestone"
    _order = "complaint_id, kind"
    _rec_names_search = ["complaint_id"]

    complaint_id = fields.Many2one(
        comodel_name="logistics.complaint",
        string="Complaint",
        required=True,
        index=True,
        ondelete="cascade",
    )
    kind = fields.Selection(selection=SLA_KINDS, required=True)
    target_hours = fields.Float(string="Target (working h)", required=True)
    calendar_id = fields.Many2one(
        comodel_name="resource.calendar",
        string="Working Hours",
        help="Empty: the target counts in clock hours, around the clock.",
    )
    status = fields.Selection(
        selection=SLA_STATUSES, required=True, default="running", index=True
    )
    clock_start = fields.Datetime(string="Running Since")
    deadline = fields.Datetime()
    warning_date = fields.Datetime(string="Warning At")
    warned = fields.Boolean()
    consumed_hours = fields.Float(
        string="Consumed (working h)",
        digits=(16, 2),
        help="Working time used before the clock last (re)started.",
    )
    paused_hours = fields.Float(string="Paused (working h)", digits=(16, 2))
    met_date = fields.Datetime(string="Met On")
    calendar_note = fields.Char(
        string="Holidays Counted",
        compute="_compute_calendar_note",
        help="The public holidays (no working time) and make-up working days "
        "(working time on a rest day) between the milestone's start and its "
        "deadline: what moved the deadline from the calendar's usual week.",
    )

    _kind_unique = models.UniqueIndex(
        "(complaint_id, kind)", "A ticket has one milestone of each kind."
    )
    # The cron reads only the running clocks whose warning or deadline passed.
    _due_index = models.Index("(deadline) WHERE status = 'running'")
    _warning_index = models.Index(
        "(warning_date) WHERE status = 'running' AND NOT warned"
    )

    @api.depends("complaint_id.display_name", "kind")
    def _compute_display_name(self):
        name_after_parent(self, "complaint_id", "kind")

    @api.depends("calendar_id", "deadline")
    def _compute_calendar_note(self):
        self.calendar_note = False
        Days = self.env["logistics.business.calendar"]
        planned = self.filtered(lambda sla: sla.calendar_id and sla.deadline)
        for calendar, group in planned.grouped("calendar_id").items():
            for sla, labels in zip(
                group,
                Days._days_within(
                    calendar,
                    [(sla._logistics_first_start(), sla.deadline) for sla in group],
                ),
                strict=True,
            ):
                sla.calendar_note = "; ".join(labels) or False

    def _logistics_first_start(self):
        """When the milestone's clock first ran: its creation, or its last
        start when that is earlier (a clock started with a given time)."""
        return min(
            moment
            for moment in (self.create_date, self.clock_start, self.deadline)
            if moment
        )

    @api.model
    def _warning_share(self):
        share = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("logistics_crm.sla_warning_share")
        )
        return float(share) / 100 if share else DEFAULT_WARNING_SHARE

    # ------------------------------------------------------------------
    # Clock operations, each on a batch of milestones
    # ------------------------------------------------------------------
    @api.model
    def _start_clocks(self, values_list, now):
        """Create running milestones from values holding complaint_id, kind,
        target_hours and calendar_id; deadline and warning planned in batch."""
        share = self._warning_share()
        by_calendar = defaultdict(list)
        for values in values_list:
            by_calendar[values["calendar_id"]].append(values)
        for calendar_id, group in by_calendar.items():
            calendar = self.env["resource.calendar"].browse(calendar_id)
            requests = []
            for values in group:
                requests += [
                    (now, values["target_hours"]),
                    (now, values["target_hours"] * share),
                ]
            planned = calendar._logistics_plan_hours(requests)
            for index, values in enumerate(group):
                values.update(
                    status="running",
                    clock_start=now,
                    deadline=planned[2 * index],
                    warning_date=planned[2 * index + 1],
                )
        return self.create(values_list)

    def _stop_clocks(self, now, status):
        """Fold the running time into consumed_hours and leave the clocks in
        ``status`` (paused, met, cancelled). Breached milestones stay breached;
        meeting them only records when."""
        running = self.filtered(lambda sla: sla.status == "running")
        elapsed = running._elapsed(now)
        # A met or cancelled milestone keeps the deadline that applied, which
        # the ticket and the portal go on showing; a paused one gets a new
        # deadline when its clock restarts.
        stopped = {"status": status, "clock_start": False, "warning_date": False}
        if status == "paused":
            stopped["deadline"] = False
        for sla in running:
            sla.write(
                {**stopped, "consumed_hours": sla.consumed_hours + elapsed[sla.id]}
            )
        if status != "paused":
            self.filtered(lambda sla: sla.status == "paused").status = status
        if status == "met":
            self.filtered(lambda sla: not sla.met_date).met_date = now

    def _restart_clocks(self, now):
        """Restart paused (or reopened) milestones where they stopped: the
        remaining working hours are planned again from now."""
        share = self._warning_share()
        restart = self.filtered(lambda sla: sla.status in ("paused", "met"))
        for calendar, slas in restart.grouped("calendar_id").items():
            requests = []
            for sla in slas:
                requests += [
                    (now, max(sla.target_hours - sla.consumed_hours, 0)),
                    (now, max(sla.target_hours * share - sla.consumed_hours, 0)),
                ]
            planned = calendar._logistics_plan_hours(requests)
            for index, sla in enumerate(slas):
                sla.write(
                    {
                        "status": "running",
                        "clock_start": now,
                        "deadline": planned[2 * index],
                        "warning_date": planned[2 * index + 1],
                        "met_date": False,
                    }
                )
        self.filtered(lambda sla: sla.status == "breached").met_date = False

    def _elapsed(self, now, since=None):
        """{sla id: working hours from its clock start (or ``since[sla.id]``)
        to now}, one working-time read per calendar."""
        since = since or {}
        elapsed = {}
        for calendar, slas in self.grouped("calendar_id").items():
            hours = calendar._logistics_work_hours(
                [(since.get(sla.id) or sla.clock_start or now, now) for sla in slas]
            )
            elapsed.update(zip(slas.ids, hours, strict=True))
        return elapsed

    # ------------------------------------------------------------------
    # Cron: warnings and breaches
    # ------------------------------------------------------------------
    @api.model
    def _cron_check_deadlines(self):
        now = fields.Datetime.now()
        due = self.search(
            [
                ("status", "=", "running"),
                "|",
                ("deadline", "<=", now),
                "&",
                ("warned", "=", False),
                ("warning_date", "<=", now),
            ]
        )
        breached = due.filtered(lambda sla: sla.deadline and sla.deadline <= now)
        warned = (due - breached).filtered(lambda sla: not sla.warned)
        warned.write({"warned": True})
        breached.write({"status": "breached", "warned": True})
        engine = self.env["logistics.complaint.sla.engine"]
        engine._warn(warned)
        engine._escalate(breached)
