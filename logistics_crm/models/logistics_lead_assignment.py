from ast import literal_eval

from odoo import api, models
from odoo.fields import Domain


class LogisticsLeadAssignment(models.AbstractModel):
    """Odoo's own lead assignment rules applied at once to the opportunities
    of quote requests: the team's and its members' assignment domains (on
    region, mode, industry...) and the members' capacities. Odoo's
    assignment cron does the same for every unassigned lead but commits as
    it goes, which a portal request must not; what no rule takes is left to
    that cron."""

    _name = "logistics.lead.assignment"
    _description = "Quote Request Assignment"

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
            member = self._pick_member(lead, teams, quota)
            if member:
                quota[member] -= 1
                lead.write(
                    {"team_id": member.crm_team_id.id, "user_id": member.user_id.id}
                )

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
