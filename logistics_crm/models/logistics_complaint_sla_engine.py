from collections import defaultdict

from odoo import api, fields, models

from .logistics_selections import COMPLAINT_PRIORITIES

DEFAULT_TARGET_HOURS = 24.0
SLA_WARNING_ACTIVITY = "logistics_crm.mail_activity_type_sla_warning"
SLA_BREACH_ACTIVITY = "logistics_crm.mail_activity_type_sla_breach"


class LogisticsComplaintSlaEngine(models.AbstractModel):
    """The SLA workflow of complaint tickets: the first-response and
    resolution clocks started from the customer's tier, moved by the
    ticket's stages (paused while waiting on the customer, met when
    resolved, restarted when reopened, cancelled when closed unresolved),
    met by the first reply the customer sees, then warned and escalated by
    the deadline cron. Every method works on a batch of tickets."""

    _name = "logistics.complaint.sla.engine"
    _description = "Complaint SLA Engine"

    @api.model
    def _start(self, complaints):
        """First-response and resolution milestones from each customer's
        tier, planned in one pass per working calendar."""
        now = fields.Datetime.now()
        default_calendar = self.env.company.resource_calendar_id
        values_list = []
        for complaint in complaints:
            level = complaint.partner_id._logistics_service_level()
            calendar = level["calendar"] or default_calendar
            for kind, hours in (
                ("first_response", level["first_response_hours"]),
                ("resolution", level["resolution_hours"]),
            ):
                values_list.append(
                    {
                        "complaint_id": complaint.id,
                        "kind": kind,
                        "target_hours": hours or DEFAULT_TARGET_HOURS,
                        "calendar_id": calendar.id,
                    }
                )
        self.env["logistics.complaint.sla"].sudo()._start_clocks(values_list, now)
        no_stage = self.env["logistics.complaint.stage"]
        for stage, paused in (
            complaints.filtered("stage_id.pause_sla").grouped("stage_id").items()
        ):
            self._apply_stage_change(paused, no_stage, stage)

    @api.model
    def _apply_stage_change(self, complaints, old_stage, new_stage):
        """Apply a move between two stages to the SLA clocks of these
        tickets, all at once."""
        now = fields.Datetime.now()
        slas = complaints.sudo().sla_ids
        if old_stage.pause_sla and not new_stage.pause_sla:
            self._end_pauses(complaints, now)
            slas.filtered(lambda sla: sla.status == "paused")._restart_clocks(now)
        if new_stage.is_resolved and not old_stage.is_resolved:
            slas._stop_clocks(now, "met")
            complaints.write({"resolved_date": now})
            complaints._request_rating()
        elif old_stage.is_resolved and not new_stage.is_resolved:
            # Reopened: the resolution clock goes on from where it stopped.
            slas.filtered(lambda sla: sla.kind == "resolution")._restart_clocks(now)
            complaints.write({"resolved_date": False})
        if new_stage.is_closed and not new_stage.is_resolved:
            slas._stop_clocks(now, "cancelled")
        if new_stage.pause_sla and not old_stage.pause_sla:
            slas._stop_clocks(now, "paused")
            self.env["logistics.complaint.pause"].sudo().create(
                [
                    {
                        "complaint_id": complaint.id,
                        "stage_id": new_stage.id,
                        "user_id": self.env.uid,
                        "date_from": now,
                    }
                    for complaint in complaints
                ]
            )
        if new_stage.is_closed != old_stage.is_closed:
            complaints.write({"closed_date": now if new_stage.is_closed else False})

    @api.model
    def _end_pauses(self, complaints, now):
        pauses = complaints.sudo().pause_ids.filtered(lambda pause: not pause.date_to)
        paused = complaints.sudo().sla_ids.filtered(lambda sla: sla.status == "paused")
        since = {pause.complaint_id.id: pause.date_from for pause in pauses}
        hours = paused._elapsed(
            now, {sla.id: since.get(sla.complaint_id.id, now) for sla in paused}
        )
        by_complaint = defaultdict(float)
        for sla in paused:
            sla.paused_hours += hours[sla.id]
            by_complaint[sla.complaint_id.id] = max(
                by_complaint[sla.complaint_id.id], hours[sla.id]
            )
        for pause in pauses:
            pause.write(
                {"date_to": now, "working_hours": by_complaint[pause.complaint_id.id]}
            )

    @api.model
    def _mark_first_response(self, complaints, message):
        """The first message from staff that the customer can see meets the
        first-response milestone."""
        waiting = complaints.filtered(
            lambda complaint: not complaint.first_response_date
        )
        if not waiting:
            return
        now = message.date or fields.Datetime.now()
        waiting.sudo().write({"first_response_date": now})
        waiting.sudo().sla_ids.filtered(
            lambda sla: sla.kind == "first_response"
        )._stop_clocks(now, "met")

    @api.model
    def _warn(self, slas):
        activity_type = self.env.ref(SLA_WARNING_ACTIVITY)
        labels = dict(self.env["logistics.complaint.sla"]._fields["kind"].selection)
        for sla in slas:
            complaint = sla.complaint_id
            note = self.env._(
                "SLA warning: the %(milestone)s target is due %(deadline)s.",
                milestone=labels[sla.kind],
                deadline=fields.Datetime.to_string(sla.deadline),
            )
            complaint.message_post(body=note, subtype_xmlid="mail.mt_note")
            owner = complaint.user_id or complaint.team_id.user_id
            if owner:
                complaint.activity_schedule(
                    activity_type_id=activity_type.id, user_id=owner.id, summary=note
                )

    @api.model
    def _escalate(self, slas):
        """A breach: activities for the team leader and the account manager,
        a message, and the priority one level up."""
        activity_type = self.env.ref(SLA_BREACH_ACTIVITY)
        labels = dict(self.env["logistics.complaint.sla"]._fields["kind"].selection)
        for sla in slas:
            complaint = sla.complaint_id
            note = self.env._(
                "SLA breached: the %(milestone)s target of %(hours)s working hours "
                "was missed. Escalated.",
                milestone=labels[sla.kind],
                hours=f"{sla.target_hours:g}",
            )
            complaint.message_post(body=note, subtype_xmlid="mail.mt_note")
            owners = (
                complaint.team_id.user_id
                | complaint.partner_id.commercial_partner_id.account_manager_id
            )
            for owner in owners:
                complaint.activity_schedule(
                    activity_type_id=activity_type.id, user_id=owner.id, summary=note
                )
            if complaint.priority != COMPLAINT_PRIORITIES[-1][0]:
                complaint.priority = str(int(complaint.priority or "0") + 1)
