from collections import defaultdict

from odoo import api, fields, models

DEFAULT_RESPONSE_HOURS = 8.0
WARNING_ACTIVITY = "logistics_crm.mail_activity_type_quote_response_warning"
BREACH_ACTIVITY = "logistics_crm.mail_activity_type_quote_response_breach"


class LogisticsQuoteResponseClock(models.AbstractModel):
    """The clock a quote request runs until its firm quote is sent: the
    tier's target in working hours (4 for strategic and key customers, a
    working day otherwise), warned and escalated as complaint SLAs are.
    Every method works on a batch, one working-time read per calendar."""

    _name = "logistics.quote.response.clock"
    _description = "Quote Response Clock"

    @api.model
    def _start(self, requests, now):
        share = self.env["logistics.complaint.sla"]._warning_share()
        targets, by_calendar = {}, defaultdict(list)
        for request in requests:
            tier = request.partner_id.commercial_partner_id.tier_id
            calendar = (
                tier.resource_calendar_id or request.company_id.resource_calendar_id
            )
            targets[request] = tier.quote_response_hours or DEFAULT_RESPONSE_HOURS
            by_calendar[calendar].append(request)
        for calendar, group in by_calendar.items():
            planned = calendar._logistics_plan_hours(
                [
                    (now, hours)
                    for request in group
                    for hours in (targets[request], targets[request] * share)
                ]
            )
            for index, request in enumerate(group):
                request.write(
                    {
                        "response_target_hours": targets[request],
                        "response_calendar_id": calendar.id,
                        "response_status": "running",
                        "response_start": now,
                        "response_deadline": planned[2 * index],
                        "response_warning_date": planned[2 * index + 1],
                        "response_warned": False,
                    }
                )

    @api.model
    def _stop(self, quotes, now):
        """Firm quotes went out: the clocks of their requests stop, met unless
        already breached."""
        requests = self.env["logistics.quote.request"].search(
            [("quote_id", "in", quotes.ids), ("response_date", "=", False)]
        )
        for calendar, group in requests.grouped("response_calendar_id").items():
            hours = calendar._logistics_work_hours(
                [(request.response_start or now, now) for request in group]
            )
            for request, spent in zip(group, hours, strict=True):
                request.write(
                    {
                        "response_date": now,
                        "response_hours": spent,
                        "response_status": "breached"
                        if request.response_status == "breached"
                        else "met",
                    }
                )

    @api.model
    def _cron_check_deadlines(self):
        """An activity for the salesperson at the warning; at the breach, one
        for the team leader and the account manager (the salesperson when
        neither is set) and the opportunity raised to the top priority."""
        now = fields.Datetime.now()
        due = self.env["logistics.quote.request"].search(
            [
                ("response_status", "=", "running"),
                "|",
                ("response_deadline", "<=", now),
                "&",
                ("response_warned", "=", False),
                ("response_warning_date", "<=", now),
            ]
        )
        breached = due.filtered(lambda request: request.response_deadline <= now)
        warned = due - breached
        warned.write({"response_warned": True})
        breached.write({"response_status": "breached", "response_warned": True})
        warning_type = self.env.ref(WARNING_ACTIVITY)
        breach_type = self.env.ref(BREACH_ACTIVITY)
        for request in warned:
            note = self.env._(
                "Quote response due %s.",
                fields.Datetime.to_string(request.response_deadline),
            )
            self._notify(request, warning_type, note, request.lead_id.user_id)
        for request in breached:
            note = self.env._(
                "Quote response target of %s working hours missed. Escalated.",
                request.response_target_hours,
            )
            customer = request.partner_id.commercial_partner_id
            escalated = request.lead_id.team_id.user_id | customer.account_manager_id
            self._notify(
                request, breach_type, note, escalated or request.lead_id.user_id
            )
        breached.lead_id.filtered(lambda lead: lead.priority < "3").write(
            {"priority": "3"}
        )

    @api.model
    def _notify(self, request, activity_type, note, users):
        request.message_post(body=note, subtype_xmlid="mail.mt_note")
        for user in users:
            request.activity_schedule(
                activity_type_id=activity_type.id, user_id=user.id, summary=note
            )
