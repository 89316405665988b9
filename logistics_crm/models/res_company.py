from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    logistics_on_time_tolerance_hours = fields.Float(
        string="On-Time Tolerance (hours)",
        default=2.0,
        help="A shipment delivered no later than its promised date plus this "
        "tolerance counts as on time.",
    )

    logistics_eta_threshold_hours = fields.Float(
        string="ETA Change Threshold (hours)",
        default=4.0,
        help="Customers hear of a new ETA when it moves more than this from "
        "the ETA they were last told.",
    )

    logistics_strategic_revenue = fields.Monetary(
        string="Strategic Prospect From (annual revenue)",
        currency_field="currency_id",
        help="An opportunity whose expected revenue, over a year, reaches this "
        "amount is a strategic prospect: without a salesperson it goes to the "
        "senior team. Zero: no opportunity is.",
    )
    logistics_senior_team_id = fields.Many2one(
        comodel_name="crm.team",
        string="Senior Sales Team",
        help="The team that takes strategic prospects nobody is selling yet; "
        "its members' assignment rules pick the salesperson.",
    )

    _check_logistics_strategic_revenue = models.Constraint(
        "CHECK (logistics_strategic_revenue IS NULL "
        "OR logistics_strategic_revenue >= 0)",
        "The strategic prospect threshold cannot be negative.",
    )
    _check_logistics_eta_threshold = models.Constraint(
        "CHECK (logistics_eta_threshold_hours >= 0)",
        "The ETA change threshold cannot be negative.",
    )
    _check_logistics_on_time_tolerance = models.Constraint(
        "CHECK (logistics_on_time_tolerance_hours >= 0)",
        "The on-time tolerance cannot be negative.",
    )

    def write(self, vals):
        result = super().write(vals)
        if "logistics_strategic_revenue" in vals:
            # Leads without a company compare with the current company's
            # threshold, which their stored flag does not depend on.
            Lead = self.env["crm.lead"].with_context(active_test=False)
            self.env.add_to_compute(
                Lead._fields["logistics_strategic_prospect"],
                Lead.search([("company_id", "=", False)]),
            )
        return result
