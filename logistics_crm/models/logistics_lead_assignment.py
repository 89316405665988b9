from ast import literal_eval
from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain

ESCALATION_ACTIVITY = "logistics_crm.mail_activity_type_unassigned_lead"


class LogisticsLeadAssignment(models.AbstractModel):
    """Odoo's own lead assignment rules applied at once to the opportunities
    of quote requests: the team's and its members' assignment domains (on
    region, mode, industry...) and the members' capacities. Odoo's
    assignment cron does the same for every unassigned lead but commits as
    it goes, which a portal request must not; what no rule takes is left to
    that cron. Strategic prospects are the senior team's alone."""

    _name = "logistics.lead.assignment"
    _description = "Lead Assignment and Escalation"

    @api.model
    def _assign(self, leads):
        teams = self.env["crm.team"].search(
            [("assignment_optout", "=", False), ("use_opportunities", "=", True)]
        )
        members = teams.crm_team_member_ids.filtered(
            lambda member: not member.assignment_optout
        )
        quota = {member: member._get_assignment_quota() for member in members}
        for lead in leads.filtered(lambda lead: not lead.user_id):
            senior = self._senior_team(lead)
            member = self._pick_member(lead, senior or teams, quota)
            if member:
                quota[member] -= 1
                lead.write(
                    {"team_id": member.crm_team_id.id, "user_id": member.user_id.id}
                )

    @api.model
    def _route_strategic(self, leads):
        """Strategic prospects nobody sells yet join their company's senior
        team, whose members' rules (here or in CRM's assignment cron) then
        pick the salesperson."""
        for team, routed in (
            leads.filtered(lambda lead: not lead.user_id and lead.active)
            .grouped(self._senior_team)
            .items()
        ):
            if team:
                routed.filtered(
                    lambda lead, team=team: lead.team_id != team
                    and lead.won_status == "pending"
                ).write({"team_id": team.id})

    @api.model
    def _senior_team(self, lead):
        if not lead.logistics_strategic_prospect:
            return self.env["crm.team"]
        return (lead.company_id or self.env.company).logistics_senior_team_id

    @api.model
    def _pick_member(self, lead, teams, quota):
        """The member with the most capacity left among those whose domain
        (preferred domain first) takes the lead, in a team that takes it."""
        for preferred in (True, False):
            candidates = []
            for team in teams:
                if not lead.filtered_domain(
                    literal_eval(team.assignment_domain or "[]")
                ):
                    continue
                for member in team.crm_team_member_ids:
                    if member not in quota or quota[member] <= 0:
                        continue
                    domain = Domain(literal_eval(member.assignment_domain or "[]"))
                    if preferred:
                        if not member.assignment_domain_preferred:
                            continue
                        domain &= Domain(
                            literal_eval(member.assignment_domain_preferred)
                        )
                    if lead.filtered_domain(domain):
                        candidates.append(member)
            if candidates:
                return max(candidates, key=lambda member: (quota[member], -member.id))
        return None

    # Escalation ---------------------------------------------------------------

    @api.model
    def _cron_escalate_unassigned(self):
        self._escalate_unassigned()

    @api.model
    def _escalate_unassigned(self, now=None):
        """Leads and opportunities nobody took within a working day of the
        company's calendar: an activity for the leader of their sales team
        (else of the first team), once per lead. Returns the leads
        escalated."""
        now = now or fields.Datetime.now()
        calendar = self.env.company.resource_calendar_id
        day_hours = calendar.hours_per_day or 8.0
        # A working day lasts at least its hours: younger leads cannot be late.
        leads = self.env["crm.lead"].search(
            [
                ("user_id", "=", False),
                ("logistics_escalated_date", "=", False),
                ("create_date", "<=", now - timedelta(hours=day_hours)),
                ("won_status", "=", "pending"),
            ],
            order="create_date, id",
        )
        if not leads:
            return leads
        deadlines = calendar._logistics_plan_hours(
            [(lead.create_date, day_hours) for lead in leads]
        )
        late = leads.browse(
            lead.id
            for lead, deadline in zip(leads, deadlines, strict=True)
            if deadline and deadline <= now
        )
        fallback = self.env["crm.team"].search([("user_id", "!=", False)], limit=1)
        activity_type = self.env.ref(ESCALATION_ACTIVITY)
        res_model_id = self.env["ir.model"]._get_id("crm.lead")
        self.env["mail.activity"].sudo().create(
            [
                {
                    "res_model_id": res_model_id,
                    "res_id": lead.id,
                    "activity_type_id": activity_type.id,
                    "user_id": (lead.team_id.user_id or fallback.user_id).id,
                    "summary": self.env._(
                        "Unassigned since %s: give it a salesperson",
                        fields.Datetime.to_string(lead.create_date),
                    ),
                    "date_deadline": fields.Date.context_today(self),
                }
                for lead in late
                if lead.team_id.user_id or fallback.user_id
            ]
        )
        late.write({"logistics_escalated_date": now})
        return late
