from datetime import timedelta

from odoo import api, fields, models


class LogisticsDemo(models.AbstractModel):
    """The sales part of the demo story: opportunities won and lost weeks
    apart, so the win rate and the sales cycle show real figures."""

    _inherit = "logistics.demo"

    @api.model
    def _demo_close_leads(self, outcomes):
        """``outcomes``: (lead xmlid, created days ago, closed days ago, won).
        The leads are won or lost through CRM's own actions, then dated back
        (the ORM dates both with the transaction's clock)."""
        now = fields.Datetime.now()
        Lead = self.env["crm.lead"]
        leads = Lead
        for name, created, closed, won in outcomes:
            lead = self._ref(name)
            if won and lead.won_status != "won":
                lead.action_set_won()
            elif not won and lead.won_status != "lost":
                lead.action_set_lost()
            self.env.flush_all()
            self.env.cr.execute(
                "UPDATE crm_lead SET create_date = %s, date_closed = %s WHERE id = %s",
                (now - timedelta(days=created), now - timedelta(days=closed), lead.id),
            )
            leads |= lead
        leads.invalidate_recordset(["create_date", "date_closed"])
        self.env.add_to_compute(Lead._fields["day_close"], leads)
        leads.flush_recordset()
